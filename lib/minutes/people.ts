/**
 * Names in minutes → people of the app. Pure. Minutes say "Jenny", "Paul
 * Durrent" (sic) or a nickname; only the meeting's attendee list makes a
 * first name safe to resolve, so it is consulted first.
 */
import { firstNames, isFullName, nameKeys, sameName, sameOrder } from "@/lib/people/names";
import { contentTokens, dice, editDistance, fold } from "./text";

export interface PersonRef {
  id: string;
  displayName: string;
  aliases: string[];
}

export interface Resolution {
  personId: string | null;
  /** Ids of the people considered (the match, or the ambiguous/near candidates). */
  candidates: string[];
  matchedBy: "exact" | "alias" | "first-name" | "fuzzy" | null;
}

/** Do two names start with the same first name ("Jürgen" = "Juergen")? */
function sameFirstName(a: string, b: string): boolean {
  const fb = firstNames(b);
  return firstNames(a).some((f) => fb.includes(f));
}

/** Edit distance between the closest keys of two names (lib/people/names). */
function keyDistance(a: string, b: string): number | null {
  let best: number | null = null;
  for (const x of nameKeys(a))
    for (const y of nameKeys(b)) {
      const d = closeEnough(x, y);
      if (d !== null && (best === null || d < best)) best = d;
    }
  return best;
}

/** Of several people a name matches, the one written in the same word order, if exactly one is. */
function byOrder<T>(hits: T[], name: string, spellingsOf: (p: T) => string[]): T[] {
  if (hits.length < 2) return hits;
  const ordered = hits.filter((p) => spellingsOf(p).some((s) => sameOrder(s, name)));
  return ordered.length === 1 ? ordered : hits;
}

