/**
 * Changes to action items: edits with optimistic concurrency, bulk status changes and
 * links. Each is one transaction with its audit events (or runs inside the caller's).
 */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { dayOf, startOfDay } from "@/lib/db/days";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx, Prisma, Tx } from "@/lib/db/types";
import { itemSnapshot, type ItemSnapshot } from "./reads";
import { leadingOwners } from "@/lib/minutes/owners";
import { resolveOrCreatePeople } from "@/lib/people/aliases";
import {
  bulkStatusSchema,
  dueDateFromTarget,
  itemPatchSchema,
  linkInputSchema,
  meetingItemFormSchema,
  type ItemPatch,
  type ItemPatchInput,
  type LinkInput,
  type MeetingItemInput,
} from "./schemas";
import { isClosedStatus } from "./statuses";

/** Who is writing: enough of lib/auth's Actor for the audit trail. */
export interface ItemActor {
  userId: string;
  email: string;
}

function conflict(current: ItemSnapshot): DomainError {
  return new DomainError("CONFLICT", "Someone else saved this action item while you were editing.", current);
}

const notFoundItem = () => new DomainError("NOT_FOUND", "This action item does not exist (any more).");

/** Ids from a form must name existing rows; a stale picker gets a message, not a 500. */
async function checkReferences(tx: Tx, p: Partial<Pick<ItemPatch, "ownerIds" | "topicIds">>): Promise<void> {
  const errors: Record<string, string[]> = {};
  if (p.ownerIds?.length && (await tx.person.count({ where: { id: { in: p.ownerIds } } })) !== new Set(p.ownerIds).size)
    errors.ownerIds = ["A chosen owner does not exist (any more)"];
  if (p.topicIds?.length && (await tx.topic.count({ where: { id: { in: p.topicIds } } })) !== new Set(p.topicIds).size)
    errors.topicIds = ["A chosen topic does not exist (any more)"];
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
export async function updateItem(id: string, expectedVersion: number, patch: ItemPatchInput, actor: ItemActor, db: DbOrTx = getDb()): Promise<UpdatedItem> {
  const given = Object.keys(patch).filter((k) => k in itemPatchSchema.shape && (patch as Record<string, unknown>)[k] !== undefined) as (keyof ItemPatch)[];
  const parsed = itemPatchSchema.pick(Object.fromEntries(given.map((k) => [k, true])) as Record<keyof ItemPatch, true>).parse(patch) as Partial<ItemPatch>;
  if (parsed.target === "") parsed.target = null;

  return inTransaction(db, async (tx) => {
    const before = await tx.actionItem.findUnique({ where: { id }, include: { owners: { include: { person: true } }, topics: { include: { topic: true } } } });
    if (!before) throw notFoundItem();
    if (before.version !== expectedVersion) throw conflict((await itemSnapshot(id, tx))!);
    await checkReferences(tx, parsed);
    // A target that is a day becomes the due date when no due date is given (left out or
    // empty), provided the target is new or the item has no due date yet: an unchanged
    // target does not overwrite a due date set on its own.
    const implied = dueDateFromTarget(parsed.target);
    if (implied && !parsed.dueDate && (parsed.target !== before.target || !before.dueDate)) parsed.dueDate = implied;

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
    const dueBefore = before.dueDate ? dayOf(before.dueDate) : null;
    if (parsed.dueDate !== undefined && parsed.dueDate !== dueBefore) {
      changes.dueDate = { from: dueBefore, to: parsed.dueDate };
      data.dueDate = parsed.dueDate ? startOfDay(parsed.dueDate) : null;
    }

    const res = await tx.actionItem.updateMany({ where: { id, version: expectedVersion }, data });
    // Someone saved between our read and our write: theirs stands.
    if (res.count === 0) throw conflict((await itemSnapshot(id, tx))!);

    if (parsed.ownerIds !== undefined) {
      const ids = [...new Set(parsed.ownerIds)];
      if (
        !sameSet(
          before.owners.map((o) => o.personId),
          ids,
        )
      ) {
        await tx.actionItemOwner.deleteMany({ where: { itemId: id } });
        await tx.actionItemOwner.createMany({ data: ids.map((personId) => ({ itemId: id, personId })) });
        const names = await tx.person.findMany({ where: { id: { in: ids } }, select: { displayName: true }, orderBy: { displayName: "asc" } });
        changes.owners = { from: before.owners.map((o) => o.person.displayName).sort(), to: names.map((n) => n.displayName) };
      }
    }
    if (parsed.topicIds !== undefined) {
      const ids = [...new Set(parsed.topicIds)];
      if (
        !sameSet(
          before.topics.map((t) => t.topicId),
          ids,
        )
      ) {
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
export async function bulkSetStatus(ids: string[], status: string, actor: ItemActor, db: DbOrTx = getDb()): Promise<BulkResult> {
  const input = bulkStatusSchema.parse({ ids, status });
  const unique = [...new Set(input.ids)];
  return inTransaction(db, async (tx) => {
    const items = await tx.actionItem.findMany({ where: { id: { in: unique } }, select: { id: true, status: true, closedAt: true, version: true } });
    if (items.length !== unique.length) {
      const found = new Set(items.map((i) => i.id));
      const missing = unique.filter((i) => !found.has(i));
      throw new DomainError("NOT_FOUND", `${missing.length} of the selected items no longer exist; nothing was changed.`, undefined, {
        ids: [`Unknown items: ${missing.slice(0, 5).join(", ")}`],
      });
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
      await audit(tx, who, "actionItem", item.id, "status", {
        status: { from: item.status, to: input.status },
        bulk: true,
        fromVersion: item.version,
        toVersion: item.version + 1,
      });
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
export async function addLink(itemId: string, input: LinkInput, actor: ItemActor, db: DbOrTx = getDb()): Promise<ItemLink> {
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

export async function removeLink(itemId: string, linkId: string, actor: ItemActor, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const link = await tx.actionItemLink.findFirst({ where: { id: linkId, itemId } });
    if (!link) throw new DomainError("NOT_FOUND", "This link does not exist (any more).");
    await tx.actionItemLink.delete({ where: { id: link.id } });
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "link.remove", { linkId, kind: link.kind, url: link.url, title: link.title });
  });
}

// ── New items (from a meeting) ──────────────────────────────────────────────

export interface NewItem {
  text: string;
  /** Names as the minutes write them ("Igor", "Ian Jackson"): matched to people by name or alias, else created. */
  ownerNames: string[];
  seriesId: string;
  meetingId: string;
  topicIds: string[];
  target?: string | null;
  dueDate?: string | null;
  links?: LinkInput[];
}

/**
 * Writes one new action item inside the caller's transaction, with its audit events:
 * owners resolved (or created), the meeting's topics (so it shows on the dashboard's
 * blockers and topic pages), target, due date (a date target sets it when none is given)
 * and links. Every item a meeting creates is written here.
 */
export async function createItemTx(tx: Tx, input: NewItem, actor: ItemActor): Promise<{ id: string; createdPeople: { id: string; displayName: string }[] }> {
  const who = auditActorOf(actor);
  const owners = await resolveOrCreatePeople(tx, input.ownerNames);
  for (const p of owners.created) await audit(tx, who, "person", p.id, "create", { displayName: p.displayName, via: "actionItem", meetingId: input.meetingId });
  const target = input.target?.trim() || null;
  const dueDate = input.dueDate || dueDateFromTarget(target);
  const links = (input.links ?? []).map((l) => linkInputSchema.parse(l));
  const row = await tx.actionItem.create({
    data: {
      text: input.text,
      seriesId: input.seriesId,
      meetingId: input.meetingId,
      target,
      dueDate: dueDate ? startOfDay(dueDate) : null,
      owners: { create: owners.ids.map((personId) => ({ personId })) },
      topics: { create: [...new Set(input.topicIds)].map((topicId) => ({ topicId })) },
      links: { create: links.map((l) => ({ kind: l.kind, url: l.url, title: l.title || l.url })) },
    },
  });
  await audit(tx, who, "actionItem", row.id, "create", {
    text: input.text,
    meetingId: input.meetingId,
    owners: input.ownerNames,
    ...(target && { target }),
    ...(dueDate && { dueDate }),
    ...(input.topicIds.length && { topics: input.topicIds.length }),
    ...(links.length && { links: links.map((l) => l.url) }),
  });
  return { id: row.id, createdPeople: owners.created };
}

/** One action item added to a saved meeting (its edit page): the meeting's series and topics, one transaction. */
export async function addItemToMeeting(input: MeetingItemInput, actor: ItemActor, db: DbOrTx = getDb()): Promise<{ id: string }> {
  const f = meetingItemFormSchema.parse(input);
  return inTransaction(db, async (tx) => {
    const meeting = await tx.meeting.findUnique({ where: { id: f.meetingId }, select: { id: true, seriesId: true, topics: { select: { topicId: true } } } });
    if (!meeting) throw new DomainError("NOT_FOUND", "This meeting does not exist (any more).");
    const lo = leadingOwners(f.text);
    const item = await createItemTx(
      tx,
      {
        text: f.text,
        ownerNames: lo && lo.connector !== "names-only" ? lo.owners : [],
        seriesId: meeting.seriesId,
        meetingId: meeting.id,
        topicIds: meeting.topics.map((t) => t.topicId),
        target: f.target,
        dueDate: f.dueDate,
        links: f.linkUrl ? [{ kind: f.linkKind!, url: f.linkUrl, title: f.linkTitle }] : [],
      },
      actor,
    );
    return { id: item.id };
  });
}
