/** A small working group for the meeting tests: one series, topics, a few people. */
import type { Db } from "@/lib/db/client";
import { aliasRows } from "@/lib/people/names";

export const editor = { userId: "u-editor", email: "editor@example.org" };
export const otherEditor = { userId: "u-other", email: "other@example.org" };

export async function seedGroup(db: Db) {
  const series = await db.series.create({ data: { name: "QEMU WG", slug: "qemu-wg" } });
  const other = await db.series.create({ data: { name: "Other WG", slug: "other-wg" } });
  const topics: Record<string, string> = {};
  for (const [slug, name] of [
    ["physmap-keys", "Physmap keys"],
    ["xs-restrict", "xs-restrict"],
    ["vnc-clipboard", "VNC clipboard"],
  ]) {
    topics[slug] = (await db.topic.create({ data: { slug, name } })).id;
  }
  const people: Record<string, string> = {};
  for (const [name, aliases] of [
    ["Jenny Herbert", ["Jenny", "Jennifer Herbert"]],
    ["Paul Durrant", ["Paul", "Paul Durrent"]],
    ["Andrew Cooper", ["Andrew"]],
  ] as const) {
    const p = await db.person.create({ data: { displayName: name, aliases: { create: aliasRows(name, ...aliases) } } });
    people[name.split(" ")[0]] = p.id;
  }
  return { series, other, topics, people };
}
