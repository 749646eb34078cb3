import { echarts } from "./echarts";
import { buildOption, type ChartSpec } from "./options";
import { LIGHT } from "./theme";

/** The chart's size on the server; the image scales to the card. */
export const SVG_WIDTH = 960;

/**
 * The chart as an SVG, rendered on the server (ECharts' SSR mode: no DOM), as a data
 * URL for an <img>. An image, not inline SVG: ECharts writes style attributes into its
 * SVG, which a strict style-src refuses in the page but not inside an image.
 */
export function chartImage(spec: ChartSpec, height: number): string {
  const key = `${height}:${JSON.stringify(spec)}`;
  const hit = recent.get(key);
  if (hit) return hit;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: SVG_WIDTH, height });
  try {
    chart.setOption(buildOption(spec, LIGHT));
    const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(chart.renderToSVGString())}`;
    recent.set(key, url);
    if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
    return url;
  } finally {
    chart.dispose();
  }
}

/**
 * The last few images drawn, by their data: the dashboard re-renders on every change a
 * host reports (LiveRefresh), while its charts' data changes at most once a minute, and
 * an SVG costs tens of milliseconds to draw.
 */
const RECENT = 8;
const recent = new Map<string, string>();
