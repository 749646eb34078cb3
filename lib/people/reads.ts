/**
 * People of the working group: the index, a person's page (who they are, what they
 * still owe, their history) and the Person an account is linked to.
 */
import { countBy } from "@/lib/db/count-by";
import { getDb } from "@/lib/db/client";
import { dayOf } from "@/lib/db/days";
import type { DbOrTx, Prisma } from "@/lib/db/types";
import { OPEN_STATUSES } from "@/lib/items/statuses";
import { closedOrder, openOrder, summaryInclude, toSummary, type ItemSummary } from "@/lib/items/summary";

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

/** Null when there is no such person. Lists are capped at `limit` (totals are not). */
export async function personPage(id: string, ctx: { now?: Date; limit?: number } = {}, db: DbOrTx = getDb()): Promise<PersonPage | null> {
  const p = await db.person.findUnique({ where: { id }, include: { aliases: { orderBy: { alias: "asc" } }, user: { select: { email: true } } } });
  if (!p) return null;
  const now = ctx.now ?? new Date();
  const take = ctx.limit ?? 200;
  const owned: Prisma.ActionItemWhereInput = { owners: { some: { personId: id } } };
  const [open, closed, meetings, openCount, doneCount, droppedCount, meetingCount] = await Promise.all([
    db.actionItem.findMany({ where: { ...owned, status: { in: [...OPEN_STATUSES] } }, include: summaryInclude, orderBy: openOrder, take }),
    db.actionItem.findMany({ where: { ...owned, status: { notIn: [...OPEN_STATUSES] } }, include: summaryInclude, orderBy: closedOrder, take }),
    db.meeting.findMany({
      where: { attendees: { some: { personId: id } } },
      orderBy: [{ date: "desc" }, { id: "desc" }],
      take,
      select: { id: true, date: true, title: true, series: { select: { slug: true, name: true } } },
    }),
    db.actionItem.count({ where: { ...owned, status: { in: [...OPEN_STATUSES] } } }),
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
    openItems: open.map((r) => toSummary(r, now)),
    closedItems: closed.map((r) => toSummary(r, now)),
    meetings: meetings.map((m) => ({ id: m.id, date: dayOf(m.date), title: m.title, series: m.series })),
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
export async function listPeople(db: DbOrTx = getDb()): Promise<PersonRow[]> {
  const [people, open] = await Promise.all([
    db.person.findMany({
      orderBy: { displayName: "asc" },
      select: { id: true, displayName: true, organisation: true, _count: { select: { attended: true } } },
    }),
    countBy(db.actionItemOwner, "personId", { item: { status: { in: [...OPEN_STATUSES] } } }),
  ]);
  return people.map((p) => ({ id: p.id, displayName: p.displayName, organisation: p.organisation, open: open.get(p.id) ?? 0, meetings: p._count.attended }));
}

/** Everyone by name, for pickers. */
export async function peopleChoices(db: DbOrTx = getDb()): Promise<{ id: string; displayName: string }[]> {
  return db.person.findMany({ orderBy: { displayName: "asc" }, select: { id: true, displayName: true } });
}

/** The Person linked to a user account (Person.userId), if any. */
export async function personOfUser(userId: string | null | undefined, db: DbOrTx = getDb()): Promise<{ id: string; displayName: string } | null> {
  if (!userId) return null;
  return db.person.findUnique({ where: { userId }, select: { id: true, displayName: true } });
}
