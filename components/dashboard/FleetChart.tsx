import Link from "@/components/ui/Link";
import type { FleetHistory } from "@/lib/dashboard/charts";
import { FLEET_RANGES } from "@/lib/dashboard/charts";
import { ChartFigure } from "@/components/charts/ChartFigure";
import { EmptyState } from "@/components/ui/EmptyState";
import { fmtMinute, plural } from "@/components/ui/format";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
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
      table={
        <div className="space-y-4">
          <Table aria-label="Fleet dependencies over time">
            <THead>
              <tr>
                <Th>Time (UTC)</Th>
                {history.rules.map((r) => (
                  <Th key={r} className="text-right" title={labels[r]}>
                    {r}
                  </Th>
                ))}
                <Th className="text-right">Deprivileged</Th>
                <Th className="text-right">VMs</Th>
              </tr>
            </THead>
            <tbody>
              {history.points.map((p) => (
                <Tr key={p.at}>
                  <Td className="whitespace-nowrap font-mono text-xs">
                    <time dateTime={p.at}>{fmtMinute(p.at)}</time>
                  </Td>
                  {history.rules.map((r) => (
                    <Td key={r} className="text-right tabular-nums">
                      {p.dependencies[r] ?? 0}
                    </Td>
                  ))}
                  <Td className="text-right tabular-nums">{p.deprivCount}</Td>
                  <Td className="text-right tabular-nums">{p.vmCount}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
          <MeetingsTable meetings={history.meetings} label="Meetings in this span" />
        </div>
      }
    />
  );
}

/** The meetings a chart marks, as a table of their own. */
export function MeetingsTable({ meetings, label }: { meetings: FleetHistory["meetings"]; label: string }) {
  if (meetings.length === 0) return <EmptyState>No meeting in this span.</EmptyState>;
  return (
    <Table aria-label={label}>
      <THead>
        <tr>
          <Th>Meeting date</Th>
          <Th>Meeting</Th>
        </tr>
      </THead>
      <tbody>
        {meetings.map((m) => (
          <Tr key={m.id}>
            <Td className="whitespace-nowrap font-mono text-xs">
              <time dateTime={m.date}>{m.date}</time>
            </Td>
            <Td>
              <Link href={`/meetings/${m.id}`} className={linkClass}>
                {m.title}
              </Link>
            </Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
