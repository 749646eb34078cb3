/**
 * The board: action items filtered, sorted, paginated and counted per status; the same
 * query feeds the exports and the read API.
 */
import { countBy } from "@/lib/db/count-by";
import { getDb } from "@/lib/db/client";
import { keptKey, keptUntilWrite } from "@/lib/db/kept";
import { containsText } from "@/lib/db/dialect";
import { dayOf, today } from "@/lib/db/days";
import type { Provider } from "@/lib/db/config";
import type { Db, DbOrTx, Prisma } from "@/lib/db/types";
import { personOfUser } from "@/lib/people/reads";
import type { ItemFilters, ItemGroup } from "./schemas";
import { ITEM_STATUSES, OPEN_STATUSES, statusCounts, type ItemStatus } from "./statuses";
import { summaryInclude, toSummary, type ItemSummary } from "./summary";

/** What a read needs besides the filters: who asks (for "mine") and the clock. */
export interface ItemQueryContext {
  userId?: string | null;
  now?: Date;
  /** Largest id list a relation filter is resolved to (tests lower it to exercise the fallback). */
  narrowMax?: number;
}

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

/** Item ids already known to satisfy some of the relation filters. */
interface Narrowed {
  ids: readonly string[];
  covers: ("owner" | "topic" | "mine")[];
}

/**
 * Filters → a where clause. `minePersonId` is resolved by the caller (null = the user
 * has no Person: "mine" then matches nothing, rather than everything). `narrowed`
 * replaces the owner/topic/mine filters by an id list already resolved from them.
 */
function itemWhere(
  f: Partial<ItemFilters>,
  ctx: { provider: Provider; now?: Date },
  minePersonId?: string | null,
  opts: { withStatus?: boolean; narrowed?: Narrowed | null } = {},
): Prisma.ActionItemWhereInput {
  const and: Prisma.ActionItemWhereInput[] = [];
  const done = new Set(opts.narrowed?.covers ?? []);
  if (opts.narrowed) and.push({ id: { in: [...opts.narrowed.ids] } });
  if (opts.withStatus !== false && f.status?.length) and.push({ status: { in: f.status } });
  if (f.owner && !done.has("owner")) and.push({ owners: { some: { personId: f.owner } } });
  if (f.topic && !done.has("topic")) and.push({ topics: { some: { topic: { slug: f.topic } } } });
  if (f.series) and.push({ series: { slug: f.series } });
  if (f.since) and.push({ updatedAt: { gte: new Date(f.since) } });
  if (f.overdue) and.push({ dueDate: { lt: today(ctx.now ?? new Date()) }, status: { in: [...OPEN_STATUSES] } });
  if (f.mine && !done.has("mine")) and.push(minePersonId ? { owners: { some: { personId: minePersonId } } } : { id: { in: [] } });
  if (f.q) and.push({ text: containsText(ctx.provider, f.q) });
  return and.length ? { AND: and } : {};
}

/**
 * The id list sent instead of relation filters stays under this: Prisma's SQLite
 * driver allows 999 bound values per query (P2029 beyond), and the rest of the query
 * needs a few.
 */
const NARROW_MAX = 500;

/**
 * Owner, topic and "mine" filters as one id list, when it is short. Prisma writes
 * relation filters as correlated EXISTS, which makes the database test every item
 * (100,000 in the benchmark); one join table's own index gives the matching ids
 * directly. The smallest likely list is read (a person's items before a topic's), with
 * the other relation filters tested on its rows only. When it is longer than `max`,
 * null: the EXISTS filters stay.
 */
async function narrowByRelations(db: DbOrTx, f: Partial<ItemFilters>, minePersonId: string | null | undefined, max = NARROW_MAX): Promise<Narrowed | null> {
  const people = [f.owner, f.mine ? minePersonId : undefined].filter((p): p is string => !!p);
  if (!people.length && !f.topic) return null;
  const covers: Narrowed["covers"] = [
    ...(f.owner ? (["owner"] as const) : []),
    ...(f.mine && minePersonId ? (["mine"] as const) : []),
    ...(f.topic ? (["topic"] as const) : []),
  ];
  const others = (skipPerson: boolean): Prisma.ActionItemWhereInput => ({
    AND: [
      ...people.slice(skipPerson ? 1 : 0).map((personId) => ({ owners: { some: { personId } } })),
      ...(f.topic ? [{ topics: { some: { topic: { slug: f.topic } } } }] : []),
    ],
  });
  const read = async (): Promise<readonly string[] | null> => {
    const rows = people.length
      ? await db.actionItemOwner.findMany({ where: { personId: people[0], item: others(true) }, select: { itemId: true }, take: max + 1 })
      : await db.actionItemTopic.findMany({ where: { topic: { slug: f.topic } }, select: { itemId: true }, take: max + 1 });
    return rows.length > max ? null : rows.map((r) => r.itemId);
  };
  // Kept like the counts: a person with a few thousand items made this read the slowest
  // part of a filtered board view (501 rows, each with its EXISTS tests), on every view.
  const ids = await keptUntilWrite(db, `board.narrow:${keptKey({ people, topic: f.topic ?? null, max })}`, COUNT_TABLES, read);
  return ids && { ids, covers };
}

