import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { parseQueryLenient } from "@/lib/api/query";
import { buildAgenda } from "@/lib/agenda/draft";
import { agendaSeriesChoices } from "@/lib/agenda/reads";
import { agendaQuerySchema } from "@/lib/agenda/schemas";
import { agendaTitle, renderAgendaText } from "@/lib/agenda/text";
import { DomainError } from "@/lib/db/errors";
import { AgendaTextEditor } from "@/components/agenda/AgendaTextEditor";
import { AgendaView } from "@/components/agenda/AgendaView";
import { Card } from "@/components/ui/Card";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, linkClass, secondaryButtonClass, smallInputClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Agenda" };
export const dynamic = "force-dynamic";

const fileName = (slug: string, date: string) => `${date}-${slug}-agenda.txt`;

export default async function AgendaPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePageRole("viewer", "/agenda");
  const { value: q, errors, raw } = parseQueryLenient(agendaQuerySchema, await searchParams);
  const choices = await agendaSeriesChoices();
  let draft: Awaited<ReturnType<typeof buildAgenda>> | null = null;
  let problem: string | null = null;
  try {
    draft = await buildAgenda({ series: q.series, date: q.date });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    problem = err.message;
  }
  const canEdit = roleAtLeast(actor.role, "editor");

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Agenda</h1>
        <Link href="/calendar" className={`text-sm ${linkClass}`}>
          Calendar and schedules
        </Link>
      </div>
      <form method="get" action="/agenda" className="flex flex-wrap items-end gap-3" aria-label="Which meeting">
        <label className="text-sm">
          <span className="block font-medium">Series</span>
          <select name="series" defaultValue={draft?.series.slug ?? raw.series ?? ""} className={smallInputClass}>
            {choices.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block font-medium">Meeting day</span>
          <input
            type="date"
            name="date"
            defaultValue={draft?.date ?? raw.date ?? ""}
            className={smallInputClass}
            aria-invalid={errors.date ? true : undefined}
          />
        </label>
        <button className={secondaryButtonClass}>Show</button>
        {errors.date && (
          <Notice role="alert" tone="error" plain>
            Meeting day: {errors.date.join(" ")} (the next meeting is shown)
          </Notice>
        )}
      </form>

      {problem && (
        <Notice role="alert" tone="error">
          {problem}
        </Notice>
      )}
      {draft && (
        <>
          <Card as="header" className="space-y-1">
            <h2 className="text-xl font-semibold">{agendaTitle(draft)}</h2>
            <p className="text-sm">
              {draft.when ? (
                <>
                  When: {draft.when.label} ({draft.when.timeZone}){draft.when.moved && " — moved from its usual day"}
                  {draft.when.note && ` — ${draft.when.note}`}
                </>
              ) : (
                <>
                  No scheduled meeting that day (
                  <Link href="/calendar" className={linkClass}>
                    set the series' schedule
                  </Link>
                  ).
                </>
              )}
            </p>
            {draft.when?.location && <p className="text-sm">Where: {draft.when.location}</p>}
            <p className="text-sm text-muted">
              {draft.lastMeeting ? (
                <>
                  Since the last meeting:{" "}
                  <Link href={`/meetings/${draft.lastMeeting.id}`} className={linkClass}>
                    {draft.lastMeeting.title}
                  </Link>{" "}
                  ({draft.lastMeeting.date})
                </>
              ) : (
                "No earlier meeting in this series."
              )}
            </p>
            {canEdit && (
              <p className="pt-2">
                <Link href={`/meetings/new?series=${encodeURIComponent(draft.series.slug)}&agenda=${draft.date}`} className={buttonClass}>
                  Start this meeting from the agenda
                </Link>
              </p>
            )}
          </Card>
          <AgendaView draft={draft} />
          <AgendaTextEditor key={`${draft.series.slug}:${draft.date}`} text={renderAgendaText(draft)} filename={fileName(draft.series.slug, draft.date)} />
        </>
      )}
    </div>
  );
}
