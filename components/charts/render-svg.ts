import { createHash } from "node:crypto";
import { echarts } from "./echarts";
import { buildOption, type ChartHeight, type ChartSpec } from "./options";
import { LIGHT } from "./theme";

/** The chart's size on the server; the image scales to the card. */
export const SVG_WIDTH = 960;

/**
 * The chart as an SVG, rendered on the server (ECharts' SSR mode: no DOM), served by
 * app/api/charts/[kind] for an <img>. An image, not inline SVG: ECharts writes style
 * attributes into its SVG, which a strict style-src refuses in the page but not inside an image.
 */
export function chartSvg(spec: ChartSpec, height: ChartHeight): string {
  const key = `${height}:${JSON.stringify(spec)}`;
  const hit = recent.get(key);
  if (hit) return hit;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: SVG_WIDTH, height });
  try {
    chart.setOption(buildOption(spec, LIGHT));
    const svg = chart.renderToSVGString();
    recent.set(key, svg);
    if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
    return svg;
  } finally {
    chart.dispose();
  }
}

/** The page's choices that are set (a missing host filter is no parameter). */
const given = (query: Record<string, string | undefined>) => Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1])));

/**
 * The image's URL for a chart of `spec`'s data: `query` says which data (what the route
 * reads), the digest makes the URL change when the data does, so a browser may keep the
 * image it has for a URL (private, an hour).
 */
export function chartImageUrl(spec: ChartSpec, height: ChartHeight, query: Record<string, string | undefined> = {}): string {
  const v = createHash("sha1").update(JSON.stringify(spec.data)).digest("base64url").slice(0, 16);
  const q = new URLSearchParams({ ...given(query), h: String(height), v });
  return `/api/charts/${spec.kind}?${q}`;
}

/** The same chart's numbers as CSV (the charts route with format=csv). */
export function chartCsvUrl(spec: ChartSpec, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ ...given(query), format: "csv" });
  return `/api/charts/${spec.kind}?${q}`;
}

/**
 * The last few images drawn, by their data: the dashboard re-renders on every change a
 * host reports (LiveRefresh), while its charts' data changes at most once a minute, and
 * an SVG costs tens of milliseconds to draw.
 */
const RECENT = 8;
const recent = new Map<string, string>();
