/**
 * The dashboard's charts as ECharts options: one builder per chart, used by the server
 * (an SVG rendered ahead of the page's scripts) and by the browser (the live chart with
 * tooltips). Pure, apart from the tooltips' DOM, which only the browser builds: the
 * tooltip is made of elements and text (never HTML strings with style attributes),
 * so meeting titles cannot inject markup and a strict CSP has nothing to refuse.
 */
import type { EChartsOption, LineSeriesOption, TooltipComponentFormatterCallbackParams } from "echarts";
import type { FleetHistory, MeetingMark, OpenItemsHistory } from "@/lib/dashboard/charts";
import type { ChartTheme } from "./theme";

/** The heights the dashboard draws charts at (the live chart's classes, the server's image). */
export const CHART_HEIGHTS = [320, 360] as const;
export type ChartHeight = (typeof CHART_HEIGHTS)[number];
/** A height from a URL: one of CHART_HEIGHTS, else the first. */
export const chartHeight = (h: string | null | undefined): ChartHeight => CHART_HEIGHTS.find((x) => String(x) === h) ?? CHART_HEIGHTS[0];

export type ChartSpec = { kind: "fleet"; data: FleetHistory } | { kind: "open-items"; data: OpenItemsHistory };

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const minuteUtc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const dayUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function buildOption(spec: ChartSpec, theme: ChartTheme): EChartsOption {
  return spec.kind === "fleet" ? fleetOption(spec.data, theme) : openItemsOption(spec.data, theme);
}

function base(theme: ChartTheme, yName: string, when: (ms: number) => string): EChartsOption {
  return {
    animation: false,
    useUTC: true,
    backgroundColor: "transparent",
    textStyle: { fontFamily: theme.font, color: theme.text },
    grid: { left: 16, right: 32, top: 56, bottom: 16, outerBoundsMode: "same", outerBoundsContain: "all" },
    legend: { top: 0, left: 0, type: "scroll", textStyle: { color: theme.text }, pageTextStyle: { color: theme.muted } },
    tooltip: {
      trigger: "axis",
      confine: true,
      backgroundColor: theme.card,
      borderColor: theme.grid,
      textStyle: { color: theme.text },
      formatter: (p) => tooltipContent(p, when),
    },
    xAxis: {
      type: "time",
      axisLabel: { color: theme.muted, hideOverlap: true },
      axisLine: { lineStyle: { color: theme.muted } },
      axisTick: { show: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: "value",
      name: yName,
      nameLocation: "middle",
      nameGap: 32,
      minInterval: 1,
      nameTextStyle: { color: theme.muted },
      axisLabel: { color: theme.muted },
      splitLine: { lineStyle: { color: theme.grid } },
    },
  };
}

/** An empty series whose mark lines are the meetings: one legend entry to show or hide them. */
function meetingsSeries(meetings: MeetingMark[], theme: ChartTheme): LineSeriesOption {
  return {
    type: "line",
    name: "Meetings",
    data: [],
    color: theme.marker,
    markLine: {
      silent: false,
      symbol: ["none", "none"],
      lineStyle: { type: "dashed", color: theme.marker, width: 1 },
      label: { show: meetings.length <= 24, position: "end", color: theme.marker, fontSize: 10, formatter: "{b}" },
      emphasis: { lineStyle: { width: 2 } },
      tooltip: { trigger: "item", formatter: (p) => meetingTip(p) },
      data: meetings.map((m) => ({ name: m.date, xAxis: dayMs(m.date), title: m.title })),
    },
  };
}

function fleetOption(d: FleetHistory, theme: ChartTheme): EChartsOption {
  const at = d.points.map((p) => Date.parse(p.at));
  const few = d.points.length <= 40;
  const lines: LineSeriesOption[] = d.rules.map((rule, i) => ({
    type: "line",
    name: rule,
    color: theme.lines[i % theme.lines.length],
    showSymbol: few,
    data: d.points.map((p, k) => [at[k], p.dependencies[rule] ?? 0]),
  }));
  lines.push({
    type: "line",
    name: "Deprivileged VMs",
    color: theme.good,
    lineStyle: { type: "dotted", width: 2 },
    showSymbol: few,
    data: d.points.map((p, k) => [at[k], p.deprivCount]),
  });
  const b = base(theme, "VMs", minuteUtc);
  return { ...b, xAxis: { ...(b.xAxis as object), min: Date.parse(d.from), max: Date.parse(d.to) }, series: [...lines, meetingsSeries(d.meetings, theme)] };
}

function openItemsOption(d: OpenItemsHistory, theme: ChartTheme): EChartsOption {
  const b = base(theme, "Items", dayUtc);
  return {
    ...b,
    series: [
      {
        type: "line",
        name: "Open action items",
        step: "end",
        color: theme.lines[2],
        areaStyle: { opacity: 0.12 },
        showSymbol: d.points.length <= 40,
        data: d.points.map((p) => [dayMs(p.day), p.open]),
      },
      meetingsSeries(d.meetings, theme),
    ],
  };
}

/** The axis tooltip: the time, then each line's value with its colour (an SVG swatch, no style attribute). */
function tooltipContent(params: TooltipComponentFormatterCallbackParams, when: (ms: number) => string): HTMLElement | string {
  if (typeof document === "undefined") return "";
  const list = Array.isArray(params) ? params : [params];
  const box = el("div", "chart-tip");
  const first = list[0]?.value;
  if (Array.isArray(first)) box.append(el("p", "chart-tip-title", when(Number(first[0]))));
  const ul = el("ul");
  for (const p of list) {
    if (!Array.isArray(p.value)) continue;
    const li = el("li");
    li.append(swatch(String(p.color ?? "")), document.createTextNode(` ${p.seriesName}: `), el("strong", undefined, String(p.value[1])));
    ul.append(li);
  }
  box.append(ul);
  return box;
}

/** A meeting's mark: its date and title. */
function meetingTip(p: unknown): HTMLElement | string {
  const mark = p as { name?: string; data?: { title?: string } } | null;
  if (typeof document === "undefined" || !mark || Array.isArray(mark)) return "";
  const box = el("div", "chart-tip");
  box.append(el("p", "chart-tip-title", `Meeting ${mark.name ?? ""}`), el("p", undefined, mark.data?.title ?? ""));
  return box;
}

function el(tag: string, className?: string, text?: string): HTMLElement {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function swatch(color: string): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", "10");
  svg.setAttribute("height", "10");
  svg.setAttribute("aria-hidden", "true");
  const r = document.createElementNS(ns, "rect");
  r.setAttribute("width", "10");
  r.setAttribute("height", "10");
  r.setAttribute("rx", "2");
  r.setAttribute("fill", color);
  svg.append(r);
  return svg;
}
