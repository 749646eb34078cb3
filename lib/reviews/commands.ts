/**
 * Guided review: a new meeting of a series goes through every item the series still
 * has open; the chair gives each an outcome and a note. The outcomes become Review
 * rows (the item's timeline across meetings), move the item's status, and make the
 * "Reviewed previous action points" section of the minutes.
 */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx, Tx } from "@/lib/db/types";
import { isClosedStatus } from "@/lib/items/statuses";
import { isReviewOutcome, statusAfter, type ReviewOutcome } from "./outcomes";

export interface ReviewInput {
  itemId: string;
  outcome: ReviewOutcome;
  note?: string;
}

export interface RecordedReview {
  itemId: string;
  outcome: ReviewOutcome;
  from: string;
  to: string;
}

/** Records the meeting's reviews (replacing any it had for the same items), in one transaction. */
export function recordReviews(
  meetingId: string,
  reviews: ReviewInput[],
  actor: { userId: string; email: string },
  db: DbOrTx = getDb(),
): Promise<RecordedReview[]> {
  return inTransaction(db, (tx) => recordReviewsTx(tx, meetingId, reviews, actor));
}

/** The same, inside the caller's transaction (a new meeting records its review with itself). */
export async function recordReviewsTx(tx: Tx, meetingId: string, reviews: ReviewInput[], actor: { userId: string; email: string }): Promise<RecordedReview[]> {
  const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { id: true, seriesId: true, date: true } });
  if (!meeting) throw new DomainError("NOT_FOUND", "This meeting does not exist (any more).");
  const errors: Record<string, string[]> = {};
  const items = await tx.actionItem.findMany({ where: { id: { in: reviews.map((r) => r.itemId) } } });
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const r of reviews) {
    const item = byId.get(r.itemId);
    if (!isReviewOutcome(r.outcome)) errors[`reviews.${r.itemId}.outcome`] = ["Unknown outcome"];
    else if (!item) errors[`reviews.${r.itemId}.outcome`] = ["This action item does not exist (any more)"];
    else if (item.seriesId !== meeting.seriesId) errors[`reviews.${r.itemId}.outcome`] = ["This action item belongs to another series"];
  }
  if (Object.keys(errors).length) throw new DomainError("INVALID", "Some reviews need attention.", undefined, errors);

  const who = auditActorOf(actor);
  const out: RecordedReview[] = [];
  for (const r of reviews) {
    const item = byId.get(r.itemId)!;
    const note = (r.note ?? "").trim();
    await tx.review.upsert({
      where: { meetingId_itemId: { meetingId, itemId: r.itemId } },
      create: { meetingId, itemId: r.itemId, outcome: r.outcome, note },
      update: { outcome: r.outcome, note },
    });
    const to = statusAfter(r.outcome, item.status);
    if (to !== item.status) {
      // Bumping the version makes a concurrent edit of the item (from its own page) conflict.
      await tx.actionItem.update({
        where: { id: item.id },
        data: { status: to, closedAt: isClosedStatus(to) ? (item.closedAt ?? meeting.date) : null, version: { increment: 1 } },
      });
    }
    await audit(tx, who, "actionItem", item.id, "review", { meetingId, outcome: r.outcome, note, status: { from: item.status, to } });
    out.push({ itemId: item.id, outcome: r.outcome, from: item.status, to });
  }
  return out;
}

/** A meeting's review as edited afterwards: an outcome per item, or "" to take the item out of the review. */
export type ReviewRevision = Record<string, { outcome?: ReviewOutcome | "" | undefined; note?: string }>;

export interface RevisedReviews {
  recorded: RecordedReview[];
  removed: string[];
}

/**
 * Completes or corrects a meeting's review after the meeting was saved (its edit page):
 * new outcomes are recorded, changed ones replace the old, and "" removes an item from
 * the review. The item's status follows: a review changed from Done/Dropped to an
 * outcome that keeps the item open reopens it (when that review is what closed it), and
 * its timeline (the Review rows) shows the new outcome. One transaction, audited per item.
 */
export async function reviseMeetingReviews(
  meetingId: string,
  revision: ReviewRevision,
  actor: { userId: string; email: string },
  db: DbOrTx = getDb(),
): Promise<RevisedReviews> {
  return inTransaction(db, async (tx) => {
    const existing = await tx.review.findMany({ where: { meetingId } });
    const byItem = new Map(existing.map((r) => [r.itemId, r]));
    const who = auditActorOf(actor);
    const removed: string[] = [];
    const toRecord: ReviewInput[] = [];
    const reopen = new Map<string, string>();
    for (const [itemId, r] of Object.entries(revision)) {
      const before = byItem.get(itemId);
      const note = (r.note ?? "").trim();
      if (!r.outcome) {
        if (!before) continue;
        await tx.review.delete({ where: { id: before.id } });
        await audit(tx, who, "actionItem", itemId, "review.remove", { meetingId, outcome: before.outcome, note: before.note });
        removed.push(itemId);
        continue;
      }
      if (before && before.outcome === r.outcome && before.note === note) continue;
      if (before && isClosedStatus(statusAfter(before.outcome as ReviewOutcome, "open")) && !isClosedStatus(statusAfter(r.outcome, "open")))
        reopen.set(itemId, statusAfter(before.outcome as ReviewOutcome, "open"));
      toRecord.push({ itemId, outcome: r.outcome, note });
    }
    // An item this review closed, now said to be open again: it is open again (unless it was closed since by other means).
    for (const [itemId, closedAs] of reopen) {
      const item = await tx.actionItem.findUnique({ where: { id: itemId }, select: { status: true } });
      if (item?.status !== closedAs) continue;
      await tx.actionItem.update({ where: { id: itemId }, data: { status: "open", closedAt: null, version: { increment: 1 } } });
      await audit(tx, who, "actionItem", itemId, "status", { status: { from: closedAs, to: "open" }, meetingId, via: "review changed" });
    }
    const recorded = toRecord.length ? await recordReviewsTx(tx, meetingId, toRecord, actor) : [];
    return { recorded, removed };
  });
}
