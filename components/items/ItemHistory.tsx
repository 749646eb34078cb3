import Link from "next/link";
import type { AuditEntry, TimelineEntry } from "@/lib/items/history";
import { outcomeLabel } from "@/lib/reviews/outcomes";
import { linkClass } from "./styles";

/** What each meeting said of the item, oldest first. */
export function ReviewTimeline({ entries }: { entries: TimelineEntry[] }) {
  if (!entries.length) return <p className="text-sm text-muted">No meeting has reviewed this item yet.</p>;
  return (
    <ol className="space-y-3 border-l-2 border-border pl-4" aria-label="Reviews across meetings">
      {entries.map((e) => (
        <li key={e.meetingId} className="relative">
          <span aria-hidden className="absolute -left-[1.4rem] top-1.5 h-2.5 w-2.5 rounded-full bg-indigo-700" />
          <p className="text-sm">
            <time dateTime={e.meetingDate} className="font-mono text-muted">{e.meetingDate}</time>{" "}
            <Link href={`/meetings/${e.meetingId}`} className={linkClass}>{e.meetingTitle}</Link>
          </p>
          <p className="text-sm">
            <strong>{outcomeLabel(e.outcome)}</strong>
            {e.note && <>: {e.note}</>}
          </p>
        </li>
      ))}
    </ol>
  );
}

/** The audit trail: who changed what and when, newest first. */
export function AuditHistory({ entries }: { entries: AuditEntry[] }) {
  if (!entries.length) return <p className="text-sm text-muted">No changes recorded since the item was created.</p>;
  return (
    <table className="w-full text-sm" aria-label="Change history">
      <thead className="text-left text-muted">
        <tr><th scope="col" className="py-1 pr-3">When (UTC)</th><th scope="col" className="pr-3">Who</th><th scope="col">What</th></tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} className="border-t border-border align-top">
            <td className="whitespace-nowrap py-1 pr-3 font-mono text-xs"><time dateTime={e.at}>{e.at.replace("T", " ").slice(0, 16)}</time></td>
            <td className="pr-3">{e.actor}</td>
            <td className="break-words">{e.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
