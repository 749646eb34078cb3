/**
 * Full-text search over minutes (meeting title, body, decisions) and action items,
 * one interface over two engines: SQLite FTS5 (search_fts, kept in sync by triggers)
 * and PostgreSQL full text (GIN expression indexes), chosen by the handle's provider.
 * DDL: prisma/extra/<provider>. Query syntax and safe highlighting: ./query.ts.
 */
import { getDb } from "@/lib/db/client";
import type { Db, DbOrTx } from "@/lib/db/types";
import { CLOSE, highlightToHtml, OPEN, parseQuery, toFts5, toWebsearch, type ParsedQuery } from "./query";

export type SearchKind = "meeting" | "item";

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** Meeting title, or the item's text (shortened). Plain text: escape when rendering. */
  title: string;
  /** HTML-escaped passage; matches wrapped in <mark>. Safe for dangerouslySetInnerHTML. */
  snippet: string;
  /** Higher is better; comparable within one result list only. */
  rank: number;
  /** Meeting date (meetings) or the creating meeting's date (items), YYYY-MM-DD. */
  date: string | null;
  /** For items: the meeting that created it. */
  meetingId: string | null;
}

export interface SearchOptions {
  kinds?: SearchKind[];
  limit?: number;
  offset?: number;
  /**
   * false: rank only, every snippet "" (highlighting re-reads each hit's text). For
   * callers that page a long candidate list themselves and highlight the page with
   * searchSnippets.
   */
  snippets?: boolean;
}

// ── The engines ─────────────────────────────────────────────────────────────

interface RawHit {
  kind: SearchKind;
  id: string;
  snippet: string;
  rank: number;
}

/**
 * Stored, GIN-indexed tsvector columns (prisma/extra/postgresql/0001_init.sql): the
 * rank reads them instead of re-parsing every matching document.
 */
