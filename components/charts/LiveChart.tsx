"use client";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { echarts } from "./echarts";
import { buildOption, type ChartHeight, type ChartSpec } from "./options";
import { pageTheme } from "./theme";

/**
 * The live chart: ECharts on a canvas in the browser, with tooltips, sized to its card
 * and redrawn when the card or the colour scheme changes. Until it has drawn, the
 * server's image of the same chart (children) stands in, so the page is never blank
 * and works without scripts.
 */
export function LiveChart({ spec, label, height, children }: { spec: ChartSpec; label: string; height: ChartHeight; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, null, { renderer: "canvas" });
    chart.current = c;
    c.on("finished", () => setLive(true));
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const draw = () => chart.current?.setOption(buildOption(spec, pageTheme()), { notMerge: true });
    draw();
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", draw);
    return () => scheme.removeEventListener("change", draw);
  }, [spec]);

  return (
    <div role="img" aria-label={label} className={`relative w-full ${HEIGHT[height]}`} data-chart={spec.kind} data-live={live || undefined}>
      <div ref={ref} className="absolute inset-0" />
      {!live && children}
    </div>
  );
}

/** Tailwind needs the class names whole: the heights the dashboard uses. */
const HEIGHT: Record<ChartHeight, string> = { 320: "h-80", 360: "h-90" };
