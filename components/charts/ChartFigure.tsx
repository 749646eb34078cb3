import type { ReactNode } from "react";
import { linkClass } from "@/components/ui/styles";
import { LiveChart } from "./LiveChart";
import type { ChartSpec } from "./options";
import { chartImage } from "./render-svg";

/**
 * A chart with what makes it usable by everyone: its summary as the image's name, the
 * server's rendering first (no script needed to see it), the live chart once the page
 * runs, and the same numbers as a table under "Show the data".
 */
export function ChartFigure({
  spec,
  label,
  caption,
  table,
  height = 320,
}: {
  spec: ChartSpec;
  label: string;
  caption?: ReactNode;
  table: ReactNode;
  height?: 320 | 360;
}) {
  return (
    <figure className="space-y-2">
      <LiveChart spec={spec} label={label} height={height}>
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL rendered here, nothing to optimise */}
        <img src={chartImage(spec, height)} alt="" className="absolute inset-0 h-full w-full object-contain object-left-top" />
      </LiveChart>
      {caption && <figcaption className="text-xs text-muted">{caption}</figcaption>}
      <details className="text-sm">
        <summary className={`cursor-pointer ${linkClass}`}>Show the data as a table</summary>
        <div className="mt-2">{table}</div>
      </details>
    </figure>
  );
}
