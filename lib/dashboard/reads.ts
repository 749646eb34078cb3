/**
 * What the dashboard shows from the database, in one read: meeting and open-item
 * counts, the open items of the topics the fleet's blockers belong to, the viewer's own
 * open items, and the next (or latest) meeting. Its charts read through ./charts.ts;
 * the live fleet itself comes from the collector (lib/hosts/service).
 */
import { getDb } from "@/lib/db/client";
import { dayOf, today } from "@/lib/db/days";
import { keptUntilWrite } from "@/lib/db/kept";
import type { DbOrTx } from "@/lib/db/types";
import { OPEN_STATUSES } from "@/lib/items/statuses";
import { openItemsByTopic, TOPIC_ITEMS_SHOWN, type TopicItems } from "@/lib/topics/reads";

export interface DashboardData {
  meetingCount: number;
  openItemCount: number;
  /** Open items of each blocker topic asked for, by slug. */
  topicItems: Map<string, TopicItems>;
  /** The viewer's oldest open items (at most TOPIC_ITEMS_SHOWN); null when their account is linked to no Person. */
  mine: TopicItems["items"] | null;
  /** How many open items the viewer has in all (the page links to the board for the rest). */
  mineTotal: number;
  /** The next meeting, or the latest when none is planned. */
  meeting: { id: string; title: string; date: Date; upcoming: boolean } | null;
}

/**
 * The viewer's oldest open items and how many they have: a person of a large board owns
 * thousands, and the page lists a few and links to the board's "My items" for the rest.
 */
async function myOpenItems(userId: string, db: DbOrTx): Promise<{ mine: TopicItems["items"] | null; mineTotal: number }> {
  const person = await db.person.findUnique({ where: { userId }, select: { id: true } });
  if (!person) return { mine: null, mineTotal: 0 };
  const where = { personId: person.id, item: { status: { in: [...OPEN_STATUSES] } } };
  const [rows, mineTotal] = await Promise.all([
    db.actionItemOwner.findMany({
      where,
      orderBy: [{ item: { createdAt: "asc" } }, { itemId: "asc" }],
      take: TOPIC_ITEMS_SHOWN,
      select: {
        item: {
          select: { id: true, text: true, status: true, target: true, meetingId: true, owners: { select: { person: { select: { displayName: true } } } } },
        },
      },
    }),
    db.actionItemOwner.count({ where }),
  ]);
  return { mine: rows.map(({ item }) => ({ ...item, owners: item.owners.map((x) => x.person.displayName) })), mineTotal };
}

/** What the shared part reads (lib/db/kept.ts: kept until one of these is written). */
const BOARD_TABLES = ["Meeting", "ActionItem", "ActionItemTopic", "ActionItemOwner", "Person", "Topic"] as const;

export async function dashboardData(opts: { userId: string; blockerTopics: readonly string[]; now?: Date }, db: DbOrTx = getDb()): Promise<DashboardData> {
  const now = opts.now ?? new Date();
  const open = { in: [...OPEN_STATUSES] };
  const meetingRef = { id: true, title: true, date: true } as const;
  const slugs = [...new Set(opts.blockerTopics)].sort();
  // What every viewer sees is counted over the whole board (100k items: tens of ms of
  // database work per view): kept until the next write (lib/db/kept.ts).
  const board = keptUntilWrite(db, `dashboard:${dayOf(now)}:${JSON.stringify(slugs)}`, BOARD_TABLES, async () => {
    const [meetingCount, openItemCount, topicItems, upcoming] = await Promise.all([
      db.meeting.count(),
      db.actionItem.count({ where: { status: open } }),
      openItemsByTopic(slugs, db),
      db.meeting.findFirst({ where: { date: { gte: today(now) } }, orderBy: { date: "asc" }, select: meetingRef }),
    ]);
    const latest = upcoming ? null : await db.meeting.findFirst({ orderBy: { date: "desc" }, select: meetingRef });
    const meeting = upcoming ? { ...upcoming, upcoming: true } : latest ? { ...latest, upcoming: false } : null;
    return { meetingCount, openItemCount, topicItems, meeting };
  });
  // The viewer's own list changes only with the same tables: kept per user (at most a few
  // hundred accounts; lib/db/kept.ts drops the least recently used beyond its bound).
  const own = keptUntilWrite(db, `dashboard:mine:${opts.userId}`, BOARD_TABLES, () => myOpenItems(opts.userId, db));
  const [shared, mine] = await Promise.all([board, own]);
  return { ...shared, ...mine };
}
