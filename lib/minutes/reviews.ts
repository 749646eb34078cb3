/**
 * Read one reviewed action point: "<point> - <status words> <note>".
 * The status words are the group's own ("Done.", "No.", "No progress with …");
 * when a point has prose instead ("Jenny – XenServer is continuing to make slow
 * progress …") the first sentence is classified by keywords.
 */
import { leadingOwners } from "./owners";
import { collapse, sentences } from "./text";
import type { ParsedReview, ReviewStatus } from "./types";

const PHRASES: [string, ReviewStatus][] = (
  [
    ["done", "done"],
    ["completed", "done"],
    ["complete", "done"],
    ["finished", "done"],
    ["fixed", "done"],
    ["resolved", "done"],
    ["merged", "done"],
    ["yes", "done"],
    ["no progress", "no_progress"],
    ["not done", "no_progress"],
    ["not started", "no_progress"],
    ["nothing yet", "no_progress"],
    ["no", "no_progress"],
    ["in progress", "in_progress"],
    ["ongoing", "in_progress"],
    ["on-going", "in_progress"],
    ["underway", "in_progress"],
    ["partially done", "in_progress"],
    ["partly done", "in_progress"],
    ["started", "in_progress"],
    ["wip", "in_progress"],
    ["carried over", "carried_over"],
    ["carried forward", "carried_over"],
    ["carry over", "carried_over"],
    ["still open", "carried_over"],
    ["dropped", "dropped"],
    ["abandoned", "dropped"],
    ["cancelled", "dropped"],
    ["canceled", "dropped"],
    ["withdrawn", "dropped"],
    ["no longer needed", "dropped"],
    ["no longer relevant", "dropped"],
    ["obsolete", "dropped"],
    ["status unknown", "unknown"],
    ["unknown", "unknown"],
  ] as [string, ReviewStatus][]
).sort((a, b) => b[0].length - a[0].length);

/** Longest status phrase plus the character after it: all `leadingPhrase` ever reads. */
const PHRASE_SPAN = Math.max(...PHRASES.map(([p]) => p.length)) + 1;

/** The words the exporter writes for each status; `parseReview` reads them back. */
export const STATUS_WORDS: Record<ReviewStatus, string> = {
  done: "Done",
  no_progress: "No progress",
  in_progress: "In progress",
  carried_over: "Carried over",
  dropped: "Dropped",
  unknown: "Status unknown",
};

/** A status phrase at the very start of `s`, as a whole word ("No" but not "No-op"). */
function leadingPhrase(s: string): { words: string; status: ReviewStatus } | null {
  for (const [p, status] of PHRASES) {
    if (s.length < p.length || s.slice(0, p.length).toLowerCase() !== p) continue;
    const next = s.charAt(p.length);
    if (next === "" || /[\s.,;:!)\]]/.test(next)) return { words: s.slice(0, p.length), status };
  }
  return null;
}

/** Keyword classification of free prose; the first matching rule wins, most specific first. */
const KEYWORDS: [RegExp, ReviewStatus][] = [
  [/\b(dropped|abandoned|no longer (?:needed|relevant|required))\b/i, "dropped"],
  [/\b(no progress|not (?:started|done|yet started)|nothing (?:done|yet))\b/i, "no_progress"],
  [/\b(carr(?:y|ied) (?:over|forward))\b/i, "carried_over"],
  [/\b(in progress|ongoing|continu\w*|progress\w*|working on|started|partially|underway)\b/i, "in_progress"],
  [/\b(done|completed?|finished|merged|committed)\b/i, "done"],
];

function classify(prose: string): { words: string; status: ReviewStatus } | null {
  const first = sentences(prose)[0] ?? prose;
  for (const [re, status] of KEYWORDS) {
    const m = re.exec(first);
    if (m) return { words: m[1], status };
  }
  return null;
}

/** Leading punctuation between the status words and the note ("Done. Note", "No progress, due …"). */
function noteAfter(s: string): string {
  return collapse(s.replace(/^[\s.,;:!]+/, ""));
}

/** Over collapsed text (single spaces); one leading `\s`, as `\s+` first would be quadratic on a run of spaces. */
const SEPARATOR = /\s[-–—]+\s+/g;

