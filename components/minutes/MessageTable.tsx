import Link from "next/link";
import type { ImportPlan, MessageOutcome } from "@/lib/minutes/plan";

/** Every message of an upload and what became (or will become) of it. */
export function MessageTable({ plan, results = {} }: { plan: ImportPlan; results?: Record<number, MessageOutcome> }) {
  return (
    <table className="w-full text-left text-sm">
      <thead>
        <tr><th className="pr-2">#</th><th className="pr-2">Message</th><th className="pr-2">Date</th><th>Status</th></tr>
      </thead>
      <tbody>
        {plan.preview.messages.map((m) => {
          const r = results[m.index];
          const existing = plan.existing[m.index] ?? (r && r.status !== "skipped" && r.status !== "error" ? r.meetingId : undefined);
          let status: React.ReactNode;
          if (r) status = r.status === "imported" ? "imported" : r.status === "already_imported" ? "already imported" : r.status === "skipped" ? `skipped: ${r.reason}` : `error: ${r.message}`;
          else if (m.status === "skipped") status = `skipped: ${m.reason}`;
          else if (m.status === "error") status = `error: ${m.error.message}`;
          else if (plan.existing[m.index]) status = "already imported";
          else if (m.duplicateOf !== null) status = `duplicate of message ${m.duplicateOf + 1}`;
          else status = `minutes: ${m.minutes.attendees.length} attendees, ${m.minutes.reviews.length} reviewed, ${m.minutes.actionItems.length} action items${m.unmatchedNames.length ? `; new people: ${m.unmatchedNames.join(", ")}` : ""}`;
          return (
            <tr key={m.index} className="border-t border-border align-top" data-status={r?.status ?? m.status}>
              <td className="pr-2">{m.index + 1}</td>
              <td className="pr-2">{m.status === "minutes" ? (m.minutes.title ?? m.subject) : (m.subject ?? "(no subject)")}</td>
              <td className="pr-2">{m.status === "minutes" ? m.minutes.date : ""}</td>
              <td>{existing ? <Link className="underline" href={`/meetings/${existing}`}>{status}</Link> : status}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
