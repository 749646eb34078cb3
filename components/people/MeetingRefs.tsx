import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { MeetingHeadline } from "@/components/meetings/MeetingHeadline";

type MeetingRef = { id: string; date: string; title: string; series: { name: string } };

/** A compact list of meetings, newest first. */
export function MeetingRefs({ meetings, label, empty }: { meetings: MeetingRef[]; label: string; empty: string }) {
  if (!meetings.length) return <EmptyState>{empty}</EmptyState>;
  return (
    <Card as="ul" padding="none" className="divide-y divide-border" aria-label={label}>
      {meetings.map((m) => (
        <li key={m.id} className="flex flex-wrap items-baseline gap-x-3 p-3">
          <MeetingHeadline meeting={m} />
          <span className="text-xs text-muted">{m.series.name}</span>
        </li>
      ))}
    </Card>
  );
}