/**
 * "Igor's physmap patches …": the owner written as a possessive. One capitalised word (or two),
 * then 's; matched by hand, character classes only, so it is linear.
 */
const POSSESSIVE = /^(\p{Lu}[\p{Ll}-]+(?: \p{Lu}[\p{Ll}-]+)?)['’]s\s/u;

/** The owners a point names: "Igor to …", "Igor, Ian: …", or the possessive "Igor's …". */
export function reviewOwners(t: string): string[] {
  const lo = leadingOwners(t);
  if (lo) return lo.owners;
  const m = POSSESSIVE.exec(t);
  return m ? [m[1]] : [];
}

/**
 * "<point>: done" — the last ": " followed by a status phrase and at most a short note.
 * Found with indexOf (no regex over the point), so it stays linear.
 */
function colonStatus(text: string): { at: number; after: string; phrase: { words: string; status: ReviewStatus } } | null {
  let best: { at: number; after: string; phrase: { words: string; status: ReviewStatus } } | null = null;
  // Only the few characters a phrase can span are copied per colon: linear in the text.
  let found: { at: number; phrase: { words: string; status: ReviewStatus } } | null = null;
  for (let at = text.indexOf(": "); at !== -1; at = text.indexOf(": ", at + 2)) {
    const phrase = leadingPhrase(text.slice(at + 2, at + 2 + PHRASE_SPAN));
    if (phrase) found = { at, phrase };
  }
  if (found) best = { at: found.at, after: text.slice(found.at + 2), phrase: found.phrase };
  return best;
}

export function parseReview(raw: string): ParsedReview {
  const text = collapse(raw);
  const owners = reviewOwners;
  const result = (t: string, s: { words: string; status: ReviewStatus } | null, note: string): ParsedReview => ({
    text: t,
    ownerNames: owners(t),
    status: s?.status ?? "unknown",
    statusWords: s?.words ?? "",
    note,
  });

  // "DONE: Paul to …" / "[Done] Paul to …"
  const pre = /^\[?([a-z][a-z -]{1,20}?)\]?(?:\s*[:\]]|\s+[-–—])\s+(\S.*)$/i.exec(text);
  if (pre) {
    const p = leadingPhrase(pre[1]);
    if (p && p.words.length === pre[1].length) return result(collapse(pre[2]), p, "");
  }

  // "<point> - <status> <note>": the first separator followed by a status phrase.
  const seps = [...text.matchAll(SEPARATOR)];
  for (const m of seps) {
    const after = text.slice((m.index as number) + m[0].length);
    const p = leadingPhrase(after);
    if (p) return result(text.slice(0, m.index).trim(), p, noteAfter(after.slice(p.words.length)));
  }
  // "<Name> – <prose>": the point is only a name, the prose says how it went.
  if (seps.length) {
    const m = seps[0];
    const before = text.slice(0, m.index).trim();
    const lo = leadingOwners(before);
    if (lo && lo.connector === "names-only") {
      const after = collapse(text.slice((m.index as number) + m[0].length));
      return result(before, classify(after), after);
    }
  }
  // "<point>: done" / "<point>: No progress, due to …" (but not "Igor: done", where the point is only a name).
  const colon = colonStatus(text);
  if (colon && colon.at > 0) {
    const point = text.slice(0, colon.at).trim();
    if (leadingOwners(point)?.connector !== "names-only" || point.includes(" "))
      return result(point, colon.phrase, noteAfter(colon.after.slice(colon.phrase.words.length)));
  }
  // "<point>. Done." / "<point> (done)"
  const paren = /\(([^()]+)\)\.?$/.exec(text);
  if (paren) {
    const p = leadingPhrase(paren[1]);
    if (p) return result(text.slice(0, paren.index).trim(), p, noteAfter(paren[1].slice(p.words.length)));
  }
  const ss = sentences(text);
  if (ss.length > 1) {
    const last = ss[ss.length - 1];
    const p = leadingPhrase(last);
    if (p && noteAfter(last.slice(p.words.length)) === "") return result(ss.slice(0, -1).join(" "), p, "");
  }
  return result(text, null, "");
}
