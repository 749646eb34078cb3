import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { timeZoneChoices } from "@/lib/calendar/zones";
import { digestLog, digestSettings } from "@/lib/reminders/reads";
import { describeDigestSchedule, nextRun } from "@/lib/reminders/schedule";
import { mailFrom, smtpDisplay } from "@/lib/reminders/mailer";
import { DigestScheduleForm } from "@/components/reminders/DigestScheduleForm";
import { BackLink } from "@/components/ui/BackLink";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { fmtMinute } from "@/components/ui/format";
import { Notice } from "@/components/ui/Notice";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { saveDigestScheduleAction } from "./actions";

export const metadata: Metadata = { title: "E-mail digests" };
export const dynamic = "force-dynamic";

export default async function RemindersAdminPage() {
  await requirePageRole("admin", "/admin/reminders");
  const [settings, log] = await Promise.all([digestSettings(), digestLog(100)]);
  const smtp = smtpDisplay();
  const next = smtp ? nextRun(settings, new Date()) : null;
  const { version, ...current } = settings;
  return (
    <div className="space-y-5">
      <BackLink href="/admin">Admin</BackLink>
      <h1 className="text-2xl font-semibold">E-mail digests</h1>
      <p className="max-w-3xl text-sm text-muted">
        People who ask for it on their account page get their open items that are overdue or due soon, and the next meeting with its agenda link. Each digest is
        recorded before it is sent, so two servers or a restart never send it twice.
      </p>
      {smtp ? (
        <p className="text-sm">
          Mail goes through <code>{smtp}</code> from <code>{mailFrom()}</code>. {describeDigestSchedule(current, true)}{" "}
          {next && <>Next: {fmtMinute(next.at)} UTC.</>} {log.subscribers} subscriber{log.subscribers === 1 ? "" : "s"}.
        </p>
      ) : (
        <Notice tone="warn">
          SMTP_URL is not set on this server, so no digest is sent. Set it (e.g. <code>smtp://user:password@mail.example.org:587</code>) and restart.
        </Notice>
      )}
      <Card as="section" aria-labelledby="schedule-heading">
        <h2 id="schedule-heading" className="mb-3 text-lg font-semibold">
          Schedule
        </h2>
        <DigestScheduleForm key={version} initial={current} version={version} zones={timeZoneChoices()} action={saveDigestScheduleAction} />
      </Card>
      <section aria-labelledby="log-heading" className="space-y-2">
        <h2 id="log-heading" className="text-lg font-semibold">
          Sent
        </h2>
        {log.rows.length === 0 ? (
          <EmptyState>No digest yet.</EmptyState>
        ) : (
          <Table aria-label="Digests">
            <THead>
              <tr>
                <Th>Run</Th>
                <Th>To</Th>
                <Th>State</Th>
                <Th>Items</Th>
                <Th>Tries</Th>
                <Th>Claimed (UTC)</Th>
                <Th>Sent (UTC)</Th>
                <Th>Error</Th>
              </tr>
            </THead>
            <tbody>
              {log.rows.map((r) => (
                <Tr key={r.id}>
                  <Td className="font-mono text-xs">{r.period}</Td>
                  <Td>{r.email}</Td>
                  <Td>{r.status}</Td>
                  <Td>{r.itemCount}</Td>
                  <Td>{r.attempts}</Td>
                  <Td className="font-mono text-xs">{fmtMinute(r.claimedAt)}</Td>
                  <Td className="font-mono text-xs">{r.sentAt ? fmtMinute(r.sentAt) : "—"}</Td>
                  <Td className="break-words text-xs">{r.error ?? ""}</Td>
                </Tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </div>
  );
}
