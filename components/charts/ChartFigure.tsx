import type { ReactNode } from "react";
import { DataDetails } from "./DataDetails";
import { LiveChart } from "./LiveChart";
import type { ChartHeight, ChartSpec } from "./options";
import { chartCsvUrl, chartImageUrl } from "./render-svg";

/**
 * A chart with what makes it usable by everyone: its summary as the image's name, the
 * server's rendering first (no script needed to see it), the live chart once the page
 * runs, and the same numbers as a table under "Show the data" (drawn on opening) and as CSV.
 */
export function ChartFigure({
  spec,
  label,
  caption,
  table,
  height = 320,
  imageQuery,
}: {
  spec: ChartSpec;
  /** Which data the image route reads (app/api/charts/[kind]): the page's own choices. */
  imageQuery?: Record<string, string | undefined>;
  label: string;
  caption?: ReactNode;
  /** The numbers as a table: a client component given `spec`'s data (components/dashboard/ChartTables), so that it is drawn only when opened. */
  table: ReactNode;
  height?: ChartHeight;
}) {
  return (
    <figure className="space-y-2">
      <LiveChart spec={spec} label={label} height={height}>
        {/* eslint-disable-next-line @next/next/no-img-element -- an SVG drawn by our route, nothing to optimise */}
        <img src={chartImageUrl(spec, height, imageQuery)} alt="" className="absolute inset-0 h-full w-full object-contain object-left-top" />
      </LiveChart>
      {caption && <figcaption className="text-xs text-muted">{caption}</figcaption>}
      <DataDetails csvHref={chartCsvUrl(spec, imageQuery)}>{table}</DataDetails>
    </figure>
  );
}
