/** One action item: its page (timeline of reviews, links, history) and its edit form's start. */
import { keptUntilWrite } from "@/lib/db/kept";
import { getDb } from "@/lib/db/client";
import { dayOf } from "@/lib/db/days";
import type { DbOrTx } from "@/lib/db/types";
import { toAuditEntry, type AuditEntry, type TimelineEntry } from "./history";
import type { ItemStatus } from "./statuses";
import { summaryInclude, toSummary, type ItemSummary } from "./summary";

/** What a conflict shows of the stored item, and what the edit form starts from. */
export interface ItemSnapshot {
  id: string;
  version: number;
  text: string;
  status: ItemStatus;
  target: string | null;
  dueDate: string | null;
  owners: { id: string; displayName: string }[];
  topics: { id: string; name: string }[];
  updatedAt: string;
  /** Who saved last, from the audit trail (null for seeded/imported items). */
  updatedBy: string | null;
}

export async function itemSnapshot(id: string, db: DbOrTx = getDb()): Promise<ItemSnapshot | null> {
  const i = await db.actionItem.findUnique({ where: { id }, include: { owners: { include: { person: true } }, topics: { include: { topic: true } } } });
  if (!i) return null;
  const last = await db.auditEvent.findFirst({ where: { entity: "actionItem", entityId: id }, orderBy: [{ at: "desc" }, { id: "desc" }] });
  return {
    id: i.id,
    version: i.version,
    text: i.text,
    status: i.status as ItemStatus,
    target: i.target,
    dueDate: i.dueDate ? dayOf(i.dueDate) : null,
    owners: i.owners.map((o) => ({ id: o.personId, displayName: o.person.displayName })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    topics: i.topics.map((t) => ({ id: t.topicId, name: t.topic.name })).sort((a, b) => a.name.localeCompare(b.name)),
    updatedAt: i.updatedAt.toISOString(),
    updatedBy: last?.actorLabel ?? null,
  };
}

export interface ItemDetail extends ItemSummary {
  /** Each later meeting's word on the item, oldest first. */
  timeline: TimelineEntry[];
  /** Newest first. */
  history: AuditEntry[];
}

export async function getItem(id: string, ctx: { now?: Date } = {}, db: DbOrTx = getDb()): Promise<ItemDetail | null> {
  const row = await db.actionItem.findUnique({
    where: { id },
    include: { ...summaryInclude, reviews: { include: { meeting: { select: { id: true, title: true, date: true } } } } },
  });
  if (!row) return null;
  const events = await db.auditEvent.findMany({ where: { entity: "actionItem", entityId: id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: 500 });
  return {
    ...toSummary(row, ctx.now ?? new Date()),
    timeline: [
      ...(row.meeting
        ? [
            {
              kind: "created" as const,
              meetingId: row.meeting.id,
              meetingTitle: row.meeting.title,
              meetingDate: dayOf(row.meeting.date),
              outcome: "",
              note: "",
            },
          ]
        : []),
      ...[...row.reviews]
        .sort((a, b) => a.meeting.date.getTime() - b.meeting.date.getTime() || a.createdAt.getTime() - b.createdAt.getTime())
        .map((r) => ({
          kind: "review" as const,
          meetingId: r.meeting.id,
          meetingTitle: r.meeting.title,
          meetingDate: dayOf(r.meeting.date),
          outcome: r.outcome,
          note: r.note,
        })),
    ],
    history: events.map(toAuditEntry),
  };
}

/** What the filter choices are read from. */
const CHOICE_TABLES = ["Person", "Topic", "Series"] as const;

/** The choices the board's filters and the edit form offer. */
export async function itemChoices(db: DbOrTx = getDb()) {
  // Read on every view of the board; kept until one of the three tables is written (lib/db/kept.ts).
  return keptUntilWrite(db, "itemChoices", CHOICE_TABLES, async () => {
    const [people, topics, series] = await Promise.all([
      db.person.findMany({ orderBy: { displayName: "asc" }, select: { id: true, displayName: true } }),
      db.topic.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } }),
      db.series.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } }),
    ]);
    return { people, topics, series };
  });
}
