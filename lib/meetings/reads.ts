/**
 * Meetings as pages read them: the list (filters, full text), one meeting, what a
 * conflict shows of the stored one, and the choices the editor and filters offer.
 */
import { keptKey, keptUntilWrite } from "@/lib/db/kept";
import { itemChoices } from "@/lib/items/reads";
import { countBy } from "@/lib/db/count-by";
import { getDb } from "@/lib/db/client";
import { dayOf, endOfDay, startOfDay } from "@/lib/db/days";
import type { Db, DbOrTx } from "@/lib/db/types";
import { highlightToHtml } from "@/lib/search/query";
import { meetingsFoundThrough, search, searchSnippets } from "@/lib/search/search";
import type { MeetingFilters } from "./schemas";

// ── Snapshot: what a conflict shows of the stored meeting ───────────────────

export interface MeetingSnapshot {
  id: string;
  version: number;
  seriesId: string;
  seriesName: string;
  date: string;
  title: string;
  body: string;
  decisions: string;
  sourceUrl: string | null;
  attendees: { id: string; displayName: string }[];
  topics: { id: string; name: string }[];
  updatedAt: string;
  /** Who saved last, from the audit trail (null for imported/seeded meetings). */
  updatedBy: string | null;
}

export async function meetingSnapshot(id: string, db: DbOrTx = getDb()): Promise<MeetingSnapshot | null> {
  const m = await db.meeting.findUnique({
    where: { id },
    include: { series: true, attendees: { include: { person: true } }, topics: { include: { topic: true } } },
  });
  if (!m) return null;
  const last = await db.auditEvent.findFirst({ where: { entity: "meeting", entityId: id }, orderBy: { at: "desc" } });
  return {
    id: m.id,
    version: m.version,
    seriesId: m.seriesId,
    seriesName: m.series.name,
    date: dayOf(m.date),
    title: m.title,
    body: m.body,
    decisions: m.decisions,
    sourceUrl: m.sourceUrl,
    attendees: m.attendees.map((a) => ({ id: a.personId, displayName: a.person.displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    topics: m.topics.map((t) => ({ id: t.topicId, name: t.topic.name })).sort((a, b) => a.name.localeCompare(b.name)),
    updatedAt: m.updatedAt.toISOString(),
    updatedBy: last?.actorLabel ?? null,
  };
}

// ── List ────────────────────────────────────────────────────────────────────

export interface MeetingSummary {
  id: string;
  date: string;
  title: string;
  series: { id: string; name: string; slug: string };
  topics: { slug: string; name: string }[];
  attendeeCount: number;
  itemCount: number;
  /** With a search: the matching passage, HTML-escaped, matches in <mark>. */
  snippet?: string;
}

export interface MeetingPage {
  meetings: MeetingSummary[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** A search caps its candidates (ranked best first); true when the cap was hit. */
  truncated: boolean;
}

/** How many ranked search hits a filtered search considers. */
export const SEARCH_CANDIDATES = 500;

/**
 * Meetings by series (slug), topic (slug), attendee (person id), date range
 * (inclusive) and full text, newest first — or best match first with a search.
 */
export async function listMeetings(filters: Partial<MeetingFilters>, db: Db = getDb()): Promise<MeetingPage> {
  const page = filters.page ?? 1;
  const pageSize = filters.pageSize ?? 20;
  const where = {
    ...(filters.series && { series: { slug: filters.series } }),
    ...(filters.topic && { topics: { some: { topic: { slug: filters.topic } } } }),
    ...(filters.person && { attendees: { some: { personId: filters.person } } }),
    ...((filters.from || filters.to) && {
      date: {
        ...(filters.from && { gte: startOfDay(filters.from) }),
        ...(filters.to && { lt: endOfDay(filters.to) }),
      },
    }),
  };
  // Only what a summary shows (no body/decisions), and no `_count`: Prisma computes a
  // relation count by joining a GROUP BY over the whole related table (every attendee,
  // every action item) on each page. countsFor() counts for the page's ids only.
  const select = {
    id: true,
    date: true,
    title: true,
    series: { select: { id: true, name: true, slug: true } },
    topics: { select: { topic: { select: { slug: true, name: true } } } },
  } as const;
  type Row = Awaited<ReturnType<typeof db.meeting.findMany<{ select: typeof select }>>>[number];
  const summaries = async (rows: Row[], snippets?: Map<string, string>): Promise<MeetingSummary[]> => {
    const { attendees, items } = await countsFor(
      db,
      rows.map((m) => m.id),
    );
    return rows.map((m) => ({
      id: m.id,
      date: dayOf(m.date),
      title: m.title,
      series: m.series,
      topics: m.topics.map((t) => ({ slug: t.topic.slug, name: t.topic.name })),
      attendeeCount: attendees.get(m.id) ?? 0,
      itemCount: items.get(m.id) ?? 0,
      ...(snippets && { snippet: snippets.get(m.id) ?? "" }),
    }));
  };

  if (filters.q) {
    // Rank the candidates without snippets; highlight only the page shown (ts_headline /
    // snippet() for all 500 candidates cost several hundred ms).
    const [hits, through] = await Promise.all([
      search(filters.q, { kinds: ["meeting"], limit: SEARCH_CANDIDATES, snippets: false }, db),
      meetingsFoundThrough(filters.q, { limit: SEARCH_CANDIDATES }, db),
    ]);
    // Meetings whose own text matches first, then those found through their items and review notes.
    const rank = new Map(hits.map((h, i) => [h.id, i]));
    for (const id of through.keys()) if (!rank.has(id)) rank.set(id, rank.size);
    const matching = await db.meeting.findMany({ where: { ...where, id: { in: [...rank.keys()] } }, select: { id: true } });
    const ordered = matching.map((m) => m.id).sort((a, b) => rank.get(a)! - rank.get(b)!);
    const pageIds = ordered.slice((page - 1) * pageSize, page * pageSize);
    const rows = await db.meeting.findMany({ where: { id: { in: pageIds } }, select });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const snippets = await searchSnippets(filters.q, "meeting", pageIds, db);
    const viaItems = pageIds.flatMap((id) => {
      const r = through.get(id);
      return !snippets.has(id) && r?.via === "item" ? [r.itemId] : [];
    });
    const itemSnippets = await searchSnippets(filters.q, "item", viaItems, db);
    for (const id of pageIds) {
      const r = through.get(id);
      if (snippets.has(id) || !r) continue;
      if (r.via === "item" && itemSnippets.has(r.itemId)) snippets.set(id, `Action item: ${itemSnippets.get(r.itemId)}`);
      else if (r.via === "note") snippets.set(id, `Review note: ${highlightToHtml(r.note.slice(0, 300))}`);
    }
    return {
      meetings: await summaries(
        pageIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
        snippets,
      ),
      total: ordered.length,
      page,
      pageSize,
      pageCount: Math.max(1, Math.ceil(ordered.length / pageSize)),
      truncated: hits.length >= SEARCH_CANDIDATES || through.size >= SEARCH_CANDIDATES,
    };
  }

  // Without a search, a page of the list is kept until one of the tables it shows is written
  // (lib/db/kept.ts): every member opens this list, and it changes only with the board.
  return keptUntilWrite(
    db,
    // Named by what the read uses (like the board's counts), so no filter can be left out of the key.
    `meetings:${keptKey({ where, page, pageSize })}`,
    LIST_TABLES,
    async () => {
      const [total, rows] = await Promise.all([
        db.meeting.count({ where }),
        db.meeting.findMany({ where, select, orderBy: [{ date: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
      ]);
      return { meetings: await summaries(rows), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), truncated: false };
    },
  );
}

/** What a page of the list reads: the meetings, their series, topics, attendee and item counts. */
const LIST_TABLES = ["Meeting", "Series", "MeetingTopic", "Topic", "MeetingAttendee", "ActionItem"] as const;

/** Attendees and items created per meeting, for a page of meetings (index lookups by meetingId). */
async function countsFor(db: Db, ids: string[]): Promise<{ attendees: Map<string, number>; items: Map<string, number> }> {
  if (!ids.length) return { attendees: new Map(), items: new Map() };
  const [attendees, items] = await Promise.all([
    countBy(db.meetingAttendee, "meetingId", { meetingId: { in: ids } }),
    countBy(db.actionItem, "meetingId", { meetingId: { in: ids } }),
  ]);
  return { attendees, items };
}

// ── Read ────────────────────────────────────────────────────────────────────

const detailInclude = {
  series: true,
  attendees: { include: { person: true } },
  topics: { include: { topic: true } },
  itemsCreated: { include: { owners: { include: { person: true } }, topics: { include: { topic: true } } }, orderBy: { createdAt: "asc" } },
  reviews: { include: { item: { include: { owners: { include: { person: true } } } } }, orderBy: { createdAt: "asc" } },
} as const;

export type MeetingDetail = NonNullable<Awaited<ReturnType<typeof getMeeting>>>;

/** Everything the meeting page shows: attendees, topics, items created, items reviewed. */
export async function getMeeting(id: string, db: DbOrTx = getDb()) {
  const m = await db.meeting.findUnique({ where: { id }, include: detailInclude });
  if (!m) return null;
  m.attendees.sort((a, b) => a.person.displayName.localeCompare(b.person.displayName));
  m.topics.sort((a, b) => a.topic.name.localeCompare(b.topic.name));
  return m;
}

/** The choices every meeting editor offers: series, topics, people with their aliases. */
export async function editorChoices(db: DbOrTx = getDb()) {
  const [series, topics, people] = await Promise.all([
    db.series.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, slug: true } }),
    db.topic.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.person.findMany({ orderBy: { displayName: "asc" }, select: { id: true, displayName: true, aliases: { select: { alias: true } } } }),
  ]);
  return {
    series,
    defaultSeries: series[0] ?? null,
    topics,
    people: people.map((p) => ({ id: p.id, displayName: p.displayName, aliases: p.aliases.map((a) => a.alias) })),
  };
}

/** The choices the meetings list's filters offer. */
export async function meetingFilterChoices(db: DbOrTx = getDb()) {
  // The board's choices (series, topics, people by name): one kept read serves both lists.
  const { series, topics, people } = await itemChoices(db);
  return { series, topics, people };
}

/** Every series, for the import page's picker. */
export async function seriesChoices(db: DbOrTx = getDb()): Promise<{ id: string; name: string; slug: string }[]> {
  return db.series.findMany({ select: { id: true, name: true, slug: true }, orderBy: { name: "asc" } });
}

// ── Delete: what the confirmation says ──────────────────────────────────────

export interface DeleteChoices {
  /** The items the meeting created: kept, detached or moved. */
  items: { id: string; text: string }[];
  reviews: number;
  /** Other meetings of the series, newest first: where its items can move. */
  otherMeetings: { id: string; title: string; date: string }[];
}

export async function deleteChoices(meetingId: string, db: DbOrTx = getDb()): Promise<DeleteChoices | null> {
  const m = await db.meeting.findUnique({
    where: { id: meetingId },
    select: {
      seriesId: true,
      itemsCreated: { select: { id: true, text: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      _count: { select: { reviews: true } },
    },
  });
  if (!m) return null;
  const others = await db.meeting.findMany({
    where: { seriesId: m.seriesId, NOT: { id: meetingId } },
    select: { id: true, title: true, date: true },
    orderBy: [{ date: "desc" }, { id: "asc" }],
    take: 200,
  });
  return { items: m.itemsCreated, reviews: m._count.reviews, otherMeetings: others.map((o) => ({ id: o.id, title: o.title, date: dayOf(o.date) })) };
}
