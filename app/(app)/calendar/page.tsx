import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { activeFeedToken } from "@/lib/calendar/feed-tokens";
import { calendarOverview } from "@/lib/calendar/reads";
import { formatLocal } from "@/lib/calendar/schedule";
import { timeZoneChoices } from "@/lib/calendar/zones";
import { ExceptionForm, RemoveExceptionButton } from "@/components/calendar/ExceptionForms";
import { FeedTokenPanel } from "@/components/calendar/FeedTokenPanel";
import { ScheduleForm } from "@/components/calendar/ScheduleForm";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { linkClass } from "@/components/ui/styles";
import { addExceptionAction, removeExceptionAction, revokeFeedTokenAction, rotateFeedTokenAction, saveScheduleAction } from "./actions";

export const metadata: Metadata = { title: "Calendar" };
export const dynamic = "force-dynamic";

export default async function CalendarPage() {
  const actor = await requirePageRole("viewer", "/calendar");
  const [series, token] = await Promise.all([calendarOverview({ count: 8 }), activeFeedToken(actor.userId)]);
  const canEdit = roleAtLeast(actor.role, "editor");
  const zones = timeZoneChoices();
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Calendar</h1>
      {series.map(({ series: s, schedule, upcoming }) => (
        <Card as="section" key={s.id} aria-labelledby={`series-${s.slug}`} className="space-y-4" data-series={s.slug}>
          <div>
            <h2 id={`series-${s.slug}`} className="text-lg font-semibold">
              {s.name}
            </h2>
            <p className="text-sm text-muted">
              {schedule ? (
                <>
                  Meets {schedule.description}
                  {schedule.location && <> — {schedule.location}</>}.
                </>
              ) : (
                "No schedule yet."
              )}
            </p>
          </div>
          {schedule && (
            <div>
              <h3 className="font-medium">Next meetings</h3>
              {upcoming.length === 0 ? (
                <EmptyState>None: the schedule has ended.</EmptyState>
              ) : (
                <ul className="text-sm" aria-label={`Next meetings of ${s.name}`}>
                  {upcoming.map((o) => (
                    <li key={o.day} data-occurrence={o.day}>
                      <time dateTime={o.start.toISOString()}>{formatLocal(o.start, schedule.schedule.timeZone)}</time>
                      {o.moved && <span className="text-muted"> (moved from {o.day})</span>}
                      {o.note && <span className="text-muted"> — {o.note}</span>} ·{" "}
                      <Link className={linkClass} href={`/agenda?series=${encodeURIComponent(s.slug)}&date=${o.localDay}`}>
                        agenda
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
              {schedule.exceptions.length > 0 && (
                <>
                  <h3 className="mt-3 font-medium">Changes</h3>
                  <ul className="space-y-1 text-sm">
                    {schedule.exceptions.map((x) => {
                      const label = x.kind === "moved" && x.movedTo ? `${x.day} moved to ${x.movedTo.day} ${x.movedTo.time}` : `${x.day} cancelled`;
                      return (
                        <li key={x.id} className="flex flex-wrap items-center gap-2">
                          <span>
                            {label}
                            {x.note && ` — ${x.note}`}
                          </span>
                          {canEdit && <RemoveExceptionButton seriesId={s.id} exceptionId={x.id} label={label} action={removeExceptionAction} />}
                        </li>
                      );
                    })}
                  </ul>
                </>
              )}
            </div>
          )}
          {canEdit && (
            <details open={!schedule}>
              <summary className="cursor-pointer text-sm font-medium">{schedule ? "Change the schedule" : "Set a schedule"}</summary>
              <div className="mt-3">
                <ScheduleForm
                  key={schedule?.version ?? 0}
                  seriesId={s.id}
                  seriesName={s.name}
                  version={schedule?.version ?? 0}
                  zones={zones}
                  action={saveScheduleAction}
                  initial={
                    schedule
                      ? { ...schedule.schedule, location: schedule.location }
                      : {
                          frequency: "weekly",
                          interval: 2,
                          weekday: 3,
                          weekOfMonth: null,
                          startsOn: today,
                          endsOn: null,
                          time: "15:00",
                          timeZone: "Europe/London",
                          durationMinutes: 60,
                          location: "",
                        }
                  }
                />
              </div>
            </details>
          )}
          {canEdit && schedule && upcoming.length > 0 && (
            <details>
              <summary className="cursor-pointer text-sm font-medium">Cancel or move a meeting</summary>
              <div className="mt-3">
                <ExceptionForm
                  seriesId={s.id}
                  action={addExceptionAction}
                  days={upcoming.filter((o) => !o.moved).map((o) => ({ day: o.day, label: formatLocal(o.start, schedule.schedule.timeZone) }))}
                />
              </div>
            </details>
          )}
        </Card>
      ))}

      <Card as="section" aria-labelledby="feeds-heading" className="space-y-2">
        <h2 id="feeds-heading" className="text-lg font-semibold">
          Subscribe from your calendar
        </h2>
        <p className="max-w-3xl text-sm text-muted">
          Calendar clients (Thunderbird, Evolution, Google Calendar, Outlook) cannot sign in, so each feed URL carries your own feed token. It opens the meeting
          feeds only, nothing else; revoke it here if a URL leaks.
        </p>
        <FeedTokenPanel active={token} rotateAction={rotateFeedTokenAction} revokeAction={revokeFeedTokenAction} />
      </Card>
    </div>
  );
}
