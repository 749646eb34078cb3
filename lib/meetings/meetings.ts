/**
 * Meetings: create, edit with optimistic concurrency, list, read. No React here;
 * every function takes the client (or a transaction) and, for writes, the actor,
 * and writes its audit events in the same transaction as the change.
 */
import { audit, auditActorOf } from "@/lib/audit";
import { DomainError } from "@/lib/auth/errors";
import type { Db } from "@/lib/db/client";
import type { Provider } from "@/lib/db/config";
import { leadingOwners } from "@/lib/minutes/owners";
import { resolveOrCreatePeople } from "./attendees";
import { recordReviewsTx, type ReviewInput } from "./review";
import { createMeetingSchema, meetingFieldsSchema, type CreateMeetingInput, type MeetingFields, type MeetingFilters } from "./schemas";
import { search, searchSnippets } from "./search";
import { inTransaction, type DbOrTx, type Tx } from "./tx";

export * from "./schemas";

/** Who is writing: enough of lib/auth's Actor for the audit trail. */
export interface MeetingActor {
  userId: string;
  email: string;
}

const dayStart = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

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

export async function meetingSnapshot(db: DbOrTx, id: string): Promise<MeetingSnapshot | null> {
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
    date: isoDay(m.date),
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

// ── Shared checks ───────────────────────────────────────────────────────────

/** Ids from the form must name existing rows; a stale picker gets a message, not a 500. */
async function checkReferences(tx: Tx, f: Partial<MeetingFields>): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (f.seriesId !== undefined && !(await tx.series.findUnique({ where: { id: f.seriesId }, select: { id: true } }))) errors.seriesId = ["This series does not exist (any more)"];
  if (f.topicIds?.length) {
    const found = await tx.topic.count({ where: { id: { in: f.topicIds } } });
    if (found !== new Set(f.topicIds).size) errors.topicIds = ["A chosen topic does not exist (any more)"];
  }
  if (f.attendeeIds?.length) {
    const found = await tx.person.count({ where: { id: { in: f.attendeeIds } } });
    if (found !== new Set(f.attendeeIds).size) errors.attendeeIds = ["A chosen attendee does not exist (any more)"];
  }
  if (Object.keys(errors).length) throw new DomainError("INVALID", "Some fields need attention.", undefined, errors);
}

async function attendeeIdsOf(tx: Tx, f: Pick<MeetingFields, "attendeeIds" | "newAttendees">) {
  const { ids, created } = await resolveOrCreatePeople(tx, f.newAttendees);
  return { ids: [...new Set([...f.attendeeIds, ...ids])], created };
}

/** "Igor to post patches…" / "Igor, Ian: …" → owners' names and the text as written. */
export function parseNewItems(text: string): { text: string; ownerNames: string[] }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "").replace(/^\[[ x]\]\s+/i, "").trim())
    .filter(Boolean)
    .map((line) => {
      const lo = leadingOwners(line);
      return { text: line, ownerNames: lo && lo.connector !== "names-only" ? lo.owners : [] };
    });
}

// ── Create ──────────────────────────────────────────────────────────────────

export interface CreatedMeeting {
  id: string;
  version: number;
  createdPeople: { id: string; displayName: string }[];
  itemIds: string[];
}

/**
 * A new meeting with its attendees (new names become Persons), topics, the guided
 * review of the series' open items and the items it creates — all or nothing.
 */
export async function createMeeting(db: DbOrTx, input: CreateMeetingInput, actor: MeetingActor): Promise<CreatedMeeting> {
  const data = createMeetingSchema.parse(input);
  return inTransaction(db, async (tx) => {
    await checkReferences(tx, data);
    const { ids: attendeeIds, created } = await attendeeIdsOf(tx, data);
    const meeting = await tx.meeting.create({
      data: {
        seriesId: data.seriesId,
        date: dayStart(data.date),
        title: data.title,
        body: data.body,
        decisions: data.decisions,
        source: "typed",
        sourceUrl: data.sourceUrl ?? null,
        createdById: actor.userId,
        attendees: { create: attendeeIds.map((personId) => ({ personId })) },
        topics: { create: [...new Set(data.topicIds)].map((topicId) => ({ topicId })) },
      },
    });
    const who = auditActorOf(actor);
    for (const p of created) await audit(tx, who, "person", p.id, "create", { displayName: p.displayName, via: "meeting", meetingId: meeting.id });
    await audit(tx, who, "meeting", meeting.id, "create", {
      title: data.title,
      date: data.date,
      seriesId: data.seriesId,
      attendees: attendeeIds.length,
      topics: data.topicIds.length,
    });

    const reviews: ReviewInput[] = Object.entries(data.reviews).flatMap(([itemId, r]) => (r.outcome ? [{ itemId, outcome: r.outcome, note: r.note }] : []));
    if (reviews.length) await recordReviewsTx(tx, meeting.id, reviews, actor);

    const itemIds: string[] = [];
    for (const item of parseNewItems(data.newItems)) {
      const owners = await resolveOrCreatePeople(tx, item.ownerNames);
      for (const p of owners.created) await audit(tx, who, "person", p.id, "create", { displayName: p.displayName, via: "actionItem", meetingId: meeting.id });
      const row = await tx.actionItem.create({
        data: { text: item.text, seriesId: data.seriesId, meetingId: meeting.id, owners: { create: owners.ids.map((personId) => ({ personId })) } },
      });
      await audit(tx, who, "actionItem", row.id, "create", { text: item.text, meetingId: meeting.id, owners: item.ownerNames });
      itemIds.push(row.id);
    }
    return { id: meeting.id, version: meeting.version, createdPeople: created, itemIds };
  });
}

