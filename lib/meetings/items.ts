/**
 * Action items: the board (filters, grouping, pagination), an item's page (timeline of
 * reviews, links, audit), edits with optimistic concurrency, bulk status changes, links
 * and owners. No React; every write takes the actor and records its audit events in
 * the same transaction as the change.
 */
import { audit, auditActorOf } from "@/lib/audit";
import { DomainError } from "@/lib/auth/errors";
import type { Db } from "@/lib/db/client";
import type { Provider } from "@/lib/db/config";
import type { Prisma } from "@/generated/sqlite/client";
import {
  ACTIVE_STATUSES,
  ITEM_STATUSES,
  bulkStatusSchema,
  isClosedStatus,
  itemPatchSchema,
  linkInputSchema,
  type ItemFilters,
  type ItemGroup,
  type ItemPatch,
  type ItemPatchInput,
  type ItemStatus,
  type LinkInput,
} from "./items-schemas";
import { inTransaction, type DbOrTx, type Tx } from "./tx";

export * from "./items-schemas";

/** Who is writing: enough of lib/auth's Actor for the audit trail. */
export interface ItemActor {
  userId: string;
  email: string;
}

/** What a read needs besides the filters: who asks (for "mine"), the clock, the engine. */
export interface ItemQueryContext {
  userId?: string | null;
  now?: Date;
  /** PostgreSQL compares text case-sensitively unless told; SQLite's LIKE does not. */
  provider?: Provider;
  /** Largest id list a relation filter is resolved to (tests lower it to exercise the fallback). */
  narrowMax?: number;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const dayStart = (iso: string) => new Date(`${iso}T00:00:00Z`);
/** An item due on day D is overdue from D+1: compare against the start of today (UTC). */
const startOfDay = (now: Date) => dayStart(isoDay(now));

// ── Summaries (board rows, person and topic pages, exports) ─────────────────

export interface ItemSummary {
  id: string;
  text: string;
  status: ItemStatus;
  target: string | null;
  dueDate: string | null;
  overdue: boolean;
  version: number;
  series: { id: string; slug: string; name: string };
  meeting: { id: string; date: string; title: string } | null;
  owners: { id: string; displayName: string }[];
  topics: { id: string; slug: string; name: string }[];
  links: { id: string; kind: string; url: string; title: string }[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

const summaryInclude = {
  series: { select: { id: true, slug: true, name: true } },
  meeting: { select: { id: true, date: true, title: true } },
  owners: { include: { person: { select: { id: true, displayName: true } } } },
  topics: { include: { topic: { select: { id: true, slug: true, name: true } } } },
  links: { select: { id: true, kind: true, url: true, title: true }, orderBy: { createdAt: "asc" } },
} as const satisfies Prisma.ActionItemInclude;

type SummaryRow = Prisma.ActionItemGetPayload<{ include: typeof summaryInclude }>;

function toSummary(i: SummaryRow, now: Date): ItemSummary {
  const status = (ITEM_STATUSES as readonly string[]).includes(i.status) ? (i.status as ItemStatus) : "open";
  return {
    id: i.id,
    text: i.text,
    status,
    target: i.target,
    dueDate: i.dueDate ? isoDay(i.dueDate) : null,
    overdue: !!i.dueDate && !isClosedStatus(status) && i.dueDate < startOfDay(now),
    version: i.version,
    series: i.series,
    meeting: i.meeting ? { id: i.meeting.id, date: isoDay(i.meeting.date), title: i.meeting.title } : null,
    owners: i.owners.map((o) => o.person).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    topics: i.topics.map((t) => t.topic).sort((a, b) => a.name.localeCompare(b.name)),
    links: i.links,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
  };
}

// ── The board ───────────────────────────────────────────────────────────────

export interface ItemPage {
  items: ItemSummary[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** Items per status under the other filters: the board's status tabs. */
  counts: Record<ItemStatus, number>;
  /** With "mine": the signed-in user's Person, or null when the account is linked to none. */
  mine?: { id: string; displayName: string } | null;
}

const orderFor: Record<ItemFilters["sort"], Prisma.ActionItemOrderByWithRelationInput[]> = {
  updated: [{ updatedAt: "desc" }, { id: "desc" }],
  due: [{ dueDate: { sort: "asc", nulls: "last" } }, { id: "asc" }],
  created: [{ createdAt: "desc" }, { id: "desc" }],
  status: [{ status: "asc" }, { updatedAt: "desc" }, { id: "desc" }],
};

/** The Person linked to a user account (Person.userId), if any. */
export async function personOfUser(db: DbOrTx, userId: string | null | undefined) {
  if (!userId) return null;
  return db.person.findUnique({ where: { userId }, select: { id: true, displayName: true } });
}

/**
 * Filters → a where clause. `minePersonId` is resolved by the caller (null = the user
 * has no Person: "mine" then matches nothing, rather than everything). `narrowed`
 * replaces the owner/topic/mine filters by an id list already resolved from them.
 */
export function itemWhere(
  f: Partial<ItemFilters>,
  ctx: ItemQueryContext,
  minePersonId?: string | null,
  opts: { withStatus?: boolean; narrowed?: Narrowed | null } = {},
): Prisma.ActionItemWhereInput {
  const and: Prisma.ActionItemWhereInput[] = [];
  const done = new Set(opts.narrowed?.covers ?? []);
  if (opts.narrowed) and.push({ id: { in: opts.narrowed.ids } });
  if (opts.withStatus !== false && f.status?.length) and.push({ status: { in: f.status } });
  if (f.owner && !done.has("owner")) and.push({ owners: { some: { personId: f.owner } } });
  if (f.topic && !done.has("topic")) and.push({ topics: { some: { topic: { slug: f.topic } } } });
  if (f.series) and.push({ series: { slug: f.series } });
  if (f.since) and.push({ updatedAt: { gte: new Date(f.since) } });
  if (f.overdue) and.push({ dueDate: { lt: startOfDay(ctx.now ?? new Date()) }, status: { in: [...ACTIVE_STATUSES] } });
  if (f.mine && !done.has("mine")) and.push(minePersonId ? { owners: { some: { personId: minePersonId } } } : { id: { in: [] } });
  if (f.q) {
    const contains = (ctx.provider === "postgresql" ? { contains: f.q, mode: "insensitive" } : { contains: f.q }) as Prisma.StringFilter;
    and.push({ text: contains });
  }
  return and.length ? { AND: and } : {};
}

/** Item ids already known to satisfy some of the relation filters. */
export interface Narrowed {
  ids: string[];
  covers: ("owner" | "topic" | "mine")[];
}

/**
 * The id list sent instead of relation filters stays under this: Prisma's SQLite
 * driver allows 999 bound values per query (P2029 beyond), and the rest of the query
 * needs a few. Each relation's own list may be longer (FETCH_MAX): only their
 * intersection is sent.
 */
const NARROW_MAX = 500;
const FETCH_MAX = 20_000;

/**
 * Owner, topic and "mine" filters as one id list, when it is short. Prisma writes
 * relation filters as correlated EXISTS, which makes the database test every item
 * (100,000 in the benchmark); the join tables' own indexes give the matching ids
 * directly. When the intersection is longer than `max`, null: the EXISTS filters stay.
 */
export async function narrowByRelations(db: DbOrTx, f: Partial<ItemFilters>, minePersonId: string | null | undefined, max = NARROW_MAX): Promise<Narrowed | null> {
  type Key = Narrowed["covers"][number];
  const lists: Promise<{ key: Key; ids: string[] | null }>[] = [];
  const capped = (key: Key) => (rows: { itemId: string }[]) => ({ key, ids: rows.length > FETCH_MAX ? null : rows.map((r) => r.itemId) });
  if (f.owner) lists.push(db.actionItemOwner.findMany({ where: { personId: f.owner }, select: { itemId: true }, take: FETCH_MAX + 1 }).then(capped("owner")));
  if (f.mine && minePersonId) lists.push(db.actionItemOwner.findMany({ where: { personId: minePersonId }, select: { itemId: true }, take: FETCH_MAX + 1 }).then(capped("mine")));
  if (f.topic) lists.push(db.actionItemTopic.findMany({ where: { topic: { slug: f.topic } }, select: { itemId: true }, take: FETCH_MAX + 1 }).then(capped("topic")));
  const known = (await Promise.all(lists)).filter((l): l is { key: Key; ids: string[] } => l.ids !== null);
  if (!known.length) return null;
  let ids = new Set(known[0].ids);
  for (const l of known.slice(1)) {
    const next = new Set(l.ids);
    ids = new Set([...ids].filter((x) => next.has(x)));
  }
  if (ids.size > max) return null;
  return { ids: [...ids], covers: known.map((l) => l.key) };
}

export async function listItems(db: DbOrTx, filters: Partial<ItemFilters>, ctx: ItemQueryContext = {}): Promise<ItemPage> {
  const now = ctx.now ?? new Date();
  const page = filters.page ?? 1;
  const pageSize = filters.pageSize ?? 50;
  const mine = filters.mine ? await personOfUser(db, ctx.userId) : undefined;
  const narrowed = await narrowByRelations(db, filters, mine?.id, ctx.narrowMax);
  const where = itemWhere(filters, ctx, mine?.id ?? null, { narrowed });
  const [rows, grouped] = await Promise.all([
    db.actionItem.findMany({ where, include: summaryInclude, orderBy: orderFor[filters.sort ?? "updated"], skip: (page - 1) * pageSize, take: pageSize }),
    db.actionItem.groupBy({ by: ["status"], where: itemWhere(filters, ctx, mine?.id ?? null, { withStatus: false, narrowed }), _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  for (const g of grouped) if (g.status in counts) counts[g.status as ItemStatus] = g._count._all;
  // The per-status counts already hold the total: no separate COUNT over the same rows.
  const wanted = filters.status?.length ? new Set<string>(filters.status) : null;
  const total = grouped.reduce((n, g) => n + (!wanted || wanted.has(g.status) ? g._count._all : 0), 0);
  return {
    items: rows.map((r) => toSummary(r, now)),
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    counts,
    ...(filters.mine && { mine: mine ?? null }),
  };
}

/** Every matching item (for exports), in the board's order, up to `max`. */
export async function allItems(db: DbOrTx, filters: Partial<ItemFilters>, ctx: ItemQueryContext = {}, max = 50_000): Promise<ItemSummary[]> {
  const now = ctx.now ?? new Date();
  const mine = filters.mine ? await personOfUser(db, ctx.userId) : undefined;
  const narrowed = await narrowByRelations(db, filters, mine?.id, ctx.narrowMax);
  const rows = await db.actionItem.findMany({ where: itemWhere(filters, ctx, mine?.id ?? null, { narrowed }), include: summaryInclude, orderBy: orderFor[filters.sort ?? "updated"], take: max });
  return rows.map((r) => toSummary(r, now));
}

export interface ItemGroupOf {
  key: string;
  label: string;
  /** Where the group's heading links: a person's or a topic's page. */
  href?: string;
  items: ItemSummary[];
}

/**
 * One page of items grouped for display. An item with two owners (or topics) shows
 * under each; items with none go last under "No owner" / "No topic".
 */
export function groupItems(items: ItemSummary[], by: ItemGroup): ItemGroupOf[] {
  if (by === "none") return [{ key: "all", label: "All items", items }];
  if (by === "status") {
    return ITEM_STATUSES.map((s) => ({ key: s, label: s, items: items.filter((i) => i.status === s) })).filter((g) => g.items.length);
  }
  const groups = new Map<string, ItemGroupOf>();
  const none: ItemGroupOf = { key: "none", label: by === "owner" ? "No owner" : "No topic", items: [] };
  for (const i of items) {
    const keys = by === "owner" ? i.owners.map((o) => ({ key: o.id, label: o.displayName, href: `/people/${o.id}` })) : i.topics.map((t) => ({ key: t.slug, label: t.name, href: `/topics/${t.slug}` }));
    if (!keys.length) none.items.push(i);
    for (const k of keys) {
      if (!groups.has(k.key)) groups.set(k.key, { ...k, items: [] });
      groups.get(k.key)!.items.push(i);
    }
  }
  const out = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
  return none.items.length ? [...out, none] : out;
}

// ── One item ────────────────────────────────────────────────────────────────

/** What a conflict shows of the stored item, and what the edit form starts from. */
export interface ItemSnapshot {
  id: string;
  version: number;
  text: string;
  status: ItemStatus;
  target: string | null;
  dueDate: string | null;
  owners: { id: string; displayName: string }[];
  topics: { id: string; name: string }[];
  updatedAt: string;
  /** Who saved last, from the audit trail (null for seeded/imported items). */
  updatedBy: string | null;
}

export async function itemSnapshot(db: DbOrTx, id: string): Promise<ItemSnapshot | null> {
  const i = await db.actionItem.findUnique({ where: { id }, include: { owners: { include: { person: true } }, topics: { include: { topic: true } } } });
  if (!i) return null;
  const last = await db.auditEvent.findFirst({ where: { entity: "actionItem", entityId: id }, orderBy: [{ at: "desc" }, { id: "desc" }] });
  return {
    id: i.id,
    version: i.version,
    text: i.text,
    status: i.status as ItemStatus,
    target: i.target,
    dueDate: i.dueDate ? isoDay(i.dueDate) : null,
    owners: i.owners.map((o) => ({ id: o.personId, displayName: o.person.displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    topics: i.topics.map((t) => ({ id: t.topicId, name: t.topic.name })).sort((a, b) => a.name.localeCompare(b.name)),
    updatedAt: i.updatedAt.toISOString(),
    updatedBy: last?.actorLabel ?? null,
  };
}

export interface TimelineEntry {
  meetingId: string;
  meetingTitle: string;
  meetingDate: string;
  outcome: string;
  note: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  /** One line a person can read: "status: open → done". */
  summary: string;
}

export interface ItemDetail extends ItemSummary {
  /** Each later meeting's word on the item, oldest first. */
  timeline: TimelineEntry[];
  /** Newest first. */
  history: AuditEntry[];
}

export async function getItem(db: DbOrTx, id: string, ctx: ItemQueryContext = {}): Promise<ItemDetail | null> {
  const row = await db.actionItem.findUnique({
    where: { id },
    include: { ...summaryInclude, reviews: { include: { meeting: { select: { id: true, title: true, date: true } } } } },
  });
  if (!row) return null;
  const events = await db.auditEvent.findMany({ where: { entity: "actionItem", entityId: id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 500 });
  return {
    ...toSummary(row, ctx.now ?? new Date()),
    timeline: [...row.reviews]
      .sort((a, b) => a.meeting.date.getTime() - b.meeting.date.getTime() || a.createdAt.getTime() - b.createdAt.getTime())
      .map((r) => ({ meetingId: r.meeting.id, meetingTitle: r.meeting.title, meetingDate: isoDay(r.meeting.date), outcome: r.outcome, note: r.note })),
    history: events.map(toAuditEntry),
  };
}

function toAuditEntry(e: { id: string; at: Date; actorLabel: string; action: string; detail: string }): AuditEntry {
  let detail: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(e.detail);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) detail = parsed;
  } catch {
    // A hand-written or truncated detail: show the event without it.
  }
  return { id: e.id, at: e.at.toISOString(), actor: e.actorLabel, action: e.action, detail, summary: describeAudit(e.action, detail) };
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : Array.isArray(v) ? v.join(", ") || "—" : String(v));

/** A readable line for an audit event, whichever module wrote it. */
export function describeAudit(action: string, d: Record<string, unknown>): string {
  const changes = d.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  const status = d.status as { from: unknown; to: unknown } | undefined;
  switch (action) {
    case "update":
      return changes && Object.keys(changes).length ? Object.entries(changes).map(([k, c]) => `${k}: ${show(c.from)} → ${show(c.to)}`).join("; ") : "saved without changes";
    case "status":
      return `status: ${show(status?.from)} → ${show(status?.to)}${d.bulk ? " (bulk change)" : ""}`;
    case "review":
      return `reviewed: ${show(d.outcome)}${d.note ? ` — “${String(d.note)}”` : ""}${status && status.from !== status.to ? `; status ${show(status.from)} → ${show(status.to)}` : ""}`;
    case "link.add":
      return `link added: ${show(d.kind)} ${show(d.url)}`;
    case "link.remove":
      return `link removed: ${show(d.kind)} ${show(d.url)}`;
    case "owner.add":
      return `owner added: ${show(d.displayName)}`;
    case "owner.remove":
      return `owner removed: ${show(d.displayName)}`;
    case "create":
      return `created${d.meetingId ? " in a meeting" : ""}`;
    default:
      return action;
  }
}

// ── Writes ──────────────────────────────────────────────────────────────────

function conflict(current: ItemSnapshot): DomainError {
  return new DomainError("CONFLICT", "Someone else saved this action item while you were editing.", current);
}

const notFoundItem = () => new DomainError("NOT_FOUND", "This action item does not exist (any more).");

/** Ids from a form must name existing rows; a stale picker gets a message, not a 500. */
async function checkReferences(tx: Tx, p: Partial<Pick<ItemPatch, "ownerIds" | "topicIds">>): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (p.ownerIds?.length && (await tx.person.count({ where: { id: { in: p.ownerIds } } })) !== new Set(p.ownerIds).size) errors.ownerIds = ["A chosen owner does not exist (any more)"];
  if (p.topicIds?.length && (await tx.topic.count({ where: { id: { in: p.topicIds } } })) !== new Set(p.topicIds).size) errors.topicIds = ["A chosen topic does not exist (any more)"];
  if (Object.keys(errors).length) throw new DomainError("INVALID", "Some fields need attention.", undefined, errors);
}

/**
 * closedAt follows the status: set when an item closes (kept if it was already
 * closed, e.g. done → dropped), cleared when it is reopened.
 */
function closedAtFor(from: { status: string; closedAt: Date | null }, to: string, now: Date): Date | null {
  if (!isClosedStatus(to)) return null;
  return isClosedStatus(from.status) ? (from.closedAt ?? now) : now;
}

const sameSet = (a: string[], b: string[]) => {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
};

export interface UpdatedItem {
  id: string;
  version: number;
  changed: string[];
}

/**
 * Saves an edit made from `expectedVersion`. The row is written only where its version
 * is still that one, and the version bumped in the same statement: of two concurrent
 * saves exactly one wins, the other gets CONFLICT with the stored item (its own values
 * stay with the caller). Fields left out of `patch` are kept. A target that is a date
 * ("2017-09-30") also becomes the due date unless one is given.
 */
export async function updateItem(db: DbOrTx, id: string, expectedVersion: number, patch: ItemPatchInput, actor: ItemActor): Promise<UpdatedItem> {
  const given = Object.keys(patch).filter((k) => k in itemPatchSchema.shape && (patch as Record<string, unknown>)[k] !== undefined) as (keyof ItemPatch)[];
  const parsed = itemPatchSchema.pick(Object.fromEntries(given.map((k) => [k, true])) as Record<keyof ItemPatch, true>).parse(patch) as Partial<ItemPatch>;
  if (parsed.target !== undefined && parsed.target !== null && /^\d{4}-\d{2}-\d{2}$/.test(parsed.target) && !given.includes("dueDate")) {
    const d = itemPatchSchema.shape.dueDate.safeParse(parsed.target);
    if (d.success) parsed.dueDate = d.data;
  }
  if (parsed.target === "") parsed.target = null;

  return inTransaction(db, async (tx) => {
    const before = await tx.actionItem.findUnique({ where: { id }, include: { owners: { include: { person: true } }, topics: { include: { topic: true } } } });
    if (!before) throw notFoundItem();
    if (before.version !== expectedVersion) throw conflict((await itemSnapshot(tx, id))!);
    await checkReferences(tx, parsed);

    const now = new Date();
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const data: Prisma.ActionItemUpdateManyMutationInput = { version: { increment: 1 } };
    if (parsed.text !== undefined && parsed.text !== before.text) {
      changes.text = { from: before.text, to: parsed.text };
      data.text = parsed.text;
    }
    if (parsed.status !== undefined && parsed.status !== before.status) {
      changes.status = { from: before.status, to: parsed.status };
      data.status = parsed.status;
      data.closedAt = closedAtFor(before, parsed.status, now);
    }
    if (parsed.target !== undefined && parsed.target !== before.target) {
      changes.target = { from: before.target, to: parsed.target };
      data.target = parsed.target;
    }
    const dueBefore = before.dueDate ? isoDay(before.dueDate) : null;
    if (parsed.dueDate !== undefined && parsed.dueDate !== dueBefore) {
      changes.dueDate = { from: dueBefore, to: parsed.dueDate };
      data.dueDate = parsed.dueDate ? dayStart(parsed.dueDate) : null;
    }

    const res = await tx.actionItem.updateMany({ where: { id, version: expectedVersion }, data });
    // Someone saved between our read and our write: theirs stands.
    if (res.count === 0) throw conflict((await itemSnapshot(tx, id))!);

    if (parsed.ownerIds !== undefined) {
      const ids = [...new Set(parsed.ownerIds)];
      if (!sameSet(before.owners.map((o) => o.personId), ids)) {
        await tx.actionItemOwner.deleteMany({ where: { itemId: id } });
        await tx.actionItemOwner.createMany({ data: ids.map((personId) => ({ itemId: id, personId })) });
        const names = await tx.person.findMany({ where: { id: { in: ids } }, select: { displayName: true }, orderBy: { displayName: "asc" } });
        changes.owners = { from: before.owners.map((o) => o.person.displayName).sort(), to: names.map((n) => n.displayName) };
      }
    }
    if (parsed.topicIds !== undefined) {
      const ids = [...new Set(parsed.topicIds)];
      if (!sameSet(before.topics.map((t) => t.topicId), ids)) {
        await tx.actionItemTopic.deleteMany({ where: { itemId: id } });
        await tx.actionItemTopic.createMany({ data: ids.map((topicId) => ({ itemId: id, topicId })) });
        const names = await tx.topic.findMany({ where: { id: { in: ids } }, select: { name: true }, orderBy: { name: "asc" } });
        changes.topics = { from: before.topics.map((t) => t.topic.name).sort(), to: names.map((n) => n.name) };
      }
    }
    await audit(tx, auditActorOf(actor), "actionItem", id, "update", { fromVersion: expectedVersion, toVersion: expectedVersion + 1, changes });
    return { id, version: expectedVersion + 1, changed: Object.keys(changes) };
  });
}

export interface BulkResult {
  changed: string[];
  unchanged: string[];
}

/**
 * Sets the status of many items at once: one transaction, so either every item
 * changes or none does (an unknown id refuses the lot). Each changed item is audited
 * on its own and gets its version bumped, so an edit form open on it will conflict
 * instead of silently putting the old status back.
 */
export async function bulkSetStatus(db: DbOrTx, ids: string[], status: string, actor: ItemActor): Promise<BulkResult> {
  const input = bulkStatusSchema.parse({ ids, status });
  const unique = [...new Set(input.ids)];
  return inTransaction(db, async (tx) => {
    const items = await tx.actionItem.findMany({ where: { id: { in: unique } }, select: { id: true, status: true, closedAt: true, version: true } });
    if (items.length !== unique.length) {
      const found = new Set(items.map((i) => i.id));
      const missing = unique.filter((i) => !found.has(i));
      throw new DomainError("NOT_FOUND", `${missing.length} of the selected items no longer exist; nothing was changed.`, undefined, { ids: [`Unknown items: ${missing.slice(0, 5).join(", ")}`] });
    }
    const who = auditActorOf(actor);
    const now = new Date();
    const out: BulkResult = { changed: [], unchanged: [] };
    for (const item of items) {
      if (item.status === input.status) {
        out.unchanged.push(item.id);
        continue;
      }
      await tx.actionItem.update({
        where: { id: item.id },
        data: { status: input.status, closedAt: closedAtFor(item, input.status, now), version: { increment: 1 } },
      });
      await audit(tx, who, "actionItem", item.id, "status", { status: { from: item.status, to: input.status }, bulk: true, fromVersion: item.version, toVersion: item.version + 1 });
      out.changed.push(item.id);
    }
    return out;
  });
}

// ── Links ───────────────────────────────────────────────────────────────────

export interface ItemLink {
  id: string;
  kind: string;
  url: string;
  title: string;
}

/**
 * Adds a typed link (patch series, RFC, thread …). Only http(s) URLs: anything else
 * (javascript:, data:) would be a stored script. A link does not bump the item's
 * version: it is not part of the edit form, so it cannot be lost by a concurrent save.
 */
export async function addLink(db: DbOrTx, itemId: string, input: LinkInput, actor: ItemActor): Promise<ItemLink> {
  const l = linkInputSchema.parse(input);
  const title = l.title || l.url;
  return inTransaction(db, async (tx) => {
    if (!(await tx.actionItem.findUnique({ where: { id: itemId }, select: { id: true } }))) throw notFoundItem();
    const dup = await tx.actionItemLink.findFirst({ where: { itemId, url: l.url } });
    if (dup) throw new DomainError("INVALID", "This item already has that link.", undefined, { url: ["This item already has that link"] });
    const row = await tx.actionItemLink.create({ data: { itemId, kind: l.kind, url: l.url, title } });
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "link.add", { linkId: row.id, kind: l.kind, url: l.url, title });
    return { id: row.id, kind: row.kind, url: row.url, title: row.title };
  });
}

export async function removeLink(db: DbOrTx, itemId: string, linkId: string, actor: ItemActor): Promise<void> {
  await inTransaction(db, async (tx) => {
    const link = await tx.actionItemLink.findFirst({ where: { id: linkId, itemId } });
    if (!link) throw new DomainError("NOT_FOUND", "This link does not exist (any more).");
    await tx.actionItemLink.delete({ where: { id: link.id } });
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "link.remove", { linkId, kind: link.kind, url: link.url, title: link.title });
  });
}

// ── Owners ──────────────────────────────────────────────────────────────────

/**
 * Owners are part of the edit form, so changing them here bumps the version: an edit
 * started before would otherwise put the old owner list back without a word.
 */
export async function addOwner(db: DbOrTx, itemId: string, personId: string, actor: ItemActor): Promise<{ version: number }> {
  return inTransaction(db, async (tx) => {
    const item = await tx.actionItem.findUnique({ where: { id: itemId }, include: { owners: true } });
    if (!item) throw notFoundItem();
    const person = await tx.person.findUnique({ where: { id: personId }, select: { id: true, displayName: true } });
    if (!person) throw new DomainError("INVALID", "This person does not exist (any more).", undefined, { personId: ["This person does not exist (any more)"] });
    if (item.owners.some((o) => o.personId === personId)) return { version: item.version };
    await tx.actionItemOwner.create({ data: { itemId, personId } });
    const row = await tx.actionItem.update({ where: { id: itemId }, data: { version: { increment: 1 } } });
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "owner.add", { personId, displayName: person.displayName });
    return { version: row.version };
  });
}

export async function removeOwner(db: DbOrTx, itemId: string, personId: string, actor: ItemActor): Promise<{ version: number }> {
  return inTransaction(db, async (tx) => {
    const item = await tx.actionItem.findUnique({ where: { id: itemId }, include: { owners: { include: { person: true } } } });
    if (!item) throw notFoundItem();
    const owner = item.owners.find((o) => o.personId === personId);
    if (!owner) return { version: item.version };
    if (item.owners.length === 1) throw new DomainError("INVALID", "An action item needs at least one owner.", undefined, { personId: ["An action item needs at least one owner; add another first"] });
    await tx.actionItemOwner.delete({ where: { itemId_personId: { itemId, personId } } });
    const row = await tx.actionItem.update({ where: { id: itemId }, data: { version: { increment: 1 } } });
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "owner.remove", { personId, displayName: owner.person.displayName });
    return { version: row.version };
  });
}

// ── Choices for forms and filters ───────────────────────────────────────────

export async function itemChoices(db: Db) {
  const [people, topics, series] = await Promise.all([
    db.person.findMany({ orderBy: { displayName: "asc" }, select: { id: true, displayName: true } }),
    db.topic.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } }),
    db.series.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } }),
  ]);
  return { people, topics, series };
}

