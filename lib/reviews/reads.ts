/** The items a new meeting of a series reviews: every one still open, with its last review. */
import { getDb } from "@/lib/db/client";
import { dayOf } from "@/lib/db/days";
import type { DbOrTx } from "@/lib/db/types";
import { OPEN_STATUSES } from "@/lib/items/statuses";

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
export async function openItemsForReview(seriesId: string, opts: { excludeMeetingId?: string } = {}, db: DbOrTx = getDb()): Promise<OpenItemForReview[]> {
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
      createdIn: i.meeting ? { id: i.meeting.id, title: i.meeting.title, date: dayOf(i.meeting.date) } : null,
      lastReview: last ? { outcome: last.outcome, note: last.note, meetingDate: dayOf(last.meeting.date) } : null,
    };
  });
}

/** The open items of every series, for the new-meeting editor (it switches series without a round trip). */
export async function openItemsForReviewBySeries(seriesIds: string[], db: DbOrTx = getDb()): Promise<Record<string, OpenItemForReview[]>> {
  return Object.fromEntries(await Promise.all(seriesIds.map(async (id) => [id, await openItemsForReview(id, {}, db)] as const)));
}

/**
 * A saved meeting's review as its edit page shows it: the items it reviewed (whatever
 * their status now) and the series' open items it has not reviewed (not those it
 * created), with the outcomes and notes it gave.
 */
export async function meetingReviewForEdit(
  meetingId: string,
  db: DbOrTx = getDb(),
): Promise<{ items: OpenItemForReview[]; value: Record<string, { outcome: string; note: string }> } | null> {
  const meeting = await db.meeting.findUnique({
    where: { id: meetingId },
    select: { seriesId: true, reviews: { select: { itemId: true, outcome: true, note: true } } },
  });
  if (!meeting) return null;
  const reviewedIds = meeting.reviews.map((r) => r.itemId);
  const open = await openItemsForReview(meeting.seriesId, { excludeMeetingId: meetingId }, db);
  const openIds = new Set(open.map((i) => i.id));
  const closedReviewed = reviewedIds.filter((id) => !openIds.has(id));
  const extra = closedReviewed.length
    ? await db.actionItem.findMany({
        where: { id: { in: closedReviewed } },
        include: { owners: { include: { person: true } }, meeting: { select: { id: true, title: true, date: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      })
    : [];
  const items: OpenItemForReview[] = [
    ...extra.map((i) => ({
      id: i.id,
      text: i.text,
      status: i.status,
      target: i.target,
      owners: i.owners.map((o) => ({ id: o.personId, displayName: o.person.displayName })),
      createdIn: i.meeting ? { id: i.meeting.id, title: i.meeting.title, date: dayOf(i.meeting.date) } : null,
      lastReview: null,
    })),
    ...open,
  ];
  return { items, value: Object.fromEntries(meeting.reviews.map((r) => [r.itemId, { outcome: r.outcome, note: r.note }])) };
}