// ── Update (optimistic concurrency) ─────────────────────────────────────────

const SCALARS = ["seriesId", "date", "title", "body", "decisions", "sourceUrl"] as const;

export interface UpdatedMeeting {
  id: string;
  version: number;
  changed: string[];
  createdPeople: { id: string; displayName: string }[];
}

/**
 * Saves an edit made from `expectedVersion`. The row is updated only where its
 * version is still that one (and the version bumped in the same statement), so of
 * two concurrent saves exactly one wins; the other gets CONFLICT carrying the stored
 * meeting, and its own values stay with the caller to re-apply: nothing is lost.
 * Fields left undefined in `patch` are kept.
 */
export async function updateMeeting(db: DbOrTx, id: string, expectedVersion: number, patch: Partial<MeetingFields>, actor: MeetingActor): Promise<UpdatedMeeting> {
  // Validate, then keep only the fields the caller gave: zod's defaults ("" for a
  // body, [] for attendees) must not wipe what was not part of the patch.
  const parsed = meetingFieldsSchema.partial().parse(patch) as Partial<MeetingFields>;
  const p = Object.fromEntries(Object.entries(parsed).filter(([k]) => (patch as Record<string, unknown>)[k] !== undefined)) as Partial<MeetingFields>;
  return inTransaction(db, async (tx) => {
    const before = await meetingSnapshot(tx, id);
    if (!before) throw new DomainError("NOT_FOUND", "This meeting does not exist (any more).");
    if (before.version !== expectedVersion) throw conflict(before);
    await checkReferences(tx, p);

    const next: Record<(typeof SCALARS)[number], string | null | undefined> = {
      seriesId: p.seriesId,
      date: p.date,
      title: p.title,
      body: p.body,
      decisions: p.decisions,
      sourceUrl: "sourceUrl" in patch ? (p.sourceUrl ?? null) : undefined,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const k of SCALARS) {
      const to = next[k];
      if (to !== undefined && to !== before[k]) changes[k] = { from: clip(before[k]), to: clip(to) };
    }

    const res = await tx.meeting.updateMany({
      where: { id, version: expectedVersion },
      data: {
        version: { increment: 1 },
        ...(p.seriesId !== undefined && { seriesId: p.seriesId }),
        ...(p.date !== undefined && { date: dayStart(p.date) }),
        ...(p.title !== undefined && { title: p.title }),
        ...(p.body !== undefined && { body: p.body }),
        ...(p.decisions !== undefined && { decisions: p.decisions }),
        ...(next.sourceUrl !== undefined && { sourceUrl: next.sourceUrl }),
      },
    });
    // Someone saved between our read and our write: theirs stands.
    if (res.count === 0) throw conflict((await meetingSnapshot(tx, id)) ?? before);

    let createdPeople: { id: string; displayName: string }[] = [];
    const who = auditActorOf(actor);
    if (p.attendeeIds !== undefined || p.newAttendees !== undefined) {
      const { ids, created } = await attendeeIdsOf(tx, { attendeeIds: p.attendeeIds ?? [], newAttendees: p.newAttendees ?? [] });
      createdPeople = created;
      for (const c of created) await audit(tx, who, "person", c.id, "create", { displayName: c.displayName, via: "meeting", meetingId: id });
      const was = before.attendees.map((a) => a.id);
      if (!sameSet(was, ids)) {
        await tx.meetingAttendee.deleteMany({ where: { meetingId: id } });
        await tx.meetingAttendee.createMany({ data: ids.map((personId) => ({ meetingId: id, personId })) });
        changes.attendees = { from: before.attendees.map((a) => a.displayName), to: ids };
      }
    }
    if (p.topicIds !== undefined) {
      const ids = [...new Set(p.topicIds)];
      if (!sameSet(before.topics.map((t) => t.id), ids)) {
        await tx.meetingTopic.deleteMany({ where: { meetingId: id } });
        await tx.meetingTopic.createMany({ data: ids.map((topicId) => ({ meetingId: id, topicId })) });
        changes.topics = { from: before.topics.map((t) => t.name), to: ids };
      }
    }
    await audit(tx, who, "meeting", id, "update", { fromVersion: expectedVersion, toVersion: expectedVersion + 1, changes });
    return { id, version: expectedVersion + 1, changed: Object.keys(changes), createdPeople };
  });
}

