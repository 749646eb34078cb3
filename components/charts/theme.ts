/**
 * The charts' colours and font. The server renders with the light page's colours; the
 * browser reads the page's own (app/globals.css variables), so a dark page gets a dark
 * chart. Line colours are told apart by their names in the legend and tooltip as well.
 */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  card: string;
  font: string;
  lines: readonly string[];
  good: string;
  marker: string;
}

/** The page's font stack; names unquoted (valid CSS), because ECharts writes it unescaped into SVG attributes. */
const FONT = "ui-sans-serif, system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";
const LINES = ["#dc2626", "#d97706", "#2563eb", "#7c3aed", "#0891b2", "#db2777"];

export const LIGHT: ChartTheme = {
  text: "#0f172a",
  muted: "#475569",
  grid: "#e2e8f0",
  card: "#ffffff",
  font: FONT,
  lines: LINES,
  good: "#15803d",
  marker: "#4338ca",
};

/** The page's colours, in the browser. */
export function pageTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  return {
    ...LIGHT,
    text: v("--fg", LIGHT.text),
    muted: v("--muted", LIGHT.muted),
    grid: v("--border", LIGHT.grid),
    card: v("--card", LIGHT.card),
    marker: v("--accent", LIGHT.marker),
    good: dark ? "#4ade80" : LIGHT.good,
  };
}
