/** Open action items by topic: what will retire a dependency (through its rule's Topic). */
import type { Db } from "@/lib/db/client";

export const OPEN_STATUSES = ["open", "in_progress", "blocked"];

export interface TopicItems {
  slug: string;
  name: string;
  items: { id: string; text: string; status: string; target: string | null; meetingId: string | null; owners: string[] }[];
}

export async function openItemsByTopic(db: Db, slugs: readonly string[]): Promise<Map<string, TopicItems>> {
  const out = new Map<string, TopicItems>();
  if (slugs.length === 0) return out;
  const topics = await db.topic.findMany({
    where: { slug: { in: [...new Set(slugs)] } },
    select: {
      slug: true,
      name: true,
      items: {
        where: { item: { status: { in: OPEN_STATUSES } } },
        select: { item: { select: { id: true, text: true, status: true, target: true, meetingId: true, createdAt: true, owners: { select: { person: { select: { displayName: true } } } } } } },
      },
    },
  });
  for (const t of topics) {
    out.set(t.slug, {
      slug: t.slug,
      name: t.name,
      items: t.items
        .map(({ item }) => ({ id: item.id, text: item.text, status: item.status, target: item.target, meetingId: item.meetingId, createdAt: item.createdAt, owners: item.owners.map((o) => o.person.displayName) }))
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map(({ createdAt: _c, ...i }) => i),
    });
  }
  return out;
}