/** What the status counts read: items, their owners and topics, and the slugs filters name. */
const COUNT_TABLES = ["ActionItem", "ActionItemOwner", "ActionItemTopic", "Topic", "Series", "Person"] as const;

/** What a page's rows show: the counts' tables, and the items' links and meetings. */
const ROW_TABLES = [...COUNT_TABLES, "ActionItemLink", "Meeting"] as const;

/** One page of the board, with the per-status counts of its tabs. */
export async function listItems(filters: Partial<ItemFilters>, ctx: ItemQueryContext = {}, db: Db = getDb()): Promise<ItemPage> {
  const now = ctx.now ?? new Date();
  const page = filters.page ?? 1;
  const pageSize = filters.pageSize ?? 50;
  const mine = filters.mine ? await personOfUser(ctx.userId, db) : undefined;
  const narrowed = await narrowByRelations(db, filters, mine?.id, ctx.narrowMax);
  const where = (withStatus: boolean) => itemWhere(filters, { provider: db.provider, now }, mine?.id ?? null, { withStatus, narrowed });
  const rowsWhere = where(true);
  const countsWhere = where(false);
  const sort = filters.sort ?? "updated";
  const readRows = () =>
    db.actionItem
      .findMany({ where: rowsWhere, include: summaryInclude, orderBy: orderFor[sort], skip: (page - 1) * pageSize, take: pageSize })
      .then((rows) => rows.map((r) => toSummary(r, now)));
  const [items, grouped] = await Promise.all([
    // A page without a text search is kept until one of the tables its rows show is written:
    // every member opens the board, and its first page changes only with the board. (A search
    // is anybody's text: kept, it would only push the common pages out.) Named by what the
    // read uses, and the day (an item's "overdue" is counted from it).
    filters.q ? readRows() : keptUntilWrite(db, `board.rows:${keptKey({ where: rowsWhere, sort, page, pageSize, day: dayOf(now) })}`, ROW_TABLES, readRows),
    // Per-status counts under the other filters: over the whole board (100k items) without a
    // narrowing filter; they change only when items are written (lib/db/kept.ts).
    keptUntilWrite(db, `board.counts:${keptKey(countsWhere)}`, COUNT_TABLES, () => countBy(db.actionItem, "status", countsWhere)),
  ]);
  const counts = statusCounts(grouped);
  // The per-status counts already hold the total: no separate COUNT over the same rows.
  const wanted = filters.status?.length ? new Set<string>(filters.status) : null;
  const total = [...grouped].reduce((n, [status, count]) => n + (!wanted || wanted.has(status) ? count : 0), 0);
  return {
    items,
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    counts,
    ...(filters.mine && { mine: mine ?? null }),
  };
}

/** Every matching item (for exports), in the board's order, up to `max`. */
export async function allItems(filters: Partial<ItemFilters>, ctx: ItemQueryContext = {}, db: Db = getDb(), max = 50_000): Promise<ItemSummary[]> {
  const now = ctx.now ?? new Date();
  const mine = filters.mine ? await personOfUser(ctx.userId, db) : undefined;
  const narrowed = await narrowByRelations(db, filters, mine?.id, ctx.narrowMax);
  const rows = await db.actionItem.findMany({
    where: itemWhere(filters, { provider: db.provider, now }, mine?.id ?? null, { narrowed }),
    include: summaryInclude,
    orderBy: orderFor[filters.sort ?? "updated"],
    take: max,
  });
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
    const keys =
      by === "owner"
        ? i.owners.map((o) => ({ key: o.id, label: o.displayName, href: `/people/${o.id}` }))
        : i.topics.map((t) => ({ key: t.slug, label: t.name, href: `/topics/${t.slug}` }));
    if (!keys.length) none.items.push(i);
    for (const k of keys) {
      if (!groups.has(k.key)) groups.set(k.key, { ...k, items: [] });
      groups.get(k.key)!.items.push(i);
    }
  }
  const out = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
  return none.items.length ? [...out, none] : out;
}
