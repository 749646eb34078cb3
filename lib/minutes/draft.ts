/**
 * What will be written for one message of minutes: the preview's findings turned
 * into decisions (this name is that person, this point reviews that item, this is
 * the date). The preview page edits a draft; the CLI commits the default one;
 * `commitImport` writes whichever it is given. Pure (zod and plain data only), so
 * the client components can import the types and the schema.
 */
import { z } from "zod";
import { REVIEW_OUTCOMES, type ReviewOutcome } from "@/lib/reviews/outcomes";
import { leadingOwners } from "./owners";
import { fold } from "./text";
import { firstNames, isFullName } from "@/lib/people/names";
import type { PreviewMessage, PreviewName } from "./preview";
import type { ReviewStatus } from "./types";

/** The outcomes a Review row stores: the reviews' own list. */
export const DRAFT_OUTCOMES = REVIEW_OUTCOMES;
export type DraftOutcome = ReviewOutcome;

/** A name from the minutes and who it will be: an existing person, or a new one called `newName`. */
export interface DraftPerson {
  /** As written in the minutes ("Ian", "Paul Durrent"). */
  name: string;
  /** null: create a person (or reuse the one this import creates) called `newName`. */
  personId: string | null;
  newName: string;
}

export interface DraftReview {
  /** The reviewed point as written; becomes the item's text when no open item matches. */
  text: string;
  owners: DraftPerson[];
  outcome: DraftOutcome;
  note: string;
  /** The open item reviewed; null records the point as an item from an earlier meeting. */
  itemId: string | null;
  include: boolean;
}

export interface DraftItem {
  text: string;
  owners: DraftPerson[];
  include: boolean;
  /** "Target: …" and "Links: …" the text export wrote after the item. */
  target?: string;
  links?: string[];
}

export interface ImportDraft {
  seriesId: string;
  messageId: string | null;
  fingerprint: string;
  title: string;
  /** YYYY-MM-DD */
  date: string;
  /** Markdown: becomes the meeting's body. */
  discussion: string;
  attendees: DraftPerson[];
  reviews: DraftReview[];
  actionItems: DraftItem[];
}

export type MinutesPreviewMessage = Extract<PreviewMessage, { status: "minutes" }>;

/** Parser status → stored outcome. "unknown" (no status words) is recorded as carried over: nothing changed. */
export function outcomeOf(status: ReviewStatus): DraftOutcome {
  switch (status) {
    case "done":
      return "done";
    case "in_progress":
      return "progress";
    case "no_progress":
      return "no_progress";
    case "dropped":
      return "dropped";
    default:
      return "carried_over";
  }
}

/** Stored outcome → the status word the text export writes. */
export function statusOfOutcome(outcome: string): ReviewStatus {
  switch (outcome) {
    case "done":
      return "done";
    case "progress":
      return "in_progress";
    case "no_progress":
      return "no_progress";
    case "dropped":
      return "dropped";
    case "carried_over":
      return "carried_over";
    default:
      return "unknown";
  }
}

/**
 * The title to store. When the heading's date disagrees with the chosen one and the
 * subject carries the chosen date, the heading was copied from older minutes: the
 * subject is the better title (the 10 May 2017 post's heading says 5th May).
 */
export function defaultTitle(m: MinutesPreviewMessage["minutes"]): string {
  const subject = m.subject?.replace(/^(?:(?:re|fwd?|aw)\s*:\s*|\[[^\]]*\]\s*)+/i, "").trim() || null;
  if (m.headingDate && m.date && m.headingDate !== m.date && m.subjectDate === m.date && subject) return subject;
  return (m.title ?? subject ?? `${m.series ?? "Meeting"} ${m.date ?? ""}`).trim();
}

/**
 * The review's note. A point matched to an open item but saying no status words
 * ("Igor's physmap patches posted, under review") would otherwise lose what it said:
 * its text becomes the note, unless it just repeats the item.
 */
export function keptNote(r: { text: string; note: string; status: ReviewStatus }, matchedItemText: string | null): string {
  if (r.note || !matchedItemText || r.status !== "unknown") return r.note;
  return fold(r.text) === fold(matchedItemText) ? "" : r.text;
}

/**
 * The draft an import commits when nobody edits it. Names nobody answers to become
 * new people (unless someone is a candidate for it); a lone first name ("Ian") that
 * belongs to a new attendee ("Ian Jackson") becomes that same new person rather
 * than a second one.
 */
