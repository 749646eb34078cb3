/** The agenda's other reads: the page's choices, and what a meeting started from an agenda begins with. */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";
import { agendaItemOrder, buildAgenda } from "./draft";

/** Every series, for the agenda page's picker. */
export function agendaSeriesChoices(db: DbOrTx = getDb()): Promise<{ slug: string; name: string }[]> {
  return db.series.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } });
}

export interface AgendaStart {
  seriesId: string;
  date: string;
  title: string;
  /** The agenda's items in its order (by owner): the guided review starts with them. */
  itemOrder: string[];
  /** The agenda's topics, as topic ids. */
  topicIds: string[];
}

/** The new-meeting editor's start when the meeting is created from the agenda of `series` on `date`. */
export async function agendaStart(series: string, date: string, opts: { now?: Date } = {}, db: DbOrTx = getDb()): Promise<AgendaStart> {
  const d = await buildAgenda({ series, date, now: opts.now }, db);
  const topics = await db.topic.findMany({ where: { slug: { in: d.topics.map((t) => t.slug) } }, select: { id: true } });
  return { seriesId: d.series.id, date: d.date, title: d.title, itemOrder: agendaItemOrder(d), topicIds: topics.map((t) => t.id) };
}

/** `items` with those the agenda names first, in its order; the rest after, as they were. */
export function inAgendaOrder<T extends { id: string }>(items: readonly T[], order: readonly string[]): T[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  return [...items].sort((a, b) => (rank.get(a.id) ?? order.length) - (rank.get(b.id) ?? order.length));
}
