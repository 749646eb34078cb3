/**
 * Action items: the "Action Items" list, plus "<Name> to <verb> …" sentences
 * of the discussion. The same task often appears in both (the 10 May 2017
 * minutes have it in the body and, with a stray "If", in the list); it must
 * become one item, so sentences are compared by owners and content words.
 */
import { leadingOwners } from "./owners";
import { bullet, readList, skipBlank } from "./sections";
import { firstNames, isFullName, sameName } from "@/lib/people/names";
import { collapse, contentTokens, dice, fold, sentences } from "./text";
import type { ParsedActionItem } from "./types";

/** Content-word overlap above which two sentences with the same owners are the same task. */
export const SAME_ITEM_THRESHOLD = 0.8;

/**
 * " Links: <url> <url>" and " Target: <target>." at the end of an item (what the text
 * export writes) → the fields; lastIndexOf and token checks, no backtracking.
 */
export function splitItemSuffix(text: string): { text: string; target?: string; links?: string[] } {
  let rest = text;
  let links: string[] | undefined;
  const li = rest.lastIndexOf(" Links: ");
  if (li > 0) {
    const urls = rest
      .slice(li + 8)
      .split(" ")
      .filter(Boolean);
    if (urls.length && urls.every((u) => /^https?:\/\/\S+$/.test(u))) {
      links = urls;
      rest = rest.slice(0, li);
    }
  }
  let target: string | undefined;
  const ti = rest.lastIndexOf(" Target: ");
  if (ti > 0 && rest.endsWith(".") && rest.length - ti - 10 <= 100 && rest.length - ti - 10 > 0) {
    target = rest.slice(ti + 9, -1);
    rest = rest.slice(0, ti);
  }
  return { text: rest, ...(target && { target }), ...(links && { links }) };
}

export function makeItem(raw: string, source: ParsedActionItem["source"]): ParsedActionItem {
  const suffix = splitItemSuffix(collapse(raw));
  let text = suffix.text.replace(/^(?:action|ap|todo)\s*:\s*/i, "");
  const fixes: string[] = [];
  let lo = leadingOwners(text);
  if (lo?.strayIf) {
    // "If Andrew to double check …" is never grammatical: the "If" is a leftover.
    text = text.replace(/^If\s+/, "");
    fixes.push('removed a stray leading "If"');
    lo = leadingOwners(text);
  }
  const ownerNames = lo && lo.connector !== "names-only" ? lo.owners : [];
  return {
    text,
    ownerNames,
    source,
    mentionedInDiscussion: false,
    fixes,
    ...(suffix.target && { target: suffix.target }),
    ...(suffix.links && { links: suffix.links }),
  };
}

/**
 * Items of the Action Items section: bullets, or (no bullets) lines that start
 * with "<Name> to", lines that do not continuing the previous one. Returns the
 * index where the list ends so trailing text can be reported.
 */
export function readActionList(lines: string[]): { items: ParsedActionItem[]; end: number } {
  const start = skipBlank(lines, 0);
  if (start >= lines.length) return { items: [], end: start };
  if (bullet(lines[start])) {
    const { items, end } = readList(lines, start);
    return { items: items.map((t) => makeItem(t, "list")), end };
  }
  const texts: string[] = [];
  let i = start;
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) {
      const j = skipBlank(lines, i);
      if (j < lines.length && leadingOwners(lines[j].trim())?.connector === "to") {
        i = j - 1;
        continue;
      }
      break;
    }
    const lo = leadingOwners(l.replace(/^(?:action|ap|todo)\s*:\s*/i, ""));
    if ((lo && lo.connector === "to") || texts.length === 0) texts.push(l);
    else texts[texts.length - 1] += ` ${l}`;
  }
  return { items: texts.map((t) => makeItem(t, "list")), end: i };
}

function sameOwner(a: string, b: string): boolean {
  if (sameName(a, b)) return true;
  // "Andrew" vs "Andrew Cooper": a lone first name matches the full name it starts.
  return (!isFullName(a) || !isFullName(b)) && firstNames(a).some((f) => firstNames(b).includes(f));
}

export function sameOwners(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => sameOwner(x, y)));
}

export function sameTask(a: ParsedActionItem, b: ParsedActionItem): boolean {
  if (!sameOwners(a.ownerNames, b.ownerNames)) return false;
  const rest = (t: string) => leadingOwners(t)?.rest ?? t;
  if (fold(rest(a.text)) === fold(rest(b.text))) return true;
  return dice(contentTokens(rest(a.text)), contentTokens(rest(b.text))) >= SAME_ITEM_THRESHOLD;
}

/**
 * Whether a name is one of the attendees: the same name, one word of an attendee's name,
 * or a full name whose first name is an attendee listed by first name only (`sameOwner`).
 * Sets, so a long discussion costs one look-up per owner rather than a scan of the list.
 */
function attendeeTest(attendees: string[]): (name: string) => boolean {
  const full = new Set<string>();
  const words = new Set<string>();
  for (const a of attendees) {
    const f = fold(a);
    full.add(f);
    for (const w of f.split(" ")) words.add(w);
  }
  return (name) => {
    const f = fold(name);
    return full.has(f) || words.has(f) || full.has(f.split(" ")[0]);
  };
}

/**
 * "<Name> to <verb> …" sentences of the discussion whose names are all
 * attendees (so "QEMU to …" or "Xen to …" is not taken for an owner). With no
 * attendee list, any capitalised non-stopword name counts.
 */
export function discussionItems(discussion: string, attendees: string[]): ParsedActionItem[] {
  const out: ParsedActionItem[] = [];
  const isAttendee = attendeeTest(attendees);
  for (const para of discussion.split(/\n{2,}/)) {
    for (const s of sentences(para.replace(/^[-*]\s+/gm, ""))) {
      const lo = leadingOwners(s);
      if (!lo || lo.connector !== "to") continue;
      if (attendees.length && !lo.owners.every(isAttendee)) continue;
      out.push(makeItem(s, "discussion"));
    }
  }
  return out;
}

/** Merge discussion sentences into the list: duplicates mark the list item, new ones are appended. */
export function mergeItems(list: ParsedActionItem[], fromBody: ParsedActionItem[]): { items: ParsedActionItem[]; added: ParsedActionItem[] } {
  const items = list.map((i) => ({ ...i }));
  const added: ParsedActionItem[] = [];
  for (const b of fromBody) {
    const dup = items.find((i) => sameTask(i, b));
    if (dup) {
      dup.mentionedInDiscussion = true;
      continue;
    }
    const item = { ...b, mentionedInDiscussion: true };
    items.push(item);
    added.push(item);
  }
  return { items, added };
}
