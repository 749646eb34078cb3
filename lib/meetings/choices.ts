import type { Db } from "@/lib/db/client";

/** The choices every meeting editor offers: series, topics, people with their aliases. */
export async function editorChoices(db: Db) {
  const [series, topics, people] = await Promise.all([
    db.series.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, slug: true } }),
    db.topic.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
    db.person.findMany({ orderBy: { displayName: "asc" }, select: { id: true, displayName: true, aliases: { select: { alias: true } } } }),
  ]);
  return {
    series,
    defaultSeries: series[0] ?? null,
    topics,
    people: people.map((p) => ({ id: p.id, displayName: p.displayName, aliases: p.aliases.map((a) => a.alias) })),
  };
}
