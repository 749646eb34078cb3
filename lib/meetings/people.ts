/**
 * A person's page: who they are (names the minutes use for them), what they still
 * owe (open items), and their history (items closed, meetings attended).
 */
import type { Prisma } from "@/generated/sqlite/client";
import { ACTIVE_STATUSES, itemSummaryInclude, toItemSummary, type ItemQueryContext, type ItemSummary } from "./items";
import type { DbOrTx } from "./tx";

export interface PersonPage {
  person: {
    id: string;
    displayName: string;
    email: string | null;
    organisation: string | null;
    aliases: string[];
    /** The linked account's email, when the person has one. */
    account: string | null;
  };
  openItems: ItemSummary[];
  closedItems: ItemSummary[];
  meetings: { id: string; date: string; title: string; series: { slug: string; name: string } }[];
  totals: { open: number; done: number; dropped: number; meetings: number };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Null when there is no such person. Lists are capped at `limit` (totals are not). */
export async function personPage(db: DbOrTx, id: string, ctx: ItemQueryContext = {}, limit = 200): Promise<PersonPage | null> {
  const p = await db.person.findUnique({ where: { id }, include: { aliases: { orderBy: { alias: "asc" } }, user: { select: { email: true } } } });
  if (!p) return null;
  const now = ctx.now ?? new Date();
  const owned: Prisma.ActionItemWhereInput = { owners: { some: { personId: id } } };
  const [open, closed, meetings, openCount, doneCount, droppedCount, meetingCount] = await Promise.all([
    db.actionItem.findMany({ where: { ...owned, status: { in: [...ACTIVE_STATUSES] } }, include: itemSummaryInclude, orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }], take: limit }),
    db.actionItem.findMany({ where: { ...owned, status: { notIn: [...ACTIVE_STATUSES] } }, include: itemSummaryInclude, orderBy: [{ closedAt: { sort: "desc", nulls: "last" } }, { updatedAt: "desc" }], take: limit }),
    db.meeting.findMany({ where: { attendees: { some: { personId: id } } }, orderBy: [{ date: "desc" }, { id: "desc" }], take: limit, select: { id: true, date: true, title: true, series: { select: { slug: true, name: true } } } }),
    db.actionItem.count({ where: { ...owned, status: { in: [...ACTIVE_STATUSES] } } }),
    db.actionItem.count({ where: { ...owned, status: "done" } }),
    db.actionItem.count({ where: { ...owned, status: "dropped" } }),
    db.meetingAttendee.count({ where: { personId: id } }),
  ]);
  return {
    person: {
      id: p.id,
      displayName: p.displayName,
      email: p.email,
      organisation: p.organisation,
      // The display name is stored as an alias too; list only the other spellings.
      aliases: [...new Set(p.aliases.map((a) => a.alias))].filter((a) => a !== p.displayName),
      account: p.user?.email ?? null,
    },
    openItems: open.map((r) => toItemSummary(r, now)),
    closedItems: closed.map((r) => toItemSummary(r, now)),
    meetings: meetings.map((m) => ({ id: m.id, date: isoDay(m.date), title: m.title, series: m.series })),
    totals: { open: openCount, done: doneCount, dropped: droppedCount, meetings: meetingCount },
  };
}

export interface PersonRow {
  id: string;
  displayName: string;
  organisation: string | null;
  open: number;
  meetings: number;
}

/** Everyone, with their open-item and meeting counts (the people index). */
export async function listPeople(db: DbOrTx): Promise<PersonRow[]> {
  const [people, open] = await Promise.all([
    db.person.findMany({ orderBy: { displayName: "asc" }, select: { id: true, displayName: true, organisation: true, _count: { select: { attended: true } } } }),
    db.actionItemOwner.groupBy({ by: ["personId"], where: { item: { status: { in: [...ACTIVE_STATUSES] } } }, _count: { _all: true } }),
  ]);
  const openBy = new Map(open.map((o) => [o.personId, o._count._all]));
  return people.map((p) => ({ id: p.id, displayName: p.displayName, organisation: p.organisation, open: openBy.get(p.id) ?? 0, meetings: p._count.attended }));
}