const MEETING_DOC = `"search_tsv"`;
const MEETING_TITLE = `"title_tsv"`;
const ITEM_DOC = `"search_tsv"`;
const HEADLINE_OPTS = `StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

const SQLITE_SNIPPET = `snippet("search_fts", -1, ?, ?, '…', 24)`;

async function searchSqlite(db: DbOrTx, p: ParsedQuery, kinds: SearchKind[], limit: number, offset: number, withSnippets: boolean): Promise<RawHit[]> {
  const expr = toFts5(p);
  if (!expr) return [];
  const kindList = kinds.map(() => "?").join(", ");
  // bm25 is lower-is-better; a title hit weighs five times a body hit.
  return db.$queryRawUnsafe<RawHit[]>(
    `SELECT d."kind" AS kind, d."ref" AS id,
            ${withSnippets ? SQLITE_SNIPPET : "''"} AS snippet,
            -bm25("search_fts", 5.0, 1.0) AS rank
       FROM "search_fts" JOIN "search_doc" d ON d."id" = "search_fts"."rowid"
      WHERE "search_fts" MATCH ? AND d."kind" IN (${kindList})
      ORDER BY bm25("search_fts", 5.0, 1.0)
      LIMIT ? OFFSET ?`,
    ...(withSnippets ? [OPEN, CLOSE] : []),
    expr,
    ...kinds,
    limit,
    offset,
  );
}

async function searchPostgres(db: DbOrTx, p: ParsedQuery, kinds: SearchKind[], limit: number, offset: number, withSnippets: boolean): Promise<RawHit[]> {
  const q = toWebsearch(p);
  if (!q) return [];
  // Rank every match from the stored tsvectors, keep the page, and only then fetch the
  // page's text for ts_headline (which re-parses it): carrying the text of every
  // candidate through the sort cost more than the ranking itself.
  const parts: string[] = [];
  if (kinds.includes("meeting")) {
    parts.push(`SELECT 'meeting' AS kind, "id", ts_rank(${MEETING_DOC}, query) * (CASE WHEN ${MEETING_TITLE} @@ query THEN 5 ELSE 1 END) AS rank
                  FROM "Meeting", websearch_to_tsquery('english', $1) query WHERE ${MEETING_DOC} @@ query`);
  }
  if (kinds.includes("item")) {
    parts.push(`SELECT 'item' AS kind, "id", ts_rank(${ITEM_DOC}, query) AS rank
                  FROM "ActionItem", websearch_to_tsquery('english', $1) query WHERE ${ITEM_DOC} @@ query`);
  }
  const ranked = `${parts.join(" UNION ALL ")} ORDER BY rank DESC, "id" LIMIT $2 OFFSET $3`;
  if (!withSnippets)
    return db.$queryRawUnsafe<RawHit[]>(
      `SELECT kind, "id" AS id, rank::float8 AS rank, '' AS snippet FROM (${ranked}) hits ORDER BY rank DESC, "id"`,
      q,
      limit,
      offset,
    );
  return db.$queryRawUnsafe<RawHit[]>(
    `SELECT hits.kind, hits."id" AS id, hits.rank::float8 AS rank,
            ts_headline('english',
                        CASE hits.kind WHEN 'meeting' THEN m."title" || E'\\n' || m."body" || E'\\n' || m."decisions" ELSE i."text" END,
                        websearch_to_tsquery('english', $1), $4) AS snippet
       FROM (${ranked}) hits
       LEFT JOIN "Meeting" m ON hits.kind = 'meeting' AND m."id" = hits."id"
       LEFT JOIN "ActionItem" i ON hits.kind = 'item' AND i."id" = hits."id"
      ORDER BY hits.rank DESC, hits."id"`,
    q,
    limit,
    offset,
    HEADLINE_OPTS,
  );
}

/**
 * Searches minutes and action items; best match first. An empty or stopword-only
 * query finds nothing (rather than everything).
 */
export async function search(q: string, opts: SearchOptions = {}, db: Db = getDb()): Promise<SearchHit[]> {
  const kinds = opts.kinds?.length ? opts.kinds : (["meeting", "item"] as SearchKind[]);
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 1000);
  const offset = Math.max(opts.offset ?? 0, 0);
  const parsed = parseQuery(q.slice(0, 500));
  const withSnippets = opts.snippets !== false;
  const raw =
    db.provider === "postgresql"
      ? await searchPostgres(db, parsed, kinds, limit, offset, withSnippets)
      : await searchSqlite(db, parsed, kinds, limit, offset, withSnippets);
  if (!raw.length) return [];

  const meetingIds = raw.filter((r) => r.kind === "meeting").map((r) => r.id);
  const itemIds = raw.filter((r) => r.kind === "item").map((r) => r.id);
  const [meetings, items] = await Promise.all([
    meetingIds.length ? db.meeting.findMany({ where: { id: { in: meetingIds } }, select: { id: true, title: true, date: true } }) : [],
    itemIds.length
      ? db.actionItem.findMany({ where: { id: { in: itemIds } }, select: { id: true, text: true, meetingId: true, meeting: { select: { date: true } } } })
      : [],
  ]);
  const m = new Map(meetings.map((x) => [x.id, x]));
  const i = new Map(items.map((x) => [x.id, x]));
  return raw.flatMap((r): SearchHit[] => {
    if (r.kind === "meeting") {
      const row = m.get(r.id);
      return row
        ? [
            {
              kind: "meeting",
              id: r.id,
              title: row.title,
              snippet: highlightToHtml(r.snippet ?? ""),
              rank: Number(r.rank),
              date: row.date.toISOString().slice(0, 10),
              meetingId: r.id,
            },
          ]
        : [];
    }
    const row = i.get(r.id);
    return row
      ? [
          {
            kind: "item",
            id: r.id,
            title: shorten(row.text, 120),
            snippet: highlightToHtml(r.snippet ?? ""),
            rank: Number(r.rank),
            date: row.meeting?.date.toISOString().slice(0, 10) ?? null,
            meetingId: row.meetingId,
          },
        ]
      : [];
  });
}

/**
 * The snippets `search` would give these hits of `kind` for `q` (HTML, as SearchHit.snippet),
 * by id; ids that do not match are absent. For a page of hits ranked with snippets: false.
 */
export async function searchSnippets(q: string, kind: SearchKind, ids: string[], db: Db = getDb()): Promise<Map<string, string>> {
  const provider = db.provider;
  const parsed = parseQuery(q.slice(0, 500));
  if (!ids.length || !parsed.include.length) return new Map();
  const marks = ids.map((_, n) => (provider === "postgresql" ? `$${n + 3}` : "?")).join(", ");
  let rows: { id: string; snippet: string | null }[];
  if (provider === "postgresql") {
    const text = kind === "meeting" ? `"title" || E'\\n' || "body" || E'\\n' || "decisions"` : `"text"`;
    const doc = kind === "meeting" ? MEETING_DOC : ITEM_DOC;
    rows = await db.$queryRawUnsafe(
      `SELECT "id", ts_headline('english', ${text}, query, $2) AS snippet
         FROM "${kind === "meeting" ? "Meeting" : "ActionItem"}", websearch_to_tsquery('english', $1) query
        WHERE ${doc} @@ query AND "id" IN (${marks})`,
      toWebsearch(parsed),
      HEADLINE_OPTS,
      ...ids,
    );
  } else {
    rows = await db.$queryRawUnsafe(
      `SELECT d."ref" AS id, ${SQLITE_SNIPPET} AS snippet
         FROM "search_fts" JOIN "search_doc" d ON d."id" = "search_fts"."rowid"
        WHERE "search_fts" MATCH ? AND d."kind" = ? AND d."ref" IN (${marks})`,
      OPEN,
      CLOSE,
      toFts5(parsed),
      kind,
      ...ids,
    );
  }
  return new Map(rows.map((r) => [r.id, highlightToHtml(r.snippet ?? "")]));
}

function shorten(s: string, n: number): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

/** Why a meeting matches a search although its own text does not: one of its items, or a review note. */
export type MeetingReason = { via: "item"; itemId: string } | { via: "note"; note: string };

/**
 * Meetings a search finds through what they hold (issue 13: "continuation" found no
 * meeting): the action items they created or reviewed whose text matches (the same
 * full-text search), and review notes containing every word searched for (notes are
 * short and few per meeting: a bounded scan). Meeting id → the first reason, best item first.
 */
export async function meetingsFoundThrough(q: string, opts: { limit?: number } = {}, db: Db = getDb()): Promise<Map<string, MeetingReason>> {
  const limit = opts.limit ?? 500;
  const parsed = parseQuery(q.slice(0, 500));
  const out = new Map<string, MeetingReason>();
  if (!parsed.include.length) return out;
  const itemHits = await search(q, { kinds: ["item"], limit, snippets: false }, db);
  const itemIds = itemHits.map((h) => h.id);
  const insensitive = db.provider === "postgresql" ? ({ mode: "insensitive" } as const) : {};
  const [created, reviewed, notes] = await Promise.all([
    itemIds.length ? db.actionItem.findMany({ where: { id: { in: itemIds }, meetingId: { not: null } }, select: { id: true, meetingId: true } }) : [],
    itemIds.length ? db.review.findMany({ where: { itemId: { in: itemIds } }, select: { itemId: true, meetingId: true } }) : [],
    db.review.findMany({
      where: {
        AND: parsed.include.map((t) => ({ note: { contains: t.join(" "), ...insensitive } })),
        NOT: parsed.exclude.map((t) => ({ note: { contains: t.join(" "), ...insensitive } })),
      },
      select: { meetingId: true, note: true },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: limit,
    }),
  ]);
  const byItem = new Map<string, string[]>();
  for (const c of created) (byItem.get(c.id) ?? byItem.set(c.id, []).get(c.id)!).push(c.meetingId!);
  for (const r of reviewed) (byItem.get(r.itemId) ?? byItem.set(r.itemId, []).get(r.itemId)!).push(r.meetingId);
  for (const id of itemIds) for (const m of byItem.get(id) ?? []) if (!out.has(m)) out.set(m, { via: "item", itemId: id });
  for (const n of notes) if (!out.has(n.meetingId)) out.set(n.meetingId, { via: "note", note: n.note });
  return out;
}
