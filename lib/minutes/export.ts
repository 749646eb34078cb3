/**
 * Minutes → the plain-text form the group posts to xen-devel (and Markdown).
 * The text form is the parser's inverse: `parseMinutes` of the output gives back
 * the same attendees, reviews and action items (tests/minutes/roundtrip.test.ts).
 */
import { formatLongDate } from "./dates";
import { joinOwners, leadingOwners } from "./owners";
import { STATUS_WORDS } from "./reviews";
import { collapse, fold, trimEndChars, width, wrap } from "./text";
import type { ReviewStatus } from "./types";

export const EXPORT_WIDTH = 72;

export interface ExportableMeeting {
  series: string;
  /** ISO calendar date, YYYY-MM-DD. */
  date: string;
  /** Defaults to "<series> meeting <10th May 2017>". */
  title?: string;
  attendees: string[];
  reviews: { text: string; ownerNames: string[]; status: ReviewStatus; note: string }[];
  /** Markdown: paragraphs separated by blank lines; "- " / "* " lists allowed. */
  discussion: string;
  actionItems: { text: string; ownerNames: string[]; target?: string | null; links?: (string | { url: string; title: string })[] }[];
}

/**
 * An item's target and links after its text, the way `makeItem` (actions.ts) reads
 * them back: " Target: Xen 4.10." and " Links: <url> <url>".
 */
export function itemSuffix(a: ExportableMeeting["actionItems"][number]): string {
  const target = a.target ? collapse(a.target) : "";
  const links = (a.links ?? []).map((l) => (typeof l === "string" ? l : l.url)).filter((u) => /^https?:\/\/\S+$/.test(u));
  return `${target ? ` Target: ${target.replace(/\.$/, "")}.` : ""}${links.length ? ` Links: ${links.join(" ")}` : ""}`;
}

function lowerFirst(s: string): string {
  // "Implement X" → "implement X", but "QEMU …" / "XenStore …" keep their capitals.
  return /^\p{Lu}\p{Ll}*\b/u.test(s) && !/^\p{Lu}\p{Ll}*\p{Lu}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/**
 * The item as "<Owners> to <rest>" so the owners can be read back. Text that
 * already starts with exactly its owners is kept as written.
 */
export function canonicalItemText(text: string, ownerNames: string[]): string {
  const t = collapse(text);
  if (!ownerNames.length) return t;
  const lo = leadingOwners(t);
  const same = lo && lo.owners.length === ownerNames.length && lo.owners.every((o, i) => fold(o) === fold(ownerNames[i]));
  if (same) return t;
  const owners = joinOwners(ownerNames.map(collapse));
  return t ? `${owners} to ${lowerFirst(t)}` : owners;
}

function reviewLine(r: ExportableMeeting["reviews"][number]): string {
  const text = canonicalItemText(r.text, r.ownerNames);
  const note = collapse(r.note);
  if (r.status === "unknown" && !note) return text;
  // A capitalised note is a new sentence; a lower-case one continues the words ("No progress with …").
  const joined = !note ? "." : /^\p{Lu}/u.test(note) ? `. ${note}` : ` ${note}`;
  return `${text} - ${STATUS_WORDS[r.status]}${joined}`;
}

function bulletLines(text: string): string[] {
  return wrap(text, { width: EXPORT_WIDTH, first: "* ", rest: "  " });
}

function discussionLines(markdown: string): string[] {
  const out: string[] = [];
  for (const block of markdown.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l) => l.trim());
    if (!lines.length) continue;
    if (out.length) out.push("");
    if (/^\s*[-*+]\s+/.test(lines[0])) {
      // A Markdown list: one bullet per item, wrapped lines joined first.
      const items: string[] = [];
      for (const l of lines) {
        if (/^\s*[-*+]\s+/.test(l)) items.push(l.replace(/^\s*[-*+]\s+/, ""));
        else items[items.length - 1] += ` ${l.trim()}`;
      }
      for (const it of items) out.push(...bulletLines(it));
    } else {
      // A loop, not push(...): a long paragraph wraps to more lines than a call takes arguments.
      for (const l of wrap(lines.join(" "), { width: EXPORT_WIDTH, first: "", rest: "" })) out.push(l);
    }
  }
  return out;
}

function titleOf(m: ExportableMeeting): string {
  return collapse(m.title ?? `${m.series} meeting ${formatLongDate(m.date)}`);
}

export function exportMinutesText(m: ExportableMeeting): string {
  const title = titleOf(m);
  const out: string[] = [title, "=".repeat(width(title)), "", "Attendees:"];
  for (const a of m.attendees) out.push(...bulletLines(collapse(a)));
  out.push("", "Reviewed previous action points", "");
  for (const r of m.reviews) out.push(...bulletLines(reviewLine(r)));
  if (m.reviews.length) out.push("");
  const disc = discussionLines(m.discussion);
  if (disc.length) {
    for (const l of disc) out.push(l);
    out.push("");
  }
  out.push("Action Items", "------------", "");
  for (const a of m.actionItems) out.push(...bulletLines(`${canonicalItemText(a.text, a.ownerNames)}${itemSuffix(a)}`));
  return `${trimEndChars(out.join("\n"), "\n")}\n`;
}

export function exportMinutesMarkdown(m: ExportableMeeting): string {
  const out: string[] = [`# ${titleOf(m)}`, "", "## Attendees", ""];
  for (const a of m.attendees) out.push(`- ${collapse(a)}`);
  out.push("", "## Reviewed previous action points", "");
  for (const r of m.reviews) {
    const note = collapse(r.note);
    out.push(`- ${canonicalItemText(r.text, r.ownerNames)} — **${STATUS_WORDS[r.status]}**${note ? ` ${note}` : ""}`);
  }
  if (m.discussion.trim()) out.push("", "## Discussion", "", m.discussion.trim());
  out.push("", "## Action items", "");
  for (const a of m.actionItems) {
    const extra = [
      a.target ? `target: ${collapse(a.target)}` : "",
      ...(a.links ?? []).map((l) => (typeof l === "string" ? l : `[${collapse(l.title || l.url).replace(/[[\]]/g, "")}](${l.url})`)),
    ].filter(Boolean);
    out.push(`- [ ] ${canonicalItemText(a.text, a.ownerNames)}${extra.length ? ` (${extra.join("; ")})` : ""}`);
  }
  return `${out.join("\n")}\n`;
}
