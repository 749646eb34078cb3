/**
 * The meeting forms' inputs, validated on the server (and nowhere else trusted).
 * Pure zod: the editor imports the constants, the server actions the schemas.
 */
import { z } from "zod";

export const REVIEW_OUTCOMES = ["done", "progress", "no_progress", "carried_over", "dropped"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<ReviewOutcome, string> = {
  done: "Done",
  progress: "Progress",
  no_progress: "No progress",
  carried_over: "Carried over",
  dropped: "Dropped",
};

export const LIMITS = { title: 200, body: 100_000, decisions: 20_000, note: 2_000, name: 100, items: 20_000, people: 100 } as const;

/** Form values arrive as a string, a list, or nothing; lists of one are plain strings. */
function toList(v: unknown): unknown {
  if (v === undefined || v === null || v === "") return [];
  return Array.isArray(v) ? v : [v];
}

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A calendar date typed as YYYY-MM-DD (what <input type="date"> sends). */
export const isoDate = z
  .string({ error: "Enter a date" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "This date does not exist")
  .refine((s) => s >= "1990-01-01" && s <= "2999-12-31", "Enter a date between 1990 and 2999");

const idList = (what: string) => z.preprocess(toList, z.array(z.string().min(1, `Unknown ${what}`).max(64, `Unknown ${what}`)).max(LIMITS.people, `At most ${LIMITS.people} ${what}s`));

const nameList = z.preprocess(
  (v) => (toList(v) as unknown[]).flatMap((x) => (typeof x === "string" ? x.split(/\n/) : [x])).filter((x) => !(typeof x === "string" && x.trim() === "")),
  z
    .array(z.string().trim().min(2, "A name needs at least 2 characters").max(LIMITS.name, `A name has at most ${LIMITS.name} characters`))
    .max(LIMITS.people, `At most ${LIMITS.people} new people`),
);

const sourceUrl = z.preprocess(
  emptyToUndefined,
  z
    .url({ protocol: /^https?$/, error: "Enter a full http(s) URL" })
    .max(2000, "At most 2000 characters")
    .optional(),
);

/** The fields a meeting is edited by (create and update alike). */
export const meetingFieldsSchema = z.object({
  seriesId: z.string({ error: "Choose a series" }).min(1, "Choose a series"),
  date: isoDate,
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
export type CreateMeetingData = z.output<typeof createMeetingSchema>;

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

export const meetingFiltersSchema = z.object({
  series: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
  topic: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
  person: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
  from: z.preprocess(emptyToUndefined, isoDate.optional()),
  to: z.preprocess(emptyToUndefined, isoDate.optional()),
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200, "At most 200 characters").optional()),
  page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(20)),
}).refine((f) => !f.from || !f.to || f.from <= f.to, { path: ["to"], message: "The end date is before the start date" });
export type MeetingFilters = z.output<typeof meetingFiltersSchema>;
