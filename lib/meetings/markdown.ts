/**
 * A meeting as one Markdown document (the "Export Markdown" link): what the group
 * would paste into a mail or a wiki. Pure: takes what getMeeting returns.
 */
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
          const extra = [i.owners.length ? `owners: ${i.owners.map((o) => o.person.displayName).join(", ")}` : "", i.target ? `target: ${i.target}` : "", i.status !== "open" ? `status: ${i.status.replace("_", " ")}` : ""].filter(Boolean);
          return `- [${i.status === "done" ? "x" : " "}] ${i.text.replace(/\s+/g, " ").trim()}${extra.length ? ` _(${extra.join("; ")})_` : ""}`;
        })
      : ["_None._"]),
  );
  return `${out.join("\n")}\n`;
}

/** "2017-05-10-qemu-working-group-meeting.md" */
export function exportFileName(m: { title: string; date: Date }): string {
  const slug = m.title.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "meeting";
  return `${m.date.toISOString().slice(0, 10)}-${slug}.md`;
}
