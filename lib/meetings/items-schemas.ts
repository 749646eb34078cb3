/**
 * Action items' inputs, validated on the server (the only place trusted). Pure zod and
 * constants: client components import the labels, server actions and routes the schemas.
 */
import { z } from "zod";

export const ITEM_STATUSES = ["open", "in_progress", "blocked", "done", "dropped"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const STATUS_LABELS: Record<ItemStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  blocked: "Blocked",
  done: "Done",
  dropped: "Dropped",
};

/** Statuses of an item still to be worked on (reviewed at every meeting, can be overdue). */
export const ACTIVE_STATUSES: readonly ItemStatus[] = ["open", "in_progress", "blocked"];
export const isClosedStatus = (s: string) => s === "done" || s === "dropped";

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

export const ITEM_LIMITS = { text: 2_000, target: 100, title: 200, url: 2_000, owners: 20, topics: 30, bulk: 500, tokenName: 100 } as const;

export const ITEM_SORTS = ["updated", "due", "created", "status"] as const;
export type ItemSort = (typeof ITEM_SORTS)[number];

export const ITEM_GROUPS = ["status", "owner", "topic", "none"] as const;
export type ItemGroup = (typeof ITEM_GROUPS)[number];

// ── Helpers for form values ─────────────────────────────────────────────────

const emptyToUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

/** A value sent as one string, a list, or a comma-separated string → a list. */
function toList(v: unknown): unknown {
  if (v === undefined || v === null || v === "") return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((x) => (typeof x === "string" ? x.split(",").map((s) => s.trim()).filter(Boolean) : [x]));
}

/** Checkbox / query flag: "1", "on", "true" are true; absent or "0"/"false" false. */
const flag = z.preprocess((v) => {
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined || x === null || x === "") return false;
  if (typeof x === "boolean") return x;
  return ["1", "on", "true", "yes"].includes(String(x).toLowerCase());
}, z.boolean());

/** YYYY-MM-DD as <input type="date"> sends it, and a real day. */
export const isoDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "This date does not exist")
  .refine((s) => s >= "1990-01-01" && s <= "2999-12-31", "Enter a date between 1990 and 2999");

/** http(s) only: a javascript: or data: URL in a link list would be a stored XSS. */
export const httpUrl = z
  .string({ error: "Enter a URL" })
  .trim()
  .min(1, "Enter a URL")
  .max(ITEM_LIMITS.url, `At most ${ITEM_LIMITS.url} characters`)
  .pipe(z.url({ protocol: /^https?$/, error: "Enter a full http:// or https:// URL" }));

const id = (what: string) => z.string({ error: `Choose a ${what}` }).trim().min(1, `Choose a ${what}`).max(64, `Unknown ${what}`);
const idList = (what: string, max: number) => z.preprocess(toList, z.array(id(what)).max(max, `At most ${max} ${what}s`));

// ── Board / API filters ─────────────────────────────────────────────────────

export const itemFiltersSchema = z.object({
  /** One or more statuses ("open,blocked"); none = every status. */
  status: z.preprocess(toList, z.array(z.enum(ITEM_STATUSES, { error: "Choose open, in progress, blocked, done or dropped" })).max(ITEM_STATUSES.length)),
  owner: z.preprocess(emptyToUndefined, z.string().trim().max(64, "Unknown person").optional()),
  topic: z.preprocess(emptyToUndefined, z.string().trim().max(100, "Unknown topic").optional()),
  series: z.preprocess(emptyToUndefined, z.string().trim().max(100, "Unknown series").optional()),
  /** Items changed on or after this day (or instant): what an API client syncs from. */
  since: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((s) => /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(new Date(s).getTime()), "Enter a date (YYYY-MM-DD) or an ISO 8601 time")
      .optional(),
  ),
  overdue: flag,
  mine: flag,
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200, "At most 200 characters").optional()),
  sort: z.preprocess(emptyToUndefined, z.enum(ITEM_SORTS, { error: "Sort by updated, due, created or status" }).default("updated")),
  page: z.preprocess(emptyToUndefined, z.coerce.number({ error: "Enter a page number" }).int("Enter a whole page number").min(1, "Pages start at 1").max(100_000, "Page too large").default(1)),
  pageSize: z.preprocess(emptyToUndefined, z.coerce.number({ error: "Enter a page size" }).int("Enter a whole number").min(1, "At least 1").max(200, "At most 200").default(50)),
});
export type ItemFilters = z.output<typeof itemFiltersSchema>;

