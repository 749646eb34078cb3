/**
 * Guided review: a new meeting of a series goes through every item the series still
 * has open; the chair gives each an outcome and a note. The outcomes become Review
 * rows (the item's timeline across meetings), move the item's status, and make the
 * "Reviewed previous action points" section of the minutes.
 */
import { audit, auditActorOf } from "@/lib/audit";
import { DomainError } from "@/lib/auth/errors";
import { OUTCOME_LABELS, REVIEW_OUTCOMES, type ReviewOutcome } from "./schemas";
export { reviewedSection, type ReviewedLike } from "./section";
import { inTransaction, type DbOrTx, type Tx } from "./tx";

export { OUTCOME_LABELS, REVIEW_OUTCOMES, type ReviewOutcome };

/** Statuses that still need reviewing. */
export const OPEN_STATUSES = ["open", "in_progress", "blocked"] as const;

export interface ReviewInput {
  itemId: string;
  outcome: ReviewOutcome;
  note?: string;
}

/**
 * The item's status after a review: done and dropped close it, progress means it is
 * being worked on; no progress / carried over say nothing new, so it stays as it was
 * (a blocked item stays blocked).
 */
export function statusAfter(outcome: ReviewOutcome, current: string): string {
  switch (outcome) {
    case "done":
      return "done";
    case "dropped":
      return "dropped";
    case "progress":
      return "in_progress";
    default:
      return current;
  }
}

export interface OpenItemForReview {
  id: string;
  text: string;
  status: string;
  target: string | null;
  owners: { id: string; displayName: string }[];
  createdIn: { id: string; title: string; date: string } | null;
  lastReview: { outcome: string; note: string; meetingDate: string } | null;
}

/** Every open, in-progress or blocked item of the series, oldest first. */
export async function openItemsForReview(db: DbOrTx, seriesId: string, opts: { excludeMeetingId?: string } = {}): Promise<OpenItemForReview[]> {
  const items = await db.actionItem.findMany({
    where: {
      seriesId,
      status: { in: [...OPEN_STATUSES] },
      ...(opts.excludeMeetingId && { NOT: { meetingId: opts.excludeMeetingId } }),
    },
    include: {
      owners: { include: { person: true } },
      meeting: { select: { id: true, title: true, date: true } },
      reviews: { include: { meeting: { select: { date: true } } } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return items.map((i) => {
    const last = [...i.reviews].sort((a, b) => b.meeting.date.getTime() - a.meeting.date.getTime())[0];
    return {
      id: i.id,
      text: i.text,
      status: i.status,
      target: i.target,
      owners: i.owners.map((o) => ({ id: o.personId, displayName: o.person.displayName })),
      createdIn: i.meeting ? { id: i.meeting.id, title: i.meeting.title, date: i.meeting.date.toISOString().slice(0, 10) } : null,
      lastReview: last ? { outcome: last.outcome, note: last.note, meetingDate: last.meeting.date.toISOString().slice(0, 10) } : null,
    };
  });
}

export interface RecordedReview {
  itemId: string;
  outcome: ReviewOutcome;
  from: string;
  to: string;
}

/** Records the meeting's reviews (replacing any it had for the same items), in one transaction. */
export function recordReviews(db: DbOrTx, meetingId: string, reviews: ReviewInput[], actor: { userId: string; email: string }): Promise<RecordedReview[]> {
  return inTransaction(db, (tx) => recordReviewsTx(tx, meetingId, reviews, actor));
}

export async function recordReviewsTx(tx: Tx, meetingId: string, reviews: ReviewInput[], actor: { userId: string; email: string }): Promise<RecordedReview[]> {
  const meeting = await tx.meeting.findUnique({ where: { id: meetingId }, select: { id: true, seriesId: true, date: true } });
  if (!meeting) throw new DomainError("NOT_FOUND", "This meeting does not exist (any more).");
  const errors: Record<string, string[]> = {};
  const items = await tx.actionItem.findMany({ where: { id: { in: reviews.map((r) => r.itemId) } } });
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const r of reviews) {
    const item = byId.get(r.itemId);
    if (!REVIEW_OUTCOMES.includes(r.outcome)) errors[`reviews.${r.itemId}.outcome`] = ["Unknown outcome"];
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
      const closing = to === "done" || to === "dropped";
      // Bumping the version makes a concurrent edit of the item (from its own page) conflict.
      await tx.actionItem.update({
        where: { id: item.id },
        data: { status: to, closedAt: closing ? (item.closedAt ?? meeting.date) : null, version: { increment: 1 } },
      });
    }
    await audit(tx, who, "actionItem", item.id, "review", { meetingId, outcome: r.outcome, note, status: { from: item.status, to } });
    out.push({ itemId: item.id, outcome: r.outcome, from: item.status, to });
  }
  return out;
}
