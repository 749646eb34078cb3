/**
 * Minutes text → structured minutes. Pure: no database, no I/O.
 * See `sections.ts` for how the text is cut, `reviews.ts` / `actions.ts` for
 * the items, `dates.ts` for dates.
 */
import { createHash } from "node:crypto";
import { discussionItems, mergeItems, readActionList } from "./actions";
import { stripChrome } from "./chrome";
import { daysBetween, lastDate } from "./dates";
import { parseReview } from "./reviews";
import { bullet, paragraphs, readList, skipBlank, splitDocument, type Section } from "./sections";
import { collapse, fold, normalizeLines, trimEndChars } from "./text";
import { leadingOwners, splitOwnerList } from "./owners";
import type { DateSource, DecodedMessage, NotMinutes, ParsedMinutes, ParsedReview } from "./types";

/** How far after the meeting minutes are still plausibly posted. */
const POSTED_WITHIN_DAYS = 14;

/**
 * Bounds on one message, so that parsing one cannot hold the event loop for long: every
 * step is linear, and a message is at most MAX_MESSAGE_CHARS (the group's minutes are
 * ~10 KB; an mbox of many is read message by message, yielding in between, see plan.ts).
 * Minutes are hard-wrapped text; a paragraph pasted unwrapped is a few thousand
 * characters, so a longer line than MAX_LINE_CHARS is not minutes either.
 */
export const MAX_MESSAGE_CHARS = 1_000_000;
export const MAX_LINE_CHARS = 20_000;
/**
 * More attendees or action items than any meeting has: comparing them pairwise (duplicates,
 * discussion items against the list) would be quadratic, so such a message is not minutes.
 */
export const MAX_ATTENDEES = 500;
export const MAX_ITEMS = 2_000;

/** `push(...many)` overflows the stack past ~100k arguments; an upload can have that many lines. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

/** The first line longer than MAX_LINE_CHARS (1-based number and length), if any. */
function overlongLine(text: string): { line: number; length: number } | null {
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > MAX_LINE_CHARS) return { line, length: end - start };
    if (nl < 0) break;
    start = nl + 1;
  }
  return null;
}

/** A name without a trailing "(Citrix)" and trailing punctuation; by hand, as `/\([^)]*\)\s*$/` is quadratic. */
function cleanName(s: string): string {
  const t = s.trimEnd();
  if (t.endsWith(")")) {
    const open = t.indexOf("(", t.lastIndexOf(")", t.length - 2) + 1);
    if (open >= 0 && open < t.length - 1) s = t.slice(0, open);
  }
  return collapse(trimEndChars(s, ".;,"));
}

/** A line of an un-bulleted attendee list: a few capitalised words, not a sentence. */
function looksLikeNameLine(l: string): boolean {
  const t = l.trim();
  if (!t || t.length > 80 || /[.!?:]$/.test(t)) return false;
  if (/\s(?:to|is|are|was|were|the|will)\s/i.test(` ${t} `)) return false;
  return splitOwnerList(cleanName(t)).every((n) => /^\p{Lu}/u.test(n) && n.split(/\s+/).length <= 5);
}

function readAttendees(sec: Section): { names: string[]; rest: string[] } {
  if (sec.inline) return { names: splitOwnerList(sec.inline).map(cleanName).filter(Boolean), rest: sec.lines };
  const lines = sec.lines;
  const start = skipBlank(lines, 0);
  if (start >= lines.length) return { names: [], rest: [] };
  if (bullet(lines[start])) {
    const { items, end } = readList(lines, start);
    return { names: items.flatMap((i) => splitOwnerList(cleanName(i))), rest: lines.slice(end) };
  }
  const names: string[] = [];
  let i = start;
  for (; i < lines.length && lines[i].trim() !== "" && looksLikeNameLine(lines[i]); i++) {
    names.push(...splitOwnerList(cleanName(lines[i])));
  }
  return { names, rest: lines.slice(i) };
}

/** Reviewed points: a bullet list, or without bullets the first paragraph, one point per line. */
function readReviews(lines: string[]): { reviews: ParsedReview[]; rest: string[] } {
  const start = skipBlank(lines, 0);
  if (start >= lines.length) return { reviews: [], rest: [] };
  if (bullet(lines[start])) {
    const { items, end } = readList(lines, start);
    return { reviews: items.map(parseReview), rest: lines.slice(end) };
  }
  const texts: string[] = [];
  let i = start;
  for (; i < lines.length && lines[i].trim() !== ""; i++) {
    const l = lines[i].trim();
    if (texts.length === 0 || leadingOwners(l.split(/\s[-–—]\s/)[0]) !== null) texts.push(l);
    else texts[texts.length - 1] += ` ${l}`;
  }
  // Prose that names no statuses is discussion, not reviews.
  const reviews = texts.map(parseReview);
  if (reviews.every((r) => r.status === "unknown")) return { reviews: [], rest: lines };
  return { reviews, rest: lines.slice(i) };
}

