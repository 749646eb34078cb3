import Link from "@/components/ui/Link";
import type { AuditEntry, TimelineEntry } from "@/lib/items/history";
import { outcomeLabel } from "@/lib/reviews/outcomes";
import { EmptyState } from "@/components/ui/EmptyState";
import { fmtMinute } from "@/components/ui/format";
import { linkClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";

/** What each meeting said of the item, oldest first. */
export function ReviewTimeline({ entries }: { entries: TimelineEntry[] }) {
  if (!entries.length) return <EmptyState>No meeting created or reviewed this item yet.</EmptyState>;
  return (
    <ol className="space-y-3 border-l-2 border-border pl-4" aria-label="Reviews across meetings">
      {entries.map((e) => (
        <li key={`${e.kind}:${e.meetingId}`} className="relative" data-timeline={e.kind}>
          <span aria-hidden className="absolute -left-[1.4rem] top-1.5 h-2.5 w-2.5 rounded-full bg-indigo-700" />
          <p className="text-sm">
            <time dateTime={e.meetingDate} className="font-mono text-muted">
              {e.meetingDate}
            </time>{" "}
            <Link href={`/meetings/${e.meetingId}`} className={linkClass}>
              {e.meetingTitle}
            </Link>
          </p>
          <p className="text-sm">
            {e.kind === "created" ? (
              <strong>Created in this meeting</strong>
            ) : (
              <>
                <strong>{outcomeLabel(e.outcome)}</strong>
                {e.note && <>: {e.note}</>}
              </>
            )}
          </p>
        </li>
      ))}
    </ol>
  );
}

/** The audit trail: who changed what and when, newest first. */
export function AuditHistory({ entries }: { entries: AuditEntry[] }) {
  if (!entries.length) return <EmptyState>No changes recorded since the item was created.</EmptyState>;
  return (
    <Table aria-label="Change history">
      <THead>
        <tr>
          <Th>When (UTC)</Th>
          <Th>Who</Th>
          <Th>What</Th>
        </tr>
      </THead>
      <tbody>
        {entries.map((e) => (
          <Tr key={e.id}>
            <Td className="whitespace-nowrap font-mono text-xs">
              <time dateTime={e.at}>{fmtMinute(e.at)}</time>
            </Td>
            <Td>{e.actor}</Td>
            <Td className="break-words">{e.summary}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
