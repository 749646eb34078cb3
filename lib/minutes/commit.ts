/**
 * Minutes into the database. Server only (Prisma). The browser's Commit button,
 * its bulk import and `npm run import` all end here, so an import behaves the same
 * wherever it comes from: one transaction per message, all or nothing, and a
 * message already in the database (same Message-ID or same content) changes nothing.
 */
import { audit, type AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import type { Db, DbOrTx, Tx } from "@/lib/db/types";
import { dueDateFromTarget } from "@/lib/items/schemas";
import { isOpenStatus, OPEN_STATUSES } from "@/lib/items/statuses";
import { aliasRows, isFullName, nameKeys } from "@/lib/people/names";
import { statusAfter } from "@/lib/reviews/outcomes";
import { importDraftSchema, type DraftPerson, type ImportDraft } from "./draft";
import type { OpenItem, PersonRef } from "./people";
import type { PreviewContext } from "./preview";

// ── What the preview is matched against ─────────────────────────────────────

export interface ImportContext {
  preview: Required<PreviewContext>;
  /** Meetings already imported, by fingerprint and by Message-ID → meeting id. */
  byFingerprint: Map<string, string>;
  byMessageId: Map<string, string>;
}

/** People (with aliases), the series' open items (with owners' names) and what was imported before. */
export async function loadImportContext(db: DbOrTx, seriesId: string): Promise<ImportContext> {
  const [people, items, imported] = await Promise.all([
    db.person.findMany({ include: { aliases: { select: { alias: true } } }, orderBy: { displayName: "asc" } }),
    db.actionItem.findMany({
      where: { seriesId, status: { in: [...OPEN_STATUSES] } },
      include: { owners: { include: { person: { select: { displayName: true } } } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db.meeting.findMany({
      where: { OR: [{ sourceFingerprint: { not: null } }, { sourceMessageId: { not: null } }] },
      select: { id: true, sourceFingerprint: true, sourceMessageId: true },
    }),
  ]);
  const refs: PersonRef[] = people.map((p) => ({ id: p.id, displayName: p.displayName, aliases: p.aliases.map((a) => a.alias) }));
  const openItems: OpenItem[] = items.map((i) => ({ id: i.id, text: i.text, ownerNames: i.owners.map((o) => o.person.displayName) }));
  const byFingerprint = new Map(imported.flatMap((m) => (m.sourceFingerprint ? [[m.sourceFingerprint, m.id] as const] : [])));
  const byMessageId = new Map(imported.flatMap((m) => (m.sourceMessageId ? [[m.sourceMessageId, m.id] as const] : [])));
  return { preview: { people: refs, openItems, knownFingerprints: [...byFingerprint.keys()] }, byFingerprint, byMessageId };
}

// ── Commit ──────────────────────────────────────────────────────────────────

export type CommitResult =
  | {
      status: "imported";
      meetingId: string;
      title: string;
      date: string;
      attendees: number;
      reviews: number;
      itemIds: string[];
      createdPeople: { id: string; displayName: string }[];
    }
  | { status: "already_imported"; meetingId: string; by: "messageId" | "fingerprint"; title: string };

async function existingImport(db: DbOrTx, messageId: string | null, fingerprint: string) {
  const byId = messageId ? await db.meeting.findUnique({ where: { sourceMessageId: messageId }, select: { id: true, title: true } }) : null;
  if (byId) return { ...byId, by: "messageId" as const };
  const byFp = await db.meeting.findUnique({ where: { sourceFingerprint: fingerprint }, select: { id: true, title: true } });
  return byFp ? { ...byFp, by: "fingerprint" as const } : null;
}

function alreadyImported(e: { id: string; title: string; by: "messageId" | "fingerprint" }): CommitResult {
  return { status: "already_imported", meetingId: e.id, by: e.by, title: e.title };
}

/** Prisma's unique-constraint violation (two imports of one message racing). */
function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

/** Only full names become aliases: a first name ("Ian") would later shadow another Ian on the attendee list. */
const aliasWorthy = isFullName;

/**
 * Writes one message of minutes: the meeting, new people, attendees, the reviews
 * (moving the reviewed items' status) and the new action items, with audit events,
 * in ONE transaction. Returns "already_imported" (and writes nothing) when a meeting
 * with the same Message-ID or fingerprint exists.
 */
export async function commitImport(input: ImportDraft, actor: AuditActor, db: Db = getDb()): Promise<CommitResult> {
  const parsed = importDraftSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of parsed.error.issues) (fieldErrors[i.path.join(".") || "_form"] ??= []).push(i.message);
    throw new DomainError("INVALID", "Some fields need attention.", undefined, fieldErrors);
  }
  const draft = parsed.data;
  const before = await existingImport(db, draft.messageId, draft.fingerprint);
  if (before) return alreadyImported(before);
  try {
    return await db.$transaction((tx) => writeImport(tx, draft, actor), { timeout: 30_000, maxWait: 10_000 });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const now = await existingImport(db, draft.messageId, draft.fingerprint);
      if (now) return alreadyImported(now);
    }
    throw err;
  }
}

async function writeImport(tx: Tx, d: ImportDraft, actor: AuditActor): Promise<CommitResult> {
  // Checked again inside the transaction: the first check ran before it began.
  const dup = await existingImport(tx, d.messageId, d.fingerprint);
  if (dup) return alreadyImported(dup);
  const series = await tx.series.findUnique({ where: { id: d.seriesId }, select: { id: true } });
  if (!series) throw new DomainError("INVALID", "This series does not exist (any more).", undefined, { seriesId: ["Choose a series"] });

  const reviews = d.reviews.filter((r) => r.include);
  const items = d.actionItems.filter((a) => a.include);
  const everyone = [...d.attendees, ...reviews.flatMap((r) => r.owners), ...items.flatMap((a) => a.owners)];
  const people = await resolvePeople(tx, everyone, actor);
  const personOf = (p: DraftPerson) => people.idOf(p);
  const date = new Date(`${d.date}T00:00:00Z`);

  const meeting = await tx.meeting.create({
    data: {
      seriesId: d.seriesId,
      date,
      title: d.title,
      body: d.discussion,
      source: "import",
      sourceMessageId: d.messageId,
      sourceFingerprint: d.fingerprint,
      createdById: actor.userId,
      attendees: { create: [...new Set(d.attendees.map(personOf))].map((personId) => ({ personId })) },
    },
  });

  // Reviewed points: the open item they name, or an item from an earlier meeting not in the database.
  const targets = reviews.flatMap((r) => (r.itemId ? [r.itemId] : []));
  const open = await tx.actionItem.findMany({ where: { id: { in: targets } } });
  const byId = new Map(open.map((i) => [i.id, i]));
  const errors: Record<string, string[]> = {};
  d.reviews.forEach((r, i) => {
    if (!r.include || !r.itemId) return;
    const item = byId.get(r.itemId);
    if (!item) errors[`reviews.${i}.itemId`] = ["This action item does not exist (any more)"];
    else if (item.seriesId !== d.seriesId) errors[`reviews.${i}.itemId`] = ["This action item belongs to another series"];
    else if (!isOpenStatus(item.status)) errors[`reviews.${i}.itemId`] = [`This action item is ${item.status.replace("_", " ")} now`];
  });
  if (Object.keys(errors).length) throw new DomainError("INVALID", "Some reviewed points need attention.", undefined, errors);

  for (const r of reviews) {
    let item = r.itemId ? byId.get(r.itemId)! : null;
    if (!item) {
      item = await tx.actionItem.create({
        data: {
          text: r.text,
          status: "open",
          seriesId: d.seriesId,
          owners: { create: [...new Set(r.owners.map(personOf))].map((personId) => ({ personId })) },
        },
      });
      await audit(tx, actor, "actionItem", item.id, "create", { text: r.text, via: "import", reviewedIn: meeting.id });
    }
    await tx.review.create({ data: { meetingId: meeting.id, itemId: item.id, outcome: r.outcome, note: r.note } });
    const to = statusAfter(r.outcome, item.status);
    if (to !== item.status) {
      const closing = to === "done" || to === "dropped";
      await tx.actionItem.update({
        where: { id: item.id },
        data: { status: to, closedAt: closing ? (item.closedAt ?? date) : null, version: { increment: 1 } },
      });
    }
    await audit(tx, actor, "actionItem", item.id, "review", { meetingId: meeting.id, outcome: r.outcome, note: r.note, status: { from: item.status, to } });
  }

  const itemIds: string[] = [];
  for (const a of items) {
    const row = await tx.actionItem.create({
      data: {
        text: a.text,
        seriesId: d.seriesId,
        meetingId: meeting.id,
        owners: { create: [...new Set(a.owners.map(personOf))].map((personId) => ({ personId })) },
        // Target and links as the text export writes them; a date target is the due date (lib/items).
        target: a.target || null,
        dueDate: dueDateFromTarget(a.target) ? new Date(`${dueDateFromTarget(a.target)}T00:00:00Z`) : null,
        links: { create: [...new Set(a.links ?? [])].map((url) => ({ kind: "document", url, title: url })) },
      },
    });
    await audit(tx, actor, "actionItem", row.id, "create", { text: a.text, meetingId: meeting.id, owners: a.owners.map((o) => o.name), via: "import" });
    itemIds.push(row.id);
  }

  await audit(tx, actor, "meeting", meeting.id, "import", {
    title: d.title,
    date: d.date,
    messageId: d.messageId,
    fingerprint: d.fingerprint,
    attendees: d.attendees.length,
    reviews: reviews.length,
    items: itemIds.length,
    createdPeople: people.created.map((p) => p.displayName),
  });
  return {
    status: "imported",
    meetingId: meeting.id,
    title: d.title,
    date: d.date,
    attendees: new Set(d.attendees.map(personOf)).size,
    reviews: reviews.length,
    itemIds,
    createdPeople: people.created,
  };
}

/**
 * Every name of the draft → a person id. Picked people must exist; new names are
 * created once per import (the attendee "Ian Jackson" and the owner "Ian" mapped to
 * him are one person), or reused when exactly one person already answers to that
 * name. Full names written differently ("Paul Durrent") become aliases, so the next
 * import resolves them without asking.
 */
async function resolvePeople(tx: Tx, names: DraftPerson[], actor: AuditActor) {
  const picked = [...new Set(names.flatMap((n) => (n.personId ? [n.personId] : [])))];
  const found = await tx.person.findMany({ where: { id: { in: picked } }, include: { aliases: true } });
  if (found.length !== picked.length) {
    throw new DomainError("INVALID", "A chosen person does not exist (any more); preview the minutes again.");
  }
  const known = new Map(found.map((p) => [p.id, new Set([...nameKeys(p.displayName), ...p.aliases.map((a) => a.normalized)])]));
  const created: { id: string; displayName: string }[] = [];
  /** New names → the person they became, by every key of the name (so "Jürgen Groß" and "Juergen Gross" are one). */
  const newIds = new Map<string, string>();
  const newIdOf = (name: string) =>
    nameKeys(name)
      .map((k) => newIds.get(k))
      .find((id) => id !== undefined);

  for (const n of names.filter((x) => !x.personId)) {
    const keys = nameKeys(n.newName);
    if (newIdOf(n.newName)) continue;
    const answering = await tx.personAlias.findMany({ where: { normalized: { in: keys } }, select: { personId: true }, distinct: ["personId"], take: 2 });
    if (answering.length === 1) {
      const id = answering[0].personId;
      for (const k of keys) newIds.set(k, id);
      if (!known.has(id)) {
        const aliases = await tx.personAlias.findMany({ where: { personId: id }, select: { normalized: true } });
        known.set(id, new Set(aliases.map((a) => a.normalized)));
      }
      continue;
    }
    const displayName = n.newName.replace(/\s+/g, " ").trim();
    const p = await tx.person.create({ data: { displayName, aliases: { create: aliasRows(displayName) } } });
    await audit(tx, actor, "person", p.id, "create", { displayName, via: "import" });
    created.push({ id: p.id, displayName });
    for (const k of keys) newIds.set(k, p.id);
    known.set(p.id, new Set(keys));
  }
  const idOf = (n: DraftPerson) => n.personId ?? newIdOf(n.newName)!;

  for (const n of names) {
    const id = idOf(n);
    const set = known.get(id) ?? new Set<string>();
    const rows = aliasRows(n.name).filter((r) => !set.has(r.normalized));
    if (!rows.length || !aliasWorthy(n.name)) continue;
    for (const r of rows) {
      set.add(r.normalized);
      await tx.personAlias.upsert({ where: { personId_normalized: { personId: id, normalized: r.normalized } }, create: { personId: id, ...r }, update: {} });
    }
    known.set(id, set);
    await audit(tx, actor, "person", id, "alias", { alias: n.name, via: "import" });
  }
  return { idOf, created };
}