/** Hard-wrapped lines → Markdown paragraphs; bullet lists stay lists. */
export function toMarkdown(lines: string[]): string {
  const out: string[] = [];
  for (const para of paragraphs(lines)) {
    if (bullet(para[0])) {
      const { items, end } = readList(para, 0);
      out.push(items.map((i) => `- ${i}`).join("\n"));
      if (end < para.length) out.push(collapse(para.slice(end).join(" ")));
    } else {
      out.push(collapse(para.join(" ")));
    }
  }
  return out.join("\n\n");
}

function seriesOf(title: string | null): string | null {
  if (!title) return null;
  const d = lastDate(title);
  let s = d ? title.slice(0, d.start) + title.slice(d.end) : title;
  s = s.replace(/\b(?:meeting|minutes)(?:\s+(?:minutes|notes))?(?:\s*(?:on|of|for|from))?(?:\s*[-–—:,])?\s*$/i, "");
  s = trimEndChars(collapse(s), (c) => /[\s\-–—:,]/.test(c));
  return s || null;
}

function cleanSubject(s: string | null): string | null {
  if (!s) return null;
  return collapse(s.replace(/^(?:(?:re|fwd?|aw)\s*:\s*|\[[\w.+-]{1,40}\]\s*)+/i, "")) || null;
}

interface DateChoice {
  date: string | null;
  dateSource: DateSource;
  dateReason: string;
  warnings: string[];
}

function chooseDate(heading: { iso: string; text: string } | null, subject: { iso: string; text: string } | null, mail: string | null): DateChoice {
  const postedAfter = (iso: string) => mail !== null && daysBetween(iso, mail) >= -1 && daysBetween(iso, mail) <= POSTED_WITHIN_DAYS;
  const warnings: string[] = [];
  if (heading && subject && heading.iso !== subject.iso) {
    let pick: "subject" | "heading" = "subject";
    let why: string;
    if (mail && postedAfter(heading.iso) && !postedAfter(subject.iso)) {
      pick = "heading";
      why = `the heading's date fits the Date header (${mail}) and the subject's does not`;
    } else if (mail && postedAfter(subject.iso)) {
      why = `the subject's date fits the Date header (${mail})`;
    } else {
      why = "the subject is written when posting, while a heading is often copied from the previous minutes";
    }
    const chosen = pick === "subject" ? subject : heading;
    warnings.push(
      `Dates disagree: the heading says ${heading.iso} ("${heading.text}") but the subject says ${subject.iso} ("${subject.text}"); using ${chosen.iso} from the ${pick} because ${why}. Check before importing.`,
    );
    return { date: chosen.iso, dateSource: pick, dateReason: `${pick}: ${why}`, warnings };
  }
  const one = subject ?? heading;
  if (one) {
    const source: DateSource = subject ? "subject" : "heading";
    const agree = heading && subject ? "heading and subject agree" : `only the ${source} has a date`;
    if (mail && !postedAfter(one.iso)) {
      warnings.push(`The ${source} date ${one.iso} is not within ${POSTED_WITHIN_DAYS} days before the mail's Date header (${mail}).`);
    }
    return { date: one.iso, dateSource: source, dateReason: mail && postedAfter(one.iso) ? `${agree}; the Date header (${mail}) fits` : agree, warnings };
  }
  if (mail) {
    warnings.push(`No date in the heading or subject; using the mail's Date header (${mail}), which may be a few days after the meeting.`);
    return { date: mail, dateSource: "date-header", dateReason: "no date in heading or subject; Date header used", warnings };
  }
  warnings.push("No meeting date found (heading, subject or Date header).");
  return { date: null, dateSource: "none", dateReason: "no date found", warnings };
}

function fingerprintOf(m: Pick<ParsedMinutes, "series" | "date" | "attendees" | "reviews" | "actionItems" | "discussion">): string {
  const canonical = JSON.stringify({
    series: fold(m.series ?? ""),
    date: m.date,
    attendees: m.attendees.map(fold).sort(),
    reviews: m.reviews.map((r) => [fold(r.text), r.status, fold(r.note)]),
    actionItems: m.actionItems.map((a) => fold(a.text)),
    discussion: fold(m.discussion),
  });
  return createHash("sha256").update(canonical).digest("hex");
}

function isoDay(d: Date | null): string | null {
  return d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10) : null;
}

