/**
 * The read API's pages (/api/v1/action-items, /api/v1/meetings): JSON, paginated with
 * a total and a `next` link, filtered by the query string. Routes only parse the URL
 * and call these.
 */
import { z } from "zod";
import type { Prisma } from "@/generated/sqlite/client";
import { itemToJson, type ItemJson } from "./export-items";
import { boardFiltersSchema, itemFiltersSchema, listItems, type ItemQueryContext } from "./items";
import type { DbOrTx } from "./tx";

export interface ApiPage<T> {
  data: T[];
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
  /** Absolute URL of the next page with the same filters, or null on the last page. */
  next: string | null;
  prev: string | null;
}

/** Query string → plain object; a repeated key keeps every value. */
export function queryObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(k);
    out[k] = all.length > 1 ? all : all[0];
  }
  return out;
}

function pageLinks(url: URL, page: number, pageCount: number): { next: string | null; prev: string | null } {
  const at = (p: number) => {
    const u = new URL(url);
    u.searchParams.set("page", String(p));
    return u.toString();
  };
  return { next: page < pageCount ? at(page + 1) : null, prev: page > 1 ? at(Math.min(page - 1, pageCount)) : null };
}

// ── Action items ────────────────────────────────────────────────────────────

/** The API takes the board's filters but no "mine" (a token has no board). */
export const apiItemFiltersSchema = itemFiltersSchema.omit({ mine: true }).strict();

/** Throws the ZodError of a bad query: defineRoute answers 400 with the field messages. */
export async function apiItemsPage(db: DbOrTx, url: URL, ctx: ItemQueryContext = {}): Promise<ApiPage<ItemJson>> {
  const f = apiItemFiltersSchema.parse(queryObject(url));
  const res = await listItems(db, f, ctx);
  return { data: res.items.map((i) => itemToJson(i, url.origin)), page: res.page, pageSize: res.pageSize, total: res.total, pageCount: res.pageCount, ...pageLinks(url, res.page, res.pageCount) };
}

// ── Meetings ────────────────────────────────────────────────────────────────

const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" ? undefined : v), s.optional());
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD").refine((s) => !Number.isNaN(new Date(`${s}T00:00:00Z`).getTime()), "This date does not exist");

export const apiMeetingFiltersSchema = z
  .object({
    series: opt(z.string().max(100)),
    topic: opt(z.string().max(100)),
    /** An attendee's person id. */
    person: opt(z.string().max(64)),
    from: opt(day),
    to: opt(day),
    since: itemFiltersSchema.shape.since,
    page: itemFiltersSchema.shape.page,
    pageSize: itemFiltersSchema.shape.pageSize,
  })
  .strict();

export interface MeetingJson {
  id: string;
  date: string;
  title: string;
  series: { slug: string; name: string };
  attendees: { id: string; displayName: string }[];
  topics: { slug: string; name: string }[];
  body: string;
  decisions: string;
  source: string;
  sourceUrl: string | null;
  itemsCreated: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  url: string;
}

export async function apiMeetingsPage(db: DbOrTx, url: URL): Promise<ApiPage<MeetingJson>> {
  const f = apiMeetingFiltersSchema.parse(queryObject(url));
  const and: Prisma.MeetingWhereInput[] = [];
  if (f.series) and.push({ series: { slug: f.series } });
  if (f.topic) and.push({ topics: { some: { topic: { slug: f.topic } } } });
  if (f.person) and.push({ attendees: { some: { personId: f.person } } });
  if (f.from) and.push({ date: { gte: new Date(`${f.from}T00:00:00Z`) } });
  if (f.to) and.push({ date: { lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) } });
  if (f.since) and.push({ updatedAt: { gte: new Date(f.since) } });
  const where = and.length ? { AND: and } : {};
  const [total, rows] = await Promise.all([
    db.meeting.count({ where }),
    db.meeting.findMany({
      where,
      orderBy: [{ date: "desc" }, { id: "desc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: {
        series: { select: { slug: true, name: true } },
        attendees: { include: { person: { select: { id: true, displayName: true } } } },
        topics: { include: { topic: { select: { slug: true, name: true } } } },
        itemsCreated: { select: { id: true }, orderBy: { createdAt: "asc" } },
      },
    }),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / f.pageSize));
  return {
    data: rows.map((m) => ({
      id: m.id,
      date: m.date.toISOString().slice(0, 10),
      title: m.title,
      series: m.series,
      attendees: m.attendees.map((a) => a.person).sort((a, b) => a.displayName.localeCompare(b.displayName)),
      topics: m.topics.map((t) => t.topic).sort((a, b) => a.name.localeCompare(b.name)),
      body: m.body,
      decisions: m.decisions,
      source: m.source,
      sourceUrl: m.sourceUrl,
      itemsCreated: m.itemsCreated.map((i) => i.id),
      version: m.version,
      createdAt: m.createdAt.toISOString(),
      updatedAt: m.updatedAt.toISOString(),
      url: `${url.origin}/meetings/${m.id}`,
    })),
    page: f.page,
    pageSize: f.pageSize,
    total,
    pageCount,
    ...pageLinks(url, f.page, pageCount),
  };
}

// ── Exports ─────────────────────────────────────────────────────────────────

/**
 * The export links carry the board's query string: its filters apply, its paging and
 * grouping do not (an export is every matching item). A bad filter throws (→ 400).
 */
export function exportFilters(url: URL) {
  const { page: _page, pageSize: _size, group: _group, ...filters } = boardFiltersSchema.parse(queryObject(url));
  return filters;
}
