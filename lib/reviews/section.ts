/**
 * The "Reviewed previous action points" section, as Markdown. Pure (no database),
 * so the editor previews exactly what the meeting page and the export will show.
 */
import { outcomeLabel } from "./outcomes";

export interface ReviewedLike {
  outcome: string;
  note: string;
  item: { text: string; owners: { person: { displayName: string } }[] };
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

/** One line per review, as the group writes it: "<item> — **No progress**: <note>". */
export function reviewedSection(meeting: { reviews: ReviewedLike[] }, opts: { heading?: boolean } = {}): string {
  const lines = meeting.reviews.map((r) => {
    const label = outcomeLabel(r.outcome);
    const text = oneLine(r.item.text).replace(/\.$/, "");
    const note = oneLine(r.note);
    return `- ${text} — **${label}**${note ? `: ${note}` : "."}`;
  });
  const body = lines.length ? lines.join("\n") : "_Nothing to review._";
  return opts.heading === false ? `${body}\n` : `## Reviewed previous action points\n\n${body}\n`;
}