/** The board adds how to group the page; the API does not need it. */
export const boardFiltersSchema = itemFiltersSchema.extend({
  group: z.preprocess(emptyToUndefined, z.enum(ITEM_GROUPS, { error: "Group by status, owner, topic or nothing" }).default("status")),
});
export type BoardFilters = z.output<typeof boardFiltersSchema>;

/**
 * Parses a query string leniently: a bad value is reported (for the message next to
 * its field) and dropped, and the other filters still apply.
 */
export function parseLenient<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>): { value: z.output<S>; errors: Record<string, string[]> } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { value: parsed.data, errors: {} };
  const errors: Record<string, string[]> = {};
  for (const i of parsed.error.issues) (errors[String(i.path[0] ?? "_form")] ??= []).push(i.message);
  const cleaned = { ...raw };
  for (const k of Object.keys(errors)) delete cleaned[k];
  return { value: schema.parse(cleaned), errors };
}

// ── Edits ───────────────────────────────────────────────────────────────────

/** The fields of the edit form. Target is free text ("Xen 4.10"); dueDate a day or empty. */
export const itemPatchSchema = z.object({
  text: z.string({ error: "Enter the action" }).trim().min(3, "At least 3 characters").max(ITEM_LIMITS.text, `At most ${ITEM_LIMITS.text} characters`),
  status: z.enum(ITEM_STATUSES, { error: "Choose open, in progress, blocked, done or dropped" }),
  target: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.string().max(ITEM_LIMITS.target, `At most ${ITEM_LIMITS.target} characters`).nullable()),
  dueDate: z.preprocess(emptyToUndefined, isoDay.optional()).transform((v) => v ?? null),
  ownerIds: idList("owner", ITEM_LIMITS.owners).refine((l) => l.length > 0, "Choose at least one owner"),
  topicIds: idList("topic", ITEM_LIMITS.topics),
});
export type ItemPatch = z.output<typeof itemPatchSchema>;
/** What callers may pass to updateItem: any subset; dueDate null or "" clears it. */
export type ItemPatchInput = Partial<{ text: string; status: string; target: string | null; dueDate: string | null; ownerIds: string[]; topicIds: string[] }>;

export const updateItemFormSchema = itemPatchSchema.extend({
  id: id("item"),
  version: z.coerce.number({ error: "Missing version" }).int().min(1, "Missing version"),
});

export const bulkStatusSchema = z.object({
  ids: z.preprocess(toList, z.array(id("item")).min(1, "Select at least one item").max(ITEM_LIMITS.bulk, `At most ${ITEM_LIMITS.bulk} items at once`)),
  status: z.enum(ITEM_STATUSES, { error: "Choose the new status" }),
});

export const linkInputSchema = z.object({
  kind: z.enum(LINK_KINDS, { error: "Choose what kind of link this is" }),
  url: httpUrl,
  title: z.preprocess((v) => (typeof v === "string" ? v.trim() : v ?? ""), z.string().max(ITEM_LIMITS.title, `At most ${ITEM_LIMITS.title} characters`)),
});
export type LinkInput = z.input<typeof linkInputSchema>;

export const addLinkFormSchema = linkInputSchema.extend({ itemId: id("item") });
export const removeLinkFormSchema = z.object({ itemId: id("item"), linkId: id("link") });
export const ownerFormSchema = z.object({ itemId: id("item"), personId: id("person") });

export const tokenNameSchema = z.object({
  name: z.string({ error: "Name the token" }).trim().min(1, "Name the token (what will use it?)").max(ITEM_LIMITS.tokenName, `At most ${ITEM_LIMITS.tokenName} characters`),
});
export const revokeTokenSchema = z.object({ id: id("token") });