export function parseMinutes(msg: DecodedMessage): ParsedMinutes | NotMinutes {
  // Checked before anything else reads the text.
  const tooLong = (reason: string): NotMinutes => ({
    kind: "not_minutes",
    index: msg.index,
    messageId: msg.messageId,
    subject: cleanSubject(msg.subject),
    reason,
  });
  if (msg.text.length > MAX_MESSAGE_CHARS) {
    return tooLong(`The message is ${msg.text.length.toLocaleString("en")} characters long; minutes are at most ${MAX_MESSAGE_CHARS.toLocaleString("en")}.`);
  }
  const long = overlongLine(msg.text);
  if (long) {
    return tooLong(
      `Line ${long.line} is ${long.length.toLocaleString("en")} characters long; minutes are hard-wrapped text, at most ${MAX_LINE_CHARS.toLocaleString("en")} characters a line.`,
    );
  }
  const stripped = stripChrome(msg.text);
  const subject = cleanSubject(msg.subject) ?? cleanSubject(stripped.subject);
  const notMinutes = (reason: string): NotMinutes => ({ kind: "not_minutes", index: msg.index, messageId: msg.messageId, subject, reason });
  if (msg.error) return notMinutes(msg.error.message);

  const doc = splitDocument(normalizeLines(stripped.text));
  const warnings: string[] = [];
  const attendees: string[] = [];
  const reviews: ParsedReview[] = [];
  const discussionLines: string[] = [];
  const listItems: ReturnType<typeof readActionList>["items"] = [];
  const found = { attendees: false, reviews: false, actions: false };
  const attendeeKeys = new Set<string>();

  for (const sec of doc.sections) {
    switch (sec.kind) {
      case "attendees": {
        found.attendees = true;
        const { names, rest } = readAttendees(sec);
        for (const n of names) {
          const key = fold(n);
          if (attendeeKeys.has(key)) continue;
          attendeeKeys.add(key);
          attendees.push(n);
        }
        discussionLines.push("");
        append(discussionLines, rest);
        break;
      }
      case "reviews": {
        found.reviews = true;
        const { reviews: rs, rest } = readReviews(sec.lines);
        append(reviews, rs);
        discussionLines.push("");
        append(discussionLines, rest);
        break;
      }
      case "actions": {
        found.actions = true;
        const { items, end } = readActionList(sec.lines);
        append(listItems, items);
        const trailing = sec.lines.slice(end).filter((l) => l.trim());
        if (trailing.length) warnings.push(`Ignored ${trailing.length} line(s) after the action items ("${collapse(trailing[0]).slice(0, 60)}").`);
        break;
      }
      case "apologies":
        break;
      default:
        discussionLines.push("");
        append(discussionLines, sec.lines);
    }
  }

  const hasHeading = doc.title !== null || /\b(?:meeting|minutes)\b/i.test(subject ?? "");
  const signals = [hasHeading, found.attendees && attendees.length > 0, found.actions || found.reviews].filter(Boolean).length;
  if (signals < 2) {
    const missing = [
      !hasHeading && "no meeting heading or subject",
      !(found.attendees && attendees.length) && "no attendees",
      !(found.actions || found.reviews) && "no action items or reviewed action points",
    ].filter(Boolean);
    return notMinutes(`Not meeting minutes: ${missing.join(", ")}.`);
  }

  if (attendees.length > MAX_ATTENDEES)
    return notMinutes(`Not meeting minutes: ${attendees.length.toLocaleString("en")} attendees (at most ${MAX_ATTENDEES}).`);
  const discussion = toMarkdown(discussionLines);
  const fromDiscussion = discussionItems(discussion, attendees);
  const itemCount = listItems.length + reviews.length + fromDiscussion.length;
  if (itemCount > MAX_ITEMS)
    return notMinutes(`Not meeting minutes: ${itemCount.toLocaleString("en")} action items and reviewed points (at most ${MAX_ITEMS.toLocaleString("en")}).`);
  const { items: actionItems, added } = mergeItems(listItems, fromDiscussion);
  for (const a of added) warnings.push(`Action item taken from the discussion (not in the Action Items list): "${a.text}"`);
  for (const a of actionItems) for (const f of a.fixes) warnings.push(`Action item "${a.text}": ${f}.`);
  for (const a of actionItems) if (!a.ownerNames.length) warnings.push(`Action item without an owner: "${a.text}"`);
  for (const r of reviews) if (r.status === "unknown") warnings.push(`Reviewed point without a recognisable status: "${r.text}"`);

  const title = doc.title ?? null;
  const series = seriesOf(title) ?? seriesOf(subject);
  const headingDate = lastDate(title);
  const subjectDate = lastDate(subject);
  const mailDate = isoDay(msg.date) ?? (stripped.dateText ? isoDay(new Date(stripped.dateText)) : null);
  const choice = chooseDate(headingDate, subjectDate, mailDate);
  append(warnings, choice.warnings);
  if (!found.attendees) warnings.push("No attendees section.");

  const core = { series, date: choice.date, attendees, reviews, actionItems, discussion };
  return {
    kind: "minutes",
    index: msg.index,
    messageId: msg.messageId,
    subject,
    from: msg.from,
    title,
    series,
    date: choice.date,
    dateSource: choice.dateSource,
    dateReason: choice.dateReason,
    headingDate: headingDate?.iso ?? null,
    subjectDate: subjectDate?.iso ?? null,
    mailDate,
    attendees,
    reviews,
    discussion,
    actionItems,
    warnings,
    fingerprint: fingerprintOf(core),
  };
}
