import Link from "@/components/ui/Link";
import type { ImportPlan, MessageOutcome } from "@/lib/minutes/plan";
import { linkClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { plural } from "@/components/ui/format";

/** Every message of an upload and what became (or will become) of it. */
export function MessageTable({ plan, results = {} }: { plan: ImportPlan; results?: Record<number, MessageOutcome> }) {
  return (
    <Table aria-label="Messages">
      <THead>
        <tr>
          <Th>#</Th>
          <Th>Message</Th>
          <Th>Date</Th>
          <Th>Status</Th>
        </tr>
      </THead>
      <tbody>
        {plan.preview.messages.map((m) => {
          const r = results[m.index];
          const existing = plan.existing[m.index] ?? (r && r.status !== "skipped" && r.status !== "error" ? r.meetingId : undefined);
          let status: React.ReactNode;
          if (r)
            status =
              r.status === "imported"
                ? "imported"
                : r.status === "already_imported"
                  ? "already imported"
                  : r.status === "skipped"
                    ? `skipped: ${r.reason}`
                    : `error: ${r.message}`;
          else if (m.status === "skipped") status = `skipped: ${m.reason}`;
          else if (m.status === "error") status = `error: ${m.error.message}`;
          else if (plan.existing[m.index]) status = "already imported";
          else if (m.duplicateOf !== null) status = `duplicate of message ${m.duplicateOf + 1}`;
          else
            status = `minutes: ${plural(m.minutes.attendees.length, "attendee")}, ${m.minutes.reviews.length} reviewed, ${plural(m.minutes.actionItems.length, "action item")}${m.unmatchedNames.length ? `; new people: ${m.unmatchedNames.join(", ")}` : ""}`;
          return (
            <Tr key={m.index} data-status={r?.status ?? m.status}>
              <Td>{m.index + 1}</Td>
              <Td>{m.status === "minutes" ? (m.minutes.title ?? m.subject) : (m.subject ?? "(no subject)")}</Td>
              <Td>{m.status === "minutes" ? m.minutes.date : ""}</Td>
              <Td>
                {existing ? (
                  <Link className={linkClass} href={`/meetings/${existing}`}>
                    {status}
                  </Link>
                ) : (
                  status
                )}
              </Td>
            </Tr>
          );
        })}
      </tbody>
    </Table>
  );
}