/** Typo tolerance grows with length: 1 edit up to 7 letters, 2 beyond, never more than 20%. */
function closeEnough(a: string, b: string): number | null {
  const d = editDistance(a, b);
  const len = Math.max([...a].length, [...b].length);
  const allowed = len <= 4 ? 0 : len <= 7 ? 1 : 2;
  return d <= allowed && d / len <= 0.2 ? d : null;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function byName(name: string, people: PersonRef[]): Resolution | null {
  const exact = byOrder(
    people.filter((p) => sameName(p.displayName, name)),
    name,
    (p) => [p.displayName],
  );
  if (exact.length)
    return { personId: exact.length === 1 ? exact[0].id : null, candidates: exact.map((p) => p.id), matchedBy: exact.length === 1 ? "exact" : null };
  const alias = byOrder(
    people.filter((p) => p.aliases.some((a) => sameName(a, name))),
    name,
    (p) => p.aliases,
  );
  if (alias.length)
    return { personId: alias.length === 1 ? alias[0].id : null, candidates: alias.map((p) => p.id), matchedBy: alias.length === 1 ? "alias" : null };
  return null;
}

export function resolvePerson(name: string, people: PersonRef[], attendees?: string[]): Resolution {
  const none: Resolution = { personId: null, candidates: [], matchedBy: null };
  if (!nameKeys(name).length) return none;
  const lone = !isFullName(name);
  const direct = byName(name, people);
  if (direct) return direct;

  // A lone first name: resolve through the attendee list ("Jenny" → attendee "Jenny Herbert" → person).
  if (lone) {
    if (attendees && attendees.length) {
      const ids = unique(
        attendees
          .filter((a) => sameFirstName(a, name))
          .map((a) => byName(a, people)?.personId ?? null)
          .filter((x): x is string => x !== null),
      );
      if (ids.length === 1) return { personId: ids[0], candidates: ids, matchedBy: "first-name" };
      if (ids.length > 1) return { personId: null, candidates: ids, matchedBy: null };
      // Not among the attendees: offer people with that first name, but do not guess.
      const others = people.filter((p) => sameFirstName(p.displayName, name)).map((p) => p.id);
      if (others.length) return { personId: null, candidates: others, matchedBy: null };
    } else {
      const ids = people.filter((p) => sameFirstName(p.displayName, name) || p.aliases.some((a) => sameName(a, name))).map((p) => p.id);
      if (ids.length === 1) return { personId: ids[0], candidates: ids, matchedBy: "first-name" };
      if (ids.length > 1) return { personId: null, candidates: ids, matchedBy: null };
    }
  }

  // Small typos against full names and aliases (and, for a lone word, attendees' first names).
  const scored: { id: string; d: number }[] = [];
  for (const p of people) {
    let best: number | null = null;
    for (const cand of [p.displayName, ...p.aliases]) {
      const d = keyDistance(name, cand);
      if (d !== null && (best === null || d < best)) best = d;
    }
    if (best === null && lone && attendees?.some((a) => sameName(a, p.displayName))) {
      for (const f of firstNames(p.displayName)) {
        const d = keyDistance(name, f);
        if (d !== null && (best === null || d < best)) best = d;
      }
    }
    if (best !== null) scored.push({ id: p.id, d: best });
  }
  if (!scored.length) return none;
  const min = Math.min(...scored.map((s) => s.d));
  const top = scored.filter((s) => s.d === min).map((s) => s.id);
  return {
    personId: top.length === 1 ? top[0] : null,
    candidates: scored.sort((a, b) => a.d - b.d).map((s) => s.id),
    matchedBy: top.length === 1 ? "fuzzy" : null,
  };
}

export interface OpenItem {
  id: string;
  text: string;
  ownerNames: string[];
}

export interface ReviewMatch {
  itemId: string;
  /** 0..1: 0.4 × owner agreement + 0.6 × content-word overlap. */
  score: number;
  ownerMatched: boolean;
  textScore: number;
}

/** Below this a reviewed point is reported as "no matching open item" rather than guessed. */
export const REVIEW_MATCH_THRESHOLD = 0.45;

function ownersAgree(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0.5;
  const hit = a.some((x) => b.some((y) => sameName(x, y) || sameFirstName(x, y)));
  return hit ? 1 : 0;
}

/** Words of a task without its owners, so "Ian to …" and "Ian - No progress with …" compare on the task. */
function taskWords(text: string, owners: string[]): Set<string> {
  const t = contentTokens(text);
  for (const o of owners) for (const w of fold(o).split(" ")) t.delete(w);
  return t;
}

export function matchReviewToItems(review: { text: string; ownerNames: string[]; note?: string }, openItems: OpenItem[]): ReviewMatch | null {
  // A point like "Ian - No progress with re factoring libxl split…" carries its task in the note.
  const words = taskWords(`${review.text} ${review.note ?? ""}`, review.ownerNames);
  const wordsText = taskWords(review.text, review.ownerNames);
  let best: ReviewMatch | null = null;
  for (const item of openItems) {
    const owner = ownersAgree(review.ownerNames, item.ownerNames);
    const iw = taskWords(item.text, item.ownerNames);
    // Notes add noise words; take whichever reading of the review matches better.
    const textScore = Math.max(dice(words, iw), wordsText.size ? dice(wordsText, iw) : 0, containment(words, iw));
    const score = Math.round((0.4 * owner + 0.6 * textScore) * 1000) / 1000;
    if (owner === 0 && textScore < 0.9) continue;
    if (!best || score > best.score) best = { itemId: item.id, score, ownerMatched: owner === 1, textScore: Math.round(textScore * 1000) / 1000 };
  }
  return best && best.score >= REVIEW_MATCH_THRESHOLD ? best : null;
}

/** Share of the item's words found in the review: a review note often repeats the item and adds more. */
function containment(review: Set<string>, item: Set<string>): number {
  if (item.size < 3) return 0;
  let hit = 0;
  for (const w of item) if (review.has(w)) hit++;
  return (hit / item.size) * 0.9;
}

/** At or above this word overlap (with agreeing owners) a new item is flagged as a likely duplicate of an open one. */
export const DUPLICATE_THRESHOLD = 0.9;

/**
 * The open item a new action item most likely repeats: owners agree (or one side names
 * none) and the task's words are (nearly) the same. Linear in the items' words.
 */
export function findDuplicateItem(item: { text: string; ownerNames: string[] }, openItems: OpenItem[]): { itemId: string; itemText: string } | null {
  const words = taskWords(item.text, item.ownerNames);
  if (!words.size) return null;
  let best: { itemId: string; itemText: string; score: number } | null = null;
  for (const o of openItems) {
    if (ownersAgree(item.ownerNames, o.ownerNames) === 0) continue;
    const score = dice(words, taskWords(o.text, o.ownerNames));
    if (score >= DUPLICATE_THRESHOLD && (!best || score > best.score)) best = { itemId: o.id, itemText: o.text, score };
  }
  return best && { itemId: best.itemId, itemText: best.itemText };
}
