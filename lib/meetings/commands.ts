/**
 * Meetings: create (with the guided review and new items) and edit with optimistic
 * concurrency. Each is one transaction with its audit events (or runs inside the
 * caller's).
 */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { startOfDay } from "@/lib/db/days";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx, Tx } from "@/lib/db/types";
import { leadingOwners } from "@/lib/minutes/owners";
import { createItemTx } from "@/lib/items/commands";
import { resolveOrCreatePeople } from "@/lib/people/aliases";
import { recordReviewsTx, type ReviewInput } from "@/lib/reviews/commands";
import { meetingSnapshot, type MeetingSnapshot } from "./reads";
import { createMeetingSchema, meetingFieldsSchema, type CreateMeetingInput, type MeetingFields } from "./schemas";

/** Who is writing: enough of lib/auth's Actor for the audit trail. */
export interface MeetingActor {
  userId: string;
  email: string;
}

// ── Shared checks ───────────────────────────────────────────────────────────

/** Ids from the form must name existing rows; a stale picker gets a message, not a 500. */
async function checkReferences(tx: Tx, f: Partial<MeetingFields>): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (f.seriesId !== undefined && !(await tx.series.findUnique({ where: { id: f.seriesId }, select: { id: true } })))
    errors.seriesId = ["This series does not exist (any more)"];
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
    .map((l) =>
      l
        .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")
        .replace(/^\[[ x]\]\s+/i, "")
        .trim(),
    )
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
export async function createMeeting(input: CreateMeetingInput, actor: MeetingActor, db: DbOrTx = getDb()): Promise<CreatedMeeting> {
  const data = createMeetingSchema.parse(input);
  return inTransaction(db, async (tx) => {
    await checkReferences(tx, data);
    const { ids: attendeeIds, created } = await attendeeIdsOf(tx, data);
    const meeting = await tx.meeting.create({
      data: {
        seriesId: data.seriesId,
        date: startOfDay(data.date),
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

    // New items get the meeting's topics (the dashboard's blockers and topic pages find them by topic).
    const itemIds: string[] = [];
    const topicIds = [...new Set(data.topicIds)];
    for (const item of parseNewItems(data.newItems)) {
      const row = await createItemTx(tx, { text: item.text, ownerNames: item.ownerNames, seriesId: data.seriesId, meetingId: meeting.id, topicIds }, actor);
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
export async function updateMeeting(
  id: string,
  expectedVersion: number,
  patch: Partial<MeetingFields>,
  actor: MeetingActor,
  db: DbOrTx = getDb(),
): Promise<UpdatedMeeting> {
  // Validate, then keep only the fields the caller gave: zod's defaults ("" for a
  // body, [] for attendees) must not wipe what was not part of the patch.
  const parsed = meetingFieldsSchema.partial().parse(patch) as Partial<MeetingFields>;
  const p = Object.fromEntries(Object.entries(parsed).filter(([k]) => (patch as Record<string, unknown>)[k] !== undefined)) as Partial<MeetingFields>;
  return inTransaction(db, async (tx) => {
    const before = await meetingSnapshot(id, tx);
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
        ...(p.date !== undefined && { date: startOfDay(p.date) }),
        ...(p.title !== undefined && { title: p.title }),
        ...(p.body !== undefined && { body: p.body }),
        ...(p.decisions !== undefined && { decisions: p.decisions }),
        ...(next.sourceUrl !== undefined && { sourceUrl: next.sourceUrl }),
      },
    });
    // Someone saved between our read and our write: theirs stands.
    if (res.count === 0) throw conflict((await meetingSnapshot(id, tx)) ?? before);

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
      if (
        !sameSet(
          before.topics.map((t) => t.id),
          ids,
        )
      ) {
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

// ── Delete (admins) ─────────────────────────────────────────────────────────

export interface DeletedMeeting {
  id: string;
  /** The items it had created: kept, detached or moved to `movedTo`. */
  items: string[];
  movedTo: string | null;
  reviews: number;
}

/**
 * Deletes a meeting; its action items are kept. Items it created are moved to
 * `moveItemsTo` (another meeting of the same series) or, when that is null, detached
 * (no creating meeting). Its reviews, attendees and topics go with it (the items'
 * statuses stay as they are). One transaction: the delete and its audit events.
 */
export async function deleteMeeting(id: string, opts: { moveItemsTo: string | null }, actor: MeetingActor, db: DbOrTx = getDb()): Promise<DeletedMeeting> {
  return inTransaction(db, async (tx) => {
    const m = await tx.meeting.findUnique({
      where: { id },
      select: { id: true, title: true, date: true, seriesId: true, itemsCreated: { select: { id: true } }, _count: { select: { reviews: true } } },
    });
    if (!m) throw new DomainError("NOT_FOUND", "This meeting does not exist (any more).");
    const items = m.itemsCreated.map((i) => i.id);
    let movedTo: { id: string; title: string } | null = null;
    if (opts.moveItemsTo) {
      const to = await tx.meeting.findUnique({ where: { id: opts.moveItemsTo }, select: { id: true, title: true, seriesId: true } });
      const problem = !to
        ? "That meeting does not exist (any more)"
        : to.id === id
          ? "Choose another meeting"
          : to.seriesId !== m.seriesId
            ? "Choose a meeting of the same series"
            : null;
      if (problem) throw new DomainError("INVALID", "The items cannot be moved there.", undefined, { moveItemsTo: [problem] });
      movedTo = to;
    }
    const who = auditActorOf(actor);
    if (items.length) {
      await tx.actionItem.updateMany({ where: { id: { in: items } }, data: { meetingId: movedTo?.id ?? null } });
      for (const itemId of items)
        await audit(tx, who, "actionItem", itemId, movedTo ? "meeting.move" : "meeting.detach", {
          fromMeeting: { id, title: m.title },
          ...(movedTo && { toMeeting: movedTo }),
        });
    }
    await tx.meeting.delete({ where: { id } });
    await audit(tx, who, "meeting", id, "delete", {
      title: m.title,
      date: m.date.toISOString().slice(0, 10),
      seriesId: m.seriesId,
      items: items.length,
      itemsMovedTo: movedTo?.id ?? null,
      reviews: m._count.reviews,
    });
    return { id, items, movedTo: movedTo?.id ?? null, reviews: m._count.reviews };
  });
}
