import Link from "@/components/ui/Link";
import type { FleetHistory } from "@/lib/dashboard/charts";
import { FLEET_RANGES } from "@/lib/dashboard/charts";
import { ChartFigure } from "@/components/charts/ChartFigure";
import { EmptyState } from "@/components/ui/EmptyState";
import { plural } from "@/components/ui/format";
import { FleetTable } from "./ChartTables";
import { linkClass } from "@/components/ui/styles";

/** The span links: 7, 30 or 90 days of the fleet's history. */
export function FleetRangeNav({ current, host }: { current: number; /** The dashboard's host filter, kept. */ host?: string }) {
  return (
    <nav aria-label="Span of the fleet chart" className="flex gap-3 text-sm">
      {FLEET_RANGES.map((d) => (
        <Link
          key={d}
          href={`/?range=${d}${host ? `&host=${encodeURIComponent(host)}` : ""}`}
          scroll={false}
          aria-current={d === current ? "page" : undefined}
          className={d === current ? "font-semibold" : linkClass}
        >
          {d} days
        </Link>
      ))}
    </nav>
  );
}

/**
 * Dependencies over time: VMs affected by each of the rules that touched the most VMs,
 * the deprivileged VMs, and the group's meetings on the time axis (did the fleet move
 * after a meeting?). The table behind it has every point and every meeting.
 */
export function FleetChart({ history, labels, hostId }: { history: FleetHistory; labels: Record<string, string>; hostId?: string }) {
  if (history.points.length === 0)
    return <EmptyState>No stored reads in these {history.days} days: the chart fills in as the collector reads hosts (one sample a minute).</EmptyState>;
  const last = history.points.at(-1)!;
  const now = history.rules.map((r) => `${r} ${plural(last.dependencies[r] ?? 0, "VM")}`).join(", ");
  const label = `Dependencies over time: a line chart of the fleet over the last ${history.days} days, ${plural(history.points.length, "point")}; now: ${now || "no dependency"}, ${plural(last.deprivCount, "VM")} deprivileged; ${plural(history.meetings.length, "meeting")} marked. The data is in the table below.`;
  return (
    <ChartFigure
      spec={{ kind: "fleet", data: history }}
      imageQuery={{ range: String(history.days), host: hostId }}
      label={label}
      caption={
        <>
          VMs affected by each XenStore dependency, all enabled hosts; dashed lines are the group&apos;s meetings. Times in UTC.
          {history.rules.some((r) => labels[r]) && (
            <span className="mt-1 block">
              {history.rules
                .filter((r) => labels[r])
                .map((r, i) => (
                  <span key={r}>
                    {i > 0 && " · "}
                    <span className="font-mono">{r}</span>: {labels[r]}
                  </span>
                ))}
            </span>
          )}
        </>
      }
      table={<FleetTable history={history} labels={labels} />}
    />
  );
}