// ── Topic page ──────────────────────────────────────────────────────────────

export interface TopicPage {
  topic: { id: string; slug: string; name: string; description: string };
  meetings: { id: string; date: string; title: string; series: { slug: string; name: string } }[];
  openItems: ItemSummary[];
  closedItems: ItemSummary[];
  counts: Record<ItemStatus, number>;
}

/** A workstream: its meetings (newest first) and its items (open first, then closed). */
export async function topicPage(db: DbOrTx, slug: string, ctx: ItemQueryContext = {}, limit = 200): Promise<TopicPage | null> {
  const topic = await db.topic.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, description: true } });
  if (!topic) return null;
  const now = ctx.now ?? new Date();
  const where = { topics: { some: { topicId: topic.id } } };
  const [meetings, open, closed, grouped] = await Promise.all([
    db.meeting.findMany({ where: { topics: { some: { topicId: topic.id } } }, orderBy: [{ date: "desc" }, { id: "desc" }], take: limit, select: { id: true, date: true, title: true, series: { select: { slug: true, name: true } } } }),
    db.actionItem.findMany({ where: { ...where, status: { in: [...ACTIVE_STATUSES] } }, include: summaryInclude, orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }], take: limit }),
    db.actionItem.findMany({ where: { ...where, status: { notIn: [...ACTIVE_STATUSES] } }, include: summaryInclude, orderBy: [{ closedAt: { sort: "desc", nulls: "last" } }, { updatedAt: "desc" }], take: limit }),
    db.actionItem.groupBy({ by: ["status"], where, _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
  for (const g of grouped) if (g.status in counts) counts[g.status as ItemStatus] = g._count._all;
  return {
    topic,
    meetings: meetings.map((m) => ({ id: m.id, date: isoDay(m.date), title: m.title, series: m.series })),
    openItems: open.map((r) => toSummary(r, now)),
    closedItems: closed.map((r) => toSummary(r, now)),
    counts,
  };
}

/** Exposed for people.ts (same summaries on the person page). */
export const itemSummaryInclude = summaryInclude;
export const toItemSummary = toSummary;

export interface TopicRow {
  slug: string;
  name: string;
  description: string;
  open: number;
  meetings: number;
}

/** Every topic with its open-item and meeting counts (the topics index). */
export async function listTopics(db: DbOrTx): Promise<TopicRow[]> {
  const [topics, open] = await Promise.all([
    db.topic.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true, description: true, _count: { select: { meetings: true } } } }),
    db.actionItemTopic.groupBy({ by: ["topicId"], where: { item: { status: { in: [...ACTIVE_STATUSES] } } }, _count: { _all: true } }),
  ]);
  const openBy = new Map(open.map((o) => [o.topicId, o._count._all]));
  return topics.map((t) => ({ slug: t.slug, name: t.name, description: t.description, open: openBy.get(t.id) ?? 0, meetings: t._count.meetings }));
}
