/** Meetings for the read API (/api/v1/meetings): newest first, filtered, one page. */
import { apiPage, type ApiPage } from "@/lib/api/page";
import { parseQuery } from "@/lib/api/query";
import { getDb } from "@/lib/db/client";
import { dayOf, endOfDay, startOfDay } from "@/lib/db/days";
import type { DbOrTx, Prisma } from "@/lib/db/types";
import { apiMeetingFiltersSchema } from "./schemas";

export interface MeetingJson {
  id: string;
  date: string;
  title: string;
  series: { slug: string; name: string };
  attendees: { id: string; displayName: string }[];
  topics: { slug: string; name: string }[];
  body: string;
  decisions: string;
  source: string;
  sourceUrl: string | null;
  itemsCreated: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  url: string;
}

/** Throws the ZodError of a bad query: defineRoute answers 400 with the field messages. */
export async function apiMeetingsPage(url: URL, db: DbOrTx = getDb()): Promise<ApiPage<MeetingJson>> {
  const f = parseQuery(apiMeetingFiltersSchema, url);
  const and: Prisma.MeetingWhereInput[] = [];
  if (f.series) and.push({ series: { slug: f.series } });
  if (f.topic) and.push({ topics: { some: { topic: { slug: f.topic } } } });
  if (f.person) and.push({ attendees: { some: { personId: f.person } } });
  if (f.from) and.push({ date: { gte: startOfDay(f.from) } });
  if (f.to) and.push({ date: { lt: endOfDay(f.to) } });
  if (f.since) and.push({ updatedAt: { gte: new Date(f.since) } });
  const where = and.length ? { AND: and } : {};
  const [total, rows] = await Promise.all([
    db.meeting.count({ where }),
    db.meeting.findMany({
      where,
      orderBy: [{ date: "desc" }, { id: "desc" }],
      skip: (f.page - 1) * f.pageSize,
      take: f.pageSize,
      include: {
        series: { select: { slug: true, name: true } },
        attendees: { include: { person: { select: { id: true, displayName: true } } } },
        topics: { include: { topic: { select: { slug: true, name: true } } } },
        itemsCreated: { select: { id: true }, orderBy: { createdAt: "asc" } },
      },
    }),
  ]);
  const data = rows.map((m) => ({
    id: m.id,
    date: dayOf(m.date),
    title: m.title,
    series: m.series,
    attendees: m.attendees.map((a) => a.person).sort((a, b) => a.displayName.localeCompare(b.displayName)),
    topics: m.topics.map((t) => t.topic).sort((a, b) => a.name.localeCompare(b.name)),
    body: m.body,
    decisions: m.decisions,
    source: m.source,
    sourceUrl: m.sourceUrl,
    itemsCreated: m.itemsCreated.map((i) => i.id),
    version: m.version,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    url: `${url.origin}/meetings/${m.id}`,
  }));
  return apiPage(url, data, { page: f.page, pageSize: f.pageSize, total });
}
