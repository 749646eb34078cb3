"use client";
import Link from "@/components/ui/Link";
import type { FleetHistory, MeetingMark, OpenItemsHistory } from "@/lib/dashboard/charts";
import { EmptyState } from "@/components/ui/EmptyState";
import { fmtMinute } from "@/components/ui/format";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { linkClass } from "@/components/ui/styles";

/*
 * The tables under a chart's "Show the data" (components/charts/DataDetails draws them when
 * the reader opens it), from the same data object the live chart gets: React sends an
 * object passed to two client components once. As server components they went with every
 * view, each row's cells twice (as HTML and as React's element payload): on a board of ten
 * years (200 days, 200 meetings) `/` was 457 kB and cost ~28 ms of server CPU; drawn here on
 * opening, 138 kB and ~8.5 ms (docs/perf-notes.md, seventh pass).
 */

/** The open-items chart's points and its meetings. */
export function OpenItemsTable({ history }: { history: OpenItemsHistory }) {
  return (
    <div className="space-y-4">
      <Table aria-label="Open action items over time">
        <THead>
          <tr>
            <Th>Day</Th>
            <Th className="text-right">Opened</Th>
            <Th className="text-right">Closed</Th>
            <Th className="text-right">Open after the day</Th>
          </tr>
        </THead>
        <tbody>
          {history.points.map((p) => (
            <Tr key={p.day}>
              <Td className="whitespace-nowrap font-mono text-xs">
                <time dateTime={p.day}>{p.day}</time>
              </Td>
              <Td className="text-right tabular-nums">{p.opened}</Td>
              <Td className="text-right tabular-nums">{p.closed}</Td>
              <Td className="text-right tabular-nums">{p.open}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      <MeetingsTable meetings={history.meetings} label="Meetings since the first item" />
    </div>
  );
}

/** The fleet chart's points, a column per rule drawn, and the meetings of its span. */
export function FleetTable({ history, labels }: { history: FleetHistory; labels: Record<string, string> }) {
  return (
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
  );
}

/** The meetings a chart marks, as a table of their own. */
function MeetingsTable({ meetings, label }: { meetings: MeetingMark[]; label: string }) {
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
