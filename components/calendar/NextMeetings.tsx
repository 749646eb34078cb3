import Link from "@/components/ui/Link";
import type { NextMeeting } from "@/lib/calendar/reads";
import { agendaPath } from "@/lib/calendar/ical";
import { formatLocal } from "@/lib/calendar/schedule";
import { linkClass } from "@/components/ui/styles";

/** The next scheduled meeting of each series, with its agenda: the dashboard's "Next meeting". */
export function NextMeetings({ meetings }: { meetings: NextMeeting[] }) {
  return (
    <section aria-labelledby="next-meeting" data-testid="next-meeting">
      <h2 id="next-meeting" className="mb-1 mt-4 text-lg font-semibold">
        Next meeting{meetings.length > 1 ? "s" : ""}
      </h2>
      <ul className="space-y-1 text-sm">
        {meetings.map((m) => (
          <li key={m.series.id}>
            <span className="font-medium">{m.series.name}</span>:{" "}
            <time dateTime={m.occurrence.start.toISOString()}>{formatLocal(m.occurrence.start, m.timeZone)}</time>
            {m.occurrence.moved && <span className="text-muted"> (moved)</span>} ·{" "}
            <Link href={agendaPath(m.series.slug, m.occurrence.localDay)} className={linkClass}>
              Agenda
            </Link>
          </li>
        ))}
      </ul>
      <p className="mt-1 text-xs text-muted">
        <Link href="/calendar" className={linkClass}>
          Calendar and feeds
        </Link>
      </p>
    </section>
  );
}
