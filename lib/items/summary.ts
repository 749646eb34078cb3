/**
 * One action item as every list shows it (the board, a person's or a topic's page, the
 * exports and the API): the row, its owners, topics, links, and whether it is overdue.
 */
import { dayOf, today } from "@/lib/db/days";
import type { Prisma } from "@/lib/db/types";
import { isClosedStatus, isItemStatus, type ItemStatus } from "./statuses";

export interface ItemSummary {
  id: string;
  text: string;
  status: ItemStatus;
  target: string | null;
  dueDate: string | null;
  overdue: boolean;
  version: number;
  series: { id: string; slug: string; name: string };
  meeting: { id: string; date: string; title: string } | null;
  owners: { id: string; displayName: string }[];
  topics: { id: string; slug: string; name: string }[];
  links: { id: string; kind: string; url: string; title: string }[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/** What a summary reads besides the item's own columns. */
export const summaryInclude = {
  series: { select: { id: true, slug: true, name: true } },
  meeting: { select: { id: true, date: true, title: true } },
  owners: { include: { person: { select: { id: true, displayName: true } } } },
  topics: { include: { topic: { select: { id: true, slug: true, name: true } } } },
  links: { select: { id: true, kind: true, url: true, title: true }, orderBy: { createdAt: "asc" } },
} as const satisfies Prisma.ActionItemInclude;

export type SummaryRow = Prisma.ActionItemGetPayload<{ include: typeof summaryInclude }>;

export function toSummary(i: SummaryRow, now: Date): ItemSummary {
  const status = isItemStatus(i.status) ? i.status : "open";
  return {
    id: i.id,
    text: i.text,
    status,
    target: i.target,
    dueDate: i.dueDate ? dayOf(i.dueDate) : null,
    overdue: !!i.dueDate && !isClosedStatus(status) && i.dueDate < today(now),
    version: i.version,
    series: i.series,
    meeting: i.meeting ? { id: i.meeting.id, date: dayOf(i.meeting.date), title: i.meeting.title } : null,
    owners: i.owners.map((o) => o.person).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    topics: i.topics.map((t) => t.topic).sort((a, b) => a.name.localeCompare(b.name)),
    links: i.links,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
    closedAt: i.closedAt?.toISOString() ?? null,
  };
}

/** Open items first by due date, then closed items newest first: a person's or topic's page. */
export const openOrder: Prisma.ActionItemOrderByWithRelationInput[] = [{ dueDate: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }];
export const closedOrder: Prisma.ActionItemOrderByWithRelationInput[] = [{ closedAt: { sort: "desc", nulls: "last" } }, { updatedAt: "desc" }];
