/**
 * A meeting as one Markdown document (the "Export Markdown" link): what the group
 * would paste into a mail or a wiki. Pure: takes what getMeeting returns.
 */
import { fold } from "@/lib/minutes/text";
import { reviewedSection, type ReviewedLike } from "@/lib/reviews/section";

export interface ExportableMeetingDetail {
  title: string;
  date: Date;
  sourceUrl: string | null;
  series: { name: string };
  attendees: { person: { displayName: string } }[];
  topics: { topic: { name: string } }[];
  body: string;
  decisions: string;
  reviews: ReviewedLike[];
  itemsCreated: { text: string; status: string; target: string | null; owners: { person: { displayName: string } }[] }[];
}

export function meetingMarkdown(m: ExportableMeetingDetail): string {
  const out: string[] = [`# ${m.title}`, "", `- Series: ${m.series.name}`, `- Date: ${m.date.toISOString().slice(0, 10)}`];
  if (m.topics.length) out.push(`- Topics: ${m.topics.map((t) => t.topic.name).join(", ")}`);
  if (m.sourceUrl) out.push(`- Source: <${m.sourceUrl}>`);
  out.push("", "## Attendees", "");
  out.push(...(m.attendees.length ? m.attendees.map((a) => `- ${a.person.displayName}`) : ["_None recorded._"]));
  out.push("", reviewedSection(m).trimEnd());
  if (m.body.trim()) out.push("", "## Discussion", "", m.body.trim());
  if (m.decisions.trim()) out.push("", "## Decisions", "", m.decisions.trim());
  out.push("", "## Action items", "");
  out.push(
    ...(m.itemsCreated.length
      ? m.itemsCreated.map((i) => {
          const extra = [
            i.owners.length ? `owners: ${i.owners.map((o) => o.person.displayName).join(", ")}` : "",
            i.target ? `target: ${i.target}` : "",
            i.status !== "open" ? `status: ${i.status.replace("_", " ")}` : "",
          ].filter(Boolean);
          return `- [${i.status === "done" ? "x" : " "}] ${i.text.replace(/\s+/g, " ").trim()}${extra.length ? ` _(${extra.join("; ")})_` : ""}`;
        })
      : ["_None._"]),
  );
  return `${out.join("\n")}\n`;
}

/** Longest title part of a download's name; longer titles are cut at a word, never inside one. */
const FILE_SLUG_MAX = 80;

/**
 * A meeting's download name, for the Markdown and the plain-text minutes alike:
 * "2017-05-10-qemu-working-group-meeting.md". The title is folded as names are
 * ("Jürgen Groß" → "jurgen-gross"), so the name is plain ASCII.
 */
export function exportFileName(m: { title: string; date: Date | string }, ext: "md" | "txt" = "md"): string {
  const date = typeof m.date === "string" ? m.date.slice(0, 10) : m.date.toISOString().slice(0, 10);
  let slug = fold(m.title)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  if (slug.length > FILE_SLUG_MAX) {
    const cut = slug.lastIndexOf("-", FILE_SLUG_MAX);
    slug = slug.slice(0, cut > 0 ? cut : FILE_SLUG_MAX);
  }
  return `${date}-${slug || "meeting"}.${ext}`;
}