function conflict(current: MeetingSnapshot): DomainError {
  return new DomainError("CONFLICT", "Someone else saved this meeting while you were editing.", current);
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/** Audit details keep long Markdown bounded; the meeting itself keeps the full text. */
function clip(v: unknown): unknown {
  return typeof v === "string" && v.length > 10_000 ? `${v.slice(0, 10_000)}… (${v.length} characters)` : v;
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
export async function listMeetings(db: Db, filters: Partial<MeetingFilters>, provider?: Provider): Promise<MeetingPage> {
  const page = filters.page ?? 1;
  const pageSize = filters.pageSize ?? 20;
  const where = {
    ...(filters.series && { series: { slug: filters.series } }),
    ...(filters.topic && { topics: { some: { topic: { slug: filters.topic } } } }),
    ...(filters.person && { attendees: { some: { personId: filters.person } } }),
    ...((filters.from || filters.to) && {
      date: {
        ...(filters.from && { gte: dayStart(filters.from) }),
        ...(filters.to && { lt: new Date(dayStart(filters.to).getTime() + 86_400_000) }),
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
    const { attendees, items } = await countsFor(db, rows.map((m) => m.id));
    return rows.map((m) => ({
      id: m.id,
      date: isoDay(m.date),
      title: m.title,
      series: m.series,
      topics: m.topics.map((t) => ({ slug: t.topic.slug, name: t.topic.name })),
      attendeeCount: attendees.get(m.id) ?? 0,
      itemCount: items.get(m.id) ?? 0,
      ...(snippets && { snippet: snippets.get(m.id) ?? "" }),
    }));
  };

  if (filters.q) {
    if (!provider) throw new Error("listMeetings: a search needs the database provider");
    // Rank the candidates without snippets; highlight only the page shown (ts_headline /
    // snippet() for all 500 candidates cost several hundred ms).
    const hits = await search(db, provider, filters.q, { kinds: ["meeting"], limit: SEARCH_CANDIDATES, snippets: false });
    const rank = new Map(hits.map((h, i) => [h.id, i]));
    const matching = await db.meeting.findMany({ where: { ...where, id: { in: [...rank.keys()] } }, select: { id: true } });
    const ordered = matching.map((m) => m.id).sort((a, b) => rank.get(a)! - rank.get(b)!);
    const pageIds = ordered.slice((page - 1) * pageSize, page * pageSize);
    const rows = await db.meeting.findMany({ where: { id: { in: pageIds } }, select });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const snippets = await searchSnippets(db, provider, filters.q, "meeting", pageIds);
    return {
      meetings: await summaries(pageIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])), snippets),
      total: ordered.length,
      page,
      pageSize,
      pageCount: Math.max(1, Math.ceil(ordered.length / pageSize)),
      truncated: hits.length >= SEARCH_CANDIDATES,
    };
  }

  const [total, rows] = await Promise.all([
    db.meeting.count({ where }),
    db.meeting.findMany({ where, select, orderBy: [{ date: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { meetings: await summaries(rows), total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), truncated: false };
}

/** Attendees and items created per meeting, for a page of meetings (index lookups by meetingId). */
async function countsFor(db: Db, ids: string[]): Promise<{ attendees: Map<string, number>; items: Map<string, number> }> {
  if (!ids.length) return { attendees: new Map(), items: new Map() };
  const [attendees, items] = await Promise.all([
    db.meetingAttendee.groupBy({ by: ["meetingId"], where: { meetingId: { in: ids } }, _count: { _all: true } }),
    db.actionItem.groupBy({ by: ["meetingId"], where: { meetingId: { in: ids } }, _count: { _all: true } }),
  ]);
  return {
    attendees: new Map(attendees.map((a) => [a.meetingId, a._count._all])),
    items: new Map(items.flatMap((i) => (i.meetingId ? [[i.meetingId, i._count._all] as const] : []))),
  };
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
export async function getMeeting(db: DbOrTx, id: string) {
  const m = await db.meeting.findUnique({ where: { id }, include: detailInclude });
  if (!m) return null;
  m.attendees.sort((a, b) => a.person.displayName.localeCompare(b.person.displayName));
  m.topics.sort((a, b) => a.topic.name.localeCompare(b.topic.name));
  return m;
}

/** The most recent meetings, for the dashboard. */
export async function recentMeetings(db: Db, take = 5) {
  return db.meeting.findMany({ orderBy: [{ date: "desc" }, { id: "desc" }], take, include: { series: true, _count: { select: { itemsCreated: true } } } });
}
