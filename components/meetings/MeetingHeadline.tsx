import Link from "@/components/ui/Link";
import { titleLinkClass } from "@/components/ui/styles";

/** A meeting in a list: its date, then its title linking to it. */
export function MeetingHeadline({ meeting }: { meeting: { id: string; date: string; title: string } }) {
  return (
    <>
      <time dateTime={meeting.date} className="font-mono text-sm text-muted">
        {meeting.date}
      </time>
      <Link href={`/meetings/${meeting.id}`} className={titleLinkClass}>
        {meeting.title}
      </Link>
    </>
  );
}
