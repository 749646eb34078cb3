import type { OpenItemsHistory } from "@/lib/dashboard/charts";
import { ChartFigure } from "@/components/charts/ChartFigure";
import { EmptyState } from "@/components/ui/EmptyState";
import { plural } from "@/components/ui/format";
import { OpenItemsTable } from "./ChartTables";

/**
 * Open action items over time (a burn-down): how many were open after each day that
 * opened or closed some, with the meetings on the time axis, every series together.
 */
export function OpenItemsChart({ history }: { history: OpenItemsHistory }) {
  if (history.points.length === 0) return <EmptyState>No action item yet.</EmptyState>;
  const first = history.points[0];
  const last = history.points.at(-1)!;
  const peak = Math.max(...history.points.map((p) => p.open));
  const label = `Open action items over time: a step chart from ${first.day} to ${last.day}: ${plural(last.open, "item")} open now, at most ${peak}; ${plural(history.meetings.length, "meeting")} marked. The data is in the table below.`;
  return (
    <ChartFigure
      spec={{ kind: "open-items", data: history }}
      label={label}
      caption={
        <>
          Items open after each day that opened or closed some: an item opens at the meeting that created it and closes at the meeting whose review closed it.
          Dashed lines are meetings.
        </>
      }
      table={<OpenItemsTable history={history} />}
    />
  );
}
