import Link from "next/link";

type MeetingRef = { id: string; date: string; title: string; series: { name: string } };

/** A compact list of meetings, newest first. */
export function MeetingRefs({ meetings, label, empty }: { meetings: MeetingRef[]; label: string; empty: string }) {
  if (!meetings.length) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ul className="divide-y divide-border rounded-lg border border-border bg-card" aria-label={label}>
      {meetings.map((m) => (
        <li key={m.id} className="flex flex-wrap items-baseline gap-x-3 p-3">
          <time dateTime={m.date} className="font-mono text-sm text-muted">{m.date}</time>
          <Link href={`/meetings/${m.id}`} className="font-medium underline-offset-2 hover:underline">{m.title}</Link>
          <span className="text-xs text-muted">{m.series.name}</span>
        </li>
      ))}
    </ul>
  );
}
