/**
 * An agenda as the plain text the list expects, in the minutes export's form
 * (lib/minutes/export.ts): the title underlined with "=", plain section headings,
 * "* " bullets wrapped at the same width with the same helpers. Pure.
 */
import { describeEvidence } from "@/lib/evidence/assess";
import { formatLongDate } from "@/lib/minutes/dates";
import { EXPORT_WIDTH } from "@/lib/minutes/export";
import { collapse, trimEndChars, width, wrap } from "@/lib/minutes/text";
import { outcomeLabel } from "@/lib/reviews/outcomes";
import type { AgendaDraft, AgendaItem, AgendaTopic } from "./draft";

const bullet = (text: string) => wrap(text, { width: EXPORT_WIDTH, first: "* ", rest: "  " });
const indented = (text: string, first = "  ", rest = "  ") => wrap(text, { width: EXPORT_WIDTH, first, rest });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The heading of the agenda text (and of the download's file name). */
export const agendaTitle = (d: AgendaDraft) => `Agenda: ${d.title}`;

function itemDetails(i: AgendaItem): string {
  const parts: string[] = [];
  if (i.lastReview) {
    const note = collapse(i.lastReview.note);
    parts.push(
      `Last reviewed ${formatLongDate(i.lastReview.meetingDate)}: ${outcomeLabel(i.lastReview.outcome)}${note ? ` - ${note}` : ""}${/[.!?]$/.test(note) ? "" : "."}`,
    );
  } else parts.push("Not reviewed yet.");
  if (i.status === "blocked") parts.push("Blocked.");
  const due = i.dueDate ? `due ${formatLongDate(i.dueDate)}${i.overdue ? ", overdue" : i.dueByMeeting ? ", due by this meeting" : ""}` : "";
  if (i.target && i.target !== i.dueDate) parts.push(`Target: ${collapse(i.target)}${due ? `, ${due}` : ""}.`);
  else if (due) parts.push(`${due[0].toUpperCase()}${due.slice(1)}.`);
  if (i.evidence && i.evidence.state !== "unlinked") parts.push(`Fleet: ${describeEvidence(i.evidence)}`);
  return parts.join(" ");
}

function measureLines(t: AgendaTopic, since: string | null): string[] {
  const out: string[] = [];
  for (const m of t.measures) {
    const was = m.was === null ? "" : `, was ${m.was}`;
    out.push(...indented(`${m.ruleId} (${m.label}): ${plural(m.now, "VM")}${was}.`, "  - ", "    "));
  }
  const u = t.unclassified;
  if (u && u.keys > 0) {
    const fresh = u.new.length
      ? `, ${u.new.length} new since the last meeting: ${u.new.map((n) => `${n.pattern} (${plural(n.vmCount, "VM")})`).join(", ")}`
      : since
        ? ", none new since the last meeting"
        : "";
    out.push(...indented(`unclassified XenStore uses: ${plural(u.keys, "key")}${fresh}.`, "  - ", "    "));
  }
  return out;
}

export function renderAgendaText(d: AgendaDraft): string {
  const title = agendaTitle(d);
  const out: string[] = [title, "=".repeat(width(title)), ""];
  if (d.when) {
    out.push(
      ...indented(
        `When: ${d.when.label} (${d.when.timeZone})${d.when.moved ? ", moved from its usual day" : ""}${d.when.note ? ` - ${collapse(d.when.note)}` : ""}`,
        "",
        "  ",
      ),
    );
    if (d.when.location) out.push(...indented(`Where: ${collapse(d.when.location)}`, "", "  "));
  } else out.push(`When: ${formatLongDate(d.date)}`);
  if (d.lastMeeting) out.push(`Last meeting: ${formatLongDate(d.lastMeeting.date)}`);
  out.push("", "Review of previous action points", "");
  if (!d.groups.length) out.push("Nothing open to review.", "");
  for (const g of d.groups) {
    out.push(`${collapse(g.label)}:`);
    for (const i of g.items) {
      out.push(...bullet(i.text));
      out.push(...indented(itemDetails(i)));
    }
    out.push("");
  }
  out.push("Topics", "------", "");
  if (!d.topics.length) out.push("No open items and nothing measured.", "");
  for (const t of d.topics) {
    out.push(...bullet(`${t.name}${t.openItems ? ` (${plural(t.openItems, "open item")})` : ""}`));
    out.push(...measureLines(t, d.fleet.wasAt));
  }
  if (d.topics.length) out.push("");
  const fleet = d.fleet.hostsWatched
    ? `Fleet: ${d.fleet.hostsRead} of ${plural(d.fleet.hostsWatched, "host")} read${d.fleet.wasAt ? `; "was" is at the last meeting, ${d.fleet.wasAt.slice(0, 16).replace("T", " ")} UTC` : ""}.`
    : "Fleet: no host is registered.";
  out.push(...indented(fleet, "", ""));
  for (const n of d.fleet.notes) out.push(...indented(n, "", ""));
  return `${trimEndChars(out.join("\n"), "\n")}\n`;
}