export function draftFromPreview(msg: MinutesPreviewMessage, seriesId: string): ImportDraft {
  const m = msg.minutes;
  const newAttendees = m.attendees.filter((a) => a.unmatched).map((a) => a.name);
  const person = (n: PreviewName): DraftPerson => {
    if (n.personId) return { name: n.name, personId: n.personId, newName: n.name };
    // "Igor" reviewed while absent: nobody on the attendee list, but people answer to it.
    // The best candidate beats a duplicate "Igor"; the preview still flags the name.
    if (n.candidates.length) return { name: n.name, personId: n.candidates[0], newName: n.name };
    const single = !isFullName(n.name);
    const same = single ? newAttendees.filter((a) => firstNames(a).some((f) => firstNames(n.name).includes(f))) : [];
    return { name: n.name, personId: null, newName: same.length === 1 ? same[0] : n.name };
  };
  // Two points matched to one item: the better match keeps it, the other becomes its own item.
  const bestFor = new Map<string, number>();
  m.reviews.forEach((r, i) => {
    if (!r.match) return;
    const prev = bestFor.get(r.match.itemId);
    if (prev === undefined || (m.reviews[prev].match?.score ?? 0) < r.match.score) bestFor.set(r.match.itemId, i);
  });
  return {
    seriesId,
    messageId: msg.messageId,
    fingerprint: m.fingerprint,
    title: defaultTitle(m),
    date: m.date ?? msg.mailDate?.slice(0, 10) ?? "",
    discussion: m.discussion,
    attendees: m.attendees.map(person),
    reviews: m.reviews.map((r, i) => ({
      // "Ian - No progress with …" names only its owner: the task is in the note.
      text: leadingOwners(r.text)?.connector === "names-only" && r.note ? `${r.text}: ${r.note}` : r.text,
      owners: r.owners.map(person),
      outcome: outcomeOf(r.status),
      note: keptNote(r, r.match && bestFor.get(r.match.itemId) === i ? r.match.itemText : null),
      itemId: r.match && bestFor.get(r.match.itemId) === i ? r.match.itemId : null,
      include: true,
    })),
    actionItems: m.actionItems.map((a) => ({
      text: a.text,
      owners: a.owners.map(person),
      include: true,
      ...(a.target && { target: a.target }),
      ...(a.links && { links: a.links }),
    })),
  };
}

// ── Validation (the server never trusts a draft it did not build) ───────────

const LIMITS = { title: 200, body: 100_000, text: 2_000, name: 100, list: 200 } as const;

const isoDate = z
  .string({ error: "Enter a date" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && s >= "1990-01-01" && s <= "2999-12-31";
  }, "This date does not exist");

const id = z.string().min(1).max(64);

const draftPerson = z
  .object({
    name: z.string().trim().max(LIMITS.name),
    personId: id.nullable(),
    newName: z.string().trim().max(LIMITS.name, `A name has at most ${LIMITS.name} characters`),
  })
  .refine((p) => p.personId !== null || p.newName.length >= 2, { path: ["newName"], message: "Enter the new person's name (2+ characters) or pick a person" });

export const importDraftSchema = z
  .object({
    seriesId: id,
    messageId: z.string().trim().max(998).nullable(),
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/, "Missing fingerprint"),
    title: z.string().trim().min(3, "At least 3 characters").max(LIMITS.title, `At most ${LIMITS.title} characters`),
    date: isoDate,
    discussion: z.string().max(LIMITS.body, `At most ${LIMITS.body} characters`),
    attendees: z.array(draftPerson).max(LIMITS.list),
    reviews: z
      .array(
        z.object({
          text: z.string().trim().max(LIMITS.text),
          owners: z.array(draftPerson).max(20),
          outcome: z.enum(DRAFT_OUTCOMES, { error: "Choose an outcome" }),
          note: z.string().trim().max(LIMITS.text),
          itemId: id.nullable(),
          include: z.boolean(),
        }),
      )
      .max(LIMITS.list),
    actionItems: z
      .array(
        z.object({
          text: z.string().trim().max(LIMITS.text),
          owners: z.array(draftPerson).max(20),
          include: z.boolean(),
          target: z.string().trim().max(100).optional(),
          links: z
            .array(
              z
                .string()
                .max(LIMITS.text)
                .regex(/^https?:\/\/\S+$/, "Only http(s) links"),
            )
            .max(20)
            .optional(),
        }),
      )
      .max(LIMITS.list),
  })
  .superRefine((d, ctx) => {
    d.reviews.forEach((r, i) => {
      if (r.include && !r.itemId && r.text.length < 3)
        ctx.addIssue({ code: "custom", path: ["reviews", i, "text"], message: "Describe the reviewed item (3+ characters)" });
    });
    d.actionItems.forEach((a, i) => {
      if (a.include && a.text.length < 3)
        ctx.addIssue({ code: "custom", path: ["actionItems", i, "text"], message: "Describe the action item (3+ characters)" });
    });
    const seen = new Map<string, number>();
    d.reviews.forEach((r, i) => {
      if (!r.include || !r.itemId) return;
      if (seen.has(r.itemId))
        ctx.addIssue({ code: "custom", path: ["reviews", i, "itemId"], message: `Point ${seen.get(r.itemId)! + 1} already reviews this item` });
      else seen.set(r.itemId, i);
    });
  });
