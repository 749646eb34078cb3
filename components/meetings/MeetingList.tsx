import Link from "@/components/ui/Link";
import type { MeetingSummary } from "@/lib/meetings/reads";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { chipClass } from "@/components/ui/styles";
import { MeetingHeadline } from "./MeetingHeadline";
import { plural } from "@/components/ui/format";

/** The list's rows. Snippets come from lib/meetings/search: escaped HTML with <mark> only. */
export function MeetingList({ meetings }: { meetings: MeetingSummary[] }) {
  if (!meetings.length) return <EmptyState>No meetings match.</EmptyState>;
  return (
    <Card as="ul" padding="none" className="divide-y divide-border" aria-label="Meetings">
      {meetings.map((m) => (
        <li key={m.id} className="p-4">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <MeetingHeadline meeting={m} />
            <span className="text-xs text-muted">
              {m.series.name} · {plural(m.attendeeCount, "attendee")} · {plural(m.itemCount, "item")}
            </span>
          </div>
          {m.topics.length > 0 && (
            <p className="mt-1 flex flex-wrap gap-1">
              {m.topics.map((t) => (
                <Link key={t.slug} href={`/meetings?topic=${encodeURIComponent(t.slug)}`} className={chipClass}>
                  {t.name}
                </Link>
              ))}
            </p>
          )}
          {m.snippet !== undefined && <p className="search-snippet mt-2 text-sm" data-testid="snippet" dangerouslySetInnerHTML={{ __html: m.snippet }} />}
        </li>
      ))}
    </Card>
  );
}
