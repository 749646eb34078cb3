/** Topics (the group's workstreams): the index, a topic's page, pickers, and open items per topic. */
import { countBy } from "@/lib/db/count-by";
import { getDb } from "@/lib/db/client";
import { dayOf } from "@/lib/db/days";
import type { DbOrTx } from "@/lib/db/types";
import { OPEN_STATUSES, statusCounts, type ItemStatus } from "@/lib/items/statuses";
import { closedOrder, openOrder, summaryInclude, toSummary, type ItemSummary } from "@/lib/items/summary";

export interface TopicPage {
  topic: { id: string; slug: string; name: string; description: string };
  meetings: { id: string; date: string; title: string; series: { slug: string; name: string } }[];
  openItems: ItemSummary[];
  closedItems: ItemSummary[];
  counts: Record<ItemStatus, number>;
}

/** A workstream: its meetings (newest first) and its items (open first, then closed). */
export async function topicPage(slug: string, ctx: { now?: Date; limit?: number } = {}, db: DbOrTx = getDb()): Promise<TopicPage | null> {
  const topic = await db.topic.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, description: true } });
  if (!topic) return null;
  const now = ctx.now ?? new Date();
  const take = ctx.limit ?? 200;
  const where = { topics: { some: { topicId: topic.id } } };
  const [meetings, open, closed, grouped] = await Promise.all([
    db.meeting.findMany({
      where: { topics: { some: { topicId: topic.id } } },
      orderBy: [{ date: "desc" }, { id: "desc" }],
      take,
      select: { id: true, date: true, title: true, series: { select: { slug: true, name: true } } },
    }),
    db.actionItem.findMany({ where: { ...where, status: { in: [...OPEN_STATUSES] } }, include: summaryInclude, orderBy: openOrder, take }),
    db.actionItem.findMany({ where: { ...where, status: { notIn: [...OPEN_STATUSES] } }, include: summaryInclude, orderBy: closedOrder, take }),
    countBy(db.actionItem, "status", where),
  ]);
  return {
    topic,
    meetings: meetings.map((m) => ({ id: m.id, date: dayOf(m.date), title: m.title, series: m.series })),
    openItems: open.map((r) => toSummary(r, now)),
    closedItems: closed.map((r) => toSummary(r, now)),
    counts: statusCounts(grouped),
  };
}

export interface TopicRow {
  slug: string;
  name: string;
  description: string;
  open: number;
  meetings: number;
}

/** Every topic with its open-item and meeting counts (the topics index). */
export async function listTopics(db: DbOrTx = getDb()): Promise<TopicRow[]> {
  const [topics, open] = await Promise.all([
    db.topic.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true, description: true, _count: { select: { meetings: true } } } }),
    countBy(db.actionItemTopic, "topicId", { item: { status: { in: [...OPEN_STATUSES] } } }),
  ]);
  return topics.map((t) => ({ slug: t.slug, name: t.name, description: t.description, open: open.get(t.id) ?? 0, meetings: t._count.meetings }));
}

/** Every topic by name, for pickers (the rule form, the meetings filter). */
export async function topicChoices(db: DbOrTx = getDb()): Promise<{ slug: string; name: string }[]> {
  return db.topic.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } });
}

export interface TopicItems {
  slug: string;
  name: string;
  /** The oldest open items, at most the limit asked for. */
  items: { id: string; text: string; status: string; target: string | null; meetingId: string | null; owners: string[] }[];
  /** How many open items the topic has in all (the page links to the topic for the rest). */
  total: number;
}

/** How many open items per topic a page lists before linking to the topic's page. */
export const TOPIC_ITEMS_SHOWN = 10;

/**
 * Open action items by topic, oldest first: what will retire a dependency (through its rule's
 * topic). Only the first `limit` and a count: a topic of a large board has thousands.
 */
export async function openItemsByTopic(slugs: readonly string[], db: DbOrTx = getDb(), opts: { limit?: number } = {}): Promise<Map<string, TopicItems>> {
  const out = new Map<string, TopicItems>();
  if (slugs.length === 0) return out;
  const limit = opts.limit ?? TOPIC_ITEMS_SHOWN;
  const topics = await db.topic.findMany({ where: { slug: { in: [...new Set(slugs)] } }, select: { id: true, slug: true, name: true } });
  const open = { status: { in: [...OPEN_STATUSES] } };
  // From the topic's side: its rows of ActionItemTopic (index on topicId) joined to their
  // items. From the items' side Prisma tests every open item of the board for the topic
  // (EXISTS per item: tens of ms per topic on 100k items).
  await Promise.all(
    topics.map(async (t) => {
      const [rows, total] = await Promise.all([
        db.actionItemTopic.findMany({
          where: { topicId: t.id, item: open },
          orderBy: [{ item: { createdAt: "asc" } }, { itemId: "asc" }],
          take: limit,
          select: {
            item: {
              select: {
                id: true,
                text: true,
                status: true,
                target: true,
                meetingId: true,
                owners: { select: { person: { select: { displayName: true } } } },
              },
            },
          },
        }),
        db.actionItemTopic.count({ where: { topicId: t.id, item: open } }),
      ]);
      const items = rows.map((r) => r.item);
      out.set(t.slug, { slug: t.slug, name: t.name, items: items.map((i) => ({ ...i, owners: i.owners.map((o) => o.person.displayName) })), total });
    }),
  );
  return out;
}
