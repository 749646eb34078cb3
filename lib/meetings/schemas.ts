/**
 * The meeting forms' inputs, validated on the server (and nowhere else trusted).
 * Pure zod: the editor imports the constants, the server actions the schemas.
 */
import { z } from "zod";
import { dayOrInstant, emptyToUndefined, httpUrl, isoDay, optionalText, pageFields } from "@/lib/forms/fields";
import { REVIEW_OUTCOMES, type ReviewOutcome } from "@/lib/reviews/outcomes";

export const LIMITS = { title: 200, body: 100_000, decisions: 20_000, note: 2_000, name: 100, items: 20_000, people: 100 } as const;

/** Form values arrive as a string, a list, or nothing; lists of one are plain strings. */
function toList(v: unknown): unknown {
  if (v === undefined || v === null || v === "") return [];
  return Array.isArray(v) ? v : [v];
}

const idList = (what: string) =>
  z.preprocess(toList, z.array(z.string().min(1, `Unknown ${what}`).max(64, `Unknown ${what}`)).max(LIMITS.people, `At most ${LIMITS.people} ${what}s`));

const nameList = z.preprocess(
  (v) => (toList(v) as unknown[]).flatMap((x) => (typeof x === "string" ? x.split(/\n/) : [x])).filter((x) => !(typeof x === "string" && x.trim() === "")),
  z
    .array(z.string().trim().min(2, "A name needs at least 2 characters").max(LIMITS.name, `A name has at most ${LIMITS.name} characters`))
    .max(LIMITS.people, `At most ${LIMITS.people} new people`),
);

const sourceUrl = z.preprocess(emptyToUndefined, httpUrl(2000).optional());

/** The fields a meeting is edited by (create and update alike). */
export const meetingFieldsSchema = z.object({
  seriesId: z.string({ error: "Choose a series" }).min(1, "Choose a series"),
  date: isoDay,
  title: z.string({ error: "Enter a title" }).trim().min(3, "At least 3 characters").max(LIMITS.title, `At most ${LIMITS.title} characters`),
  body: z.string().max(LIMITS.body, `At most ${LIMITS.body} characters`).default(""),
  decisions: z.string().max(LIMITS.decisions, `At most ${LIMITS.decisions} characters`).default(""),
  attendeeIds: idList("person"),
  newAttendees: nameList,
  topicIds: idList("topic"),
  sourceUrl,
});
export type MeetingFields = z.output<typeof meetingFieldsSchema>;

export const reviewEntrySchema = z
  .object({
    outcome: z.preprocess(emptyToUndefined, z.enum(REVIEW_OUTCOMES, { error: "Choose Done, Progress, No progress, Carried over or Dropped" }).optional()),
    note: z.string().trim().max(LIMITS.note, `At most ${LIMITS.note} characters`).default(""),
  })
  .refine((r) => r.outcome !== undefined || r.note === "", { path: ["outcome"], message: "Choose an outcome for this note" });

/** Guided review, keyed by action item id (so an error lands next to its item). */
export const reviewsSchema = z.record(z.string().min(1).max(64), reviewEntrySchema).default({});

export const createMeetingSchema = meetingFieldsSchema.extend({
  reviews: reviewsSchema,
  /** New action items, one a line: "Igor to post patches…" or "Igor, Ian: …". */
  newItems: z.string().max(LIMITS.items, `At most ${LIMITS.items} characters`).default(""),
});
/** What callers pass to createMeeting (validated there); lists and text may be left out. */
export interface CreateMeetingInput {
  seriesId: string;
  date: string;
  title: string;
  body?: string;
  decisions?: string;
  attendeeIds?: string[];
  newAttendees?: string[];
  topicIds?: string[];
  sourceUrl?: string;
  reviews?: Record<string, { outcome?: ReviewOutcome | ""; note?: string }>;
  newItems?: string;
}

export const updateMeetingSchema = meetingFieldsSchema.extend({
  id: z.string().min(1),
  version: z.coerce.number({ error: "Missing version" }).int().min(1, "Missing version"),
});

/**
 * FormData object → the nested shape above: fields `review.<itemId>.outcome` and
 * `review.<itemId>.note` become `reviews[itemId]`.
 */
export function nestReviewFields(raw: unknown): unknown {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const out: Record<string, unknown> = {};
  const reviews: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(raw)) {
    const m = /^review\.([^.]+)\.(outcome|note)$/.exec(k);
    if (m) (reviews[m[1]] ??= {})[m[2]] = v;
    else out[k] = v;
  }
  if (Object.keys(reviews).length) out.reviews = { ...(out.reviews as object | undefined), ...reviews };
  return out;
}

export const createMeetingFormSchema = z.preprocess(nestReviewFields, createMeetingSchema);

// ── List filters (the list page's query string) ─────────────────────────────

const meetingFilterFields = {
  series: optionalText(100, "Unknown series"),
  topic: optionalText(100, "Unknown topic"),
  /** An attendee's person id. */
  person: optionalText(64, "Unknown person"),
  from: z.preprocess(emptyToUndefined, isoDay.optional()),
  to: z.preprocess(emptyToUndefined, isoDay.optional()),
};
const fromBeforeTo = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
const toAfterFrom = { path: ["to"], message: "The end date is before the start date" };

export const meetingFiltersSchema = z.object({ ...meetingFilterFields, q: optionalText(200), ...pageFields(20, 100) }).refine(fromBeforeTo, toAfterFrom);
export type MeetingFilters = z.output<typeof meetingFiltersSchema>;

/** The read API's filters (/api/v1/meetings): no full text, a `since`, nothing unknown. */
export const apiMeetingFiltersSchema = z
  .object({ ...meetingFilterFields, since: z.preprocess(emptyToUndefined, dayOrInstant.optional()), ...pageFields(50, 200) })
  .strict()
  .refine(fromBeforeTo, toAfterFrom);

// ── Completing a saved meeting (its edit page) ──────────────────────────────

/** The edit page's review form: `review.<itemId>.outcome|note` fields; "" takes an item out of the review. */
export const reviseReviewsFormSchema = z.preprocess(
  nestReviewFields,
  z.object({
    meetingId: z.string().min(1).max(64),
    reviews: reviewsSchema,
  }),
);

export const deleteMeetingFormSchema = z.object({
  id: z.string().min(1).max(64),
  /** "" detaches the meeting's items; a meeting id moves them there. */
  moveItemsTo: z.preprocess(emptyToUndefined, z.string().max(64).optional()).transform((v) => v ?? null),
  confirm: z.literal("on", { error: "Tick the box to confirm" }),
});
