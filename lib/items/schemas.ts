/**
 * Action items' inputs, validated on the server (the only place trusted). Pure zod and
 * constants: client components import the labels, server actions and routes the schemas.
 */
import { z } from "zod";
import { emptyToUndefined, dayOrInstant, flag, httpUrl, isoDay, optionalText, pageFields, rowId, rowIds, toList } from "@/lib/forms/fields";
import { ITEM_STATUSES } from "./statuses";

export const LINK_KINDS = ["patch", "rfc", "thread", "commit", "ticket", "document"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export const LINK_KIND_LABELS: Record<LinkKind, string> = {
  patch: "Patch series",
  rfc: "RFC",
  thread: "xen-devel thread",
  commit: "Commit",
  ticket: "Ticket",
  document: "Document",
};

export const ITEM_LIMITS = { text: 2_000, target: 100, title: 200, url: 2_000, owners: 20, topics: 30, bulk: 500 } as const;

export const ITEM_SORTS = ["updated", "due", "created", "status"] as const;

export const ITEM_GROUPS = ["status", "owner", "topic", "none"] as const;
export type ItemGroup = (typeof ITEM_GROUPS)[number];

const statusChoice = { error: "Choose open, in progress, blocked, done or dropped" };

// ── Board / API filters ─────────────────────────────────────────────────────

export const itemFiltersSchema = z.object({
  /** One or more statuses ("open,blocked"); none = every status. */
  status: z.preprocess(toList, z.array(z.enum(ITEM_STATUSES, statusChoice)).max(ITEM_STATUSES.length)),
  owner: optionalText(64, "Unknown person"),
  topic: optionalText(100, "Unknown topic"),
  series: optionalText(100, "Unknown series"),
  /** Items changed on or after this day (or instant): what an API client syncs from. */
  since: z.preprocess(emptyToUndefined, dayOrInstant.optional()),
  overdue: flag,
  mine: flag,
  q: optionalText(200),
  sort: z.preprocess(emptyToUndefined, z.enum(ITEM_SORTS, { error: "Sort by updated, due, created or status" }).default("updated")),
  ...pageFields(50, 200),
});
export type ItemFilters = z.output<typeof itemFiltersSchema>;

/** The board adds how to group the page; the API does not need it. */
export const boardFiltersSchema = itemFiltersSchema.extend({
  group: z.preprocess(emptyToUndefined, z.enum(ITEM_GROUPS, { error: "Group by status, owner, topic or nothing" }).default("status")),
});
export type BoardFilters = z.output<typeof boardFiltersSchema>;

/** The API takes the board's filters but no "mine" (a token has no board), and nothing unknown. */
export const apiItemFiltersSchema = itemFiltersSchema.omit({ mine: true }).strict();

// ── Edits ───────────────────────────────────────────────────────────────────

/** The fields of the edit form. Target is free text ("Xen 4.10"); dueDate a day or empty. */
export const itemPatchSchema = z.object({
  text: z.string({ error: "Enter the action" }).trim().min(3, "At least 3 characters").max(ITEM_LIMITS.text, `At most ${ITEM_LIMITS.text} characters`),
  status: z.enum(ITEM_STATUSES, statusChoice),
  target: z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z.string().max(ITEM_LIMITS.target, `At most ${ITEM_LIMITS.target} characters`).nullable(),
  ),
  dueDate: z.preprocess(emptyToUndefined, isoDay.optional()).transform((v) => v ?? null),
  ownerIds: rowIds("owner", ITEM_LIMITS.owners).refine((l) => l.length > 0, "Choose at least one owner"),
  topicIds: rowIds("topic", ITEM_LIMITS.topics),
});
export type ItemPatch = z.output<typeof itemPatchSchema>;
/** What callers may pass to updateItem: any subset; dueDate null or "" clears it. */
export type ItemPatchInput = Partial<{ text: string; status: string; target: string | null; dueDate: string | null; ownerIds: string[]; topicIds: string[] }>;

/**
 * The due date a target implies: a target written as a day ("2017-09-30") is also the
 * due date when no due date is given. Other targets ("Xen 4.10") imply none. The one
 * rule for every way an item gets a target (edit form, API, new items of a meeting).
 */
export function dueDateFromTarget(target: string | null | undefined): string | null {
  if (!target) return null;
  const d = isoDay.safeParse(target.trim());
  return d.success ? d.data : null;
}

export const updateItemFormSchema = itemPatchSchema.extend({
  /** Left out when the user did not touch the field: then a date target sets it. */
  dueDate: z.preprocess((v) => (v === "" ? null : v), isoDay.nullable().optional()),
  id: rowId("item"),
  version: z.coerce.number({ error: "Missing version" }).int().min(1, "Missing version"),
});

export const bulkStatusSchema = z.object({
  ids: z.preprocess(toList, z.array(rowId("item")).min(1, "Select at least one item").max(ITEM_LIMITS.bulk, `At most ${ITEM_LIMITS.bulk} items at once`)),
  status: z.enum(ITEM_STATUSES, { error: "Choose the new status" }),
});

export const linkInputSchema = z.object({
  kind: z.enum(LINK_KINDS, { error: "Choose what kind of link this is" }),
  url: httpUrl(ITEM_LIMITS.url),
  title: z.preprocess((v) => (typeof v === "string" ? v.trim() : (v ?? "")), z.string().max(ITEM_LIMITS.title, `At most ${ITEM_LIMITS.title} characters`)),
});
export type LinkInput = z.input<typeof linkInputSchema>;

export const addLinkFormSchema = linkInputSchema.extend({ itemId: rowId("item") });
export const removeLinkFormSchema = z.object({ itemId: rowId("item"), linkId: rowId("link") });

// ── A new item from a meeting (its edit page) ───────────────────────────────

/** One action item added to a meeting: owners are read from the text ("Igor to …"); target, due date and a link at once. */
export const meetingItemFormSchema = z
  .object({
    meetingId: rowId("meeting"),
    text: z.string({ error: "Enter the action" }).trim().min(3, "At least 3 characters").max(ITEM_LIMITS.text, `At most ${ITEM_LIMITS.text} characters`),
    target: z.preprocess((v) => (typeof v === "string" ? v.trim() : (v ?? "")), z.string().max(ITEM_LIMITS.target, `At most ${ITEM_LIMITS.target} characters`)),
    dueDate: z.preprocess(emptyToUndefined, isoDay.optional()),
    linkKind: z.preprocess(emptyToUndefined, z.enum(LINK_KINDS, { error: "Choose what kind of link this is" }).optional()),
    linkUrl: z.preprocess(emptyToUndefined, httpUrl(ITEM_LIMITS.url).optional()),
    linkTitle: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() : (v ?? "")),
      z.string().max(ITEM_LIMITS.title, `At most ${ITEM_LIMITS.title} characters`),
    ),
  })
  .refine((v) => !v.linkUrl || v.linkKind, { path: ["linkKind"], message: "Choose what kind of link this is" });
/** What callers pass to addItemToMeeting (validated there). */
export interface MeetingItemInput {
  meetingId: string;
  text: string;
  target?: string;
  dueDate?: string;
  linkKind?: string;
  linkUrl?: string;
  linkTitle?: string;
}
