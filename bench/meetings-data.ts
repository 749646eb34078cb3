/**
 * Bulk data for the meetings benchmark: `meetings` meetings and `items` action items
 * over a realistic spread of series, topics, people, statuses and dates, inserted with
 * createMany in batches (the same on both providers).
 */
import type { Db } from "@/lib/db/types";
import { DEFAULT_TOPICS } from "@/lib/topics/catalog";
import { aliasRows } from "@/lib/people/names";

const WORDS =
  "xenstore physmap qemu depriv libxl dm-op continuation hotplug clipboard vnc shutdown log-dirty chroot namespace rlimit domid restrict patch series rfc upstream backport migration stubdom qdisk vkbd console grant foreign map ioreq xen-devel review release freeze".split(
    " ",
  );
const FIRST = ["Paul", "Andrew", "Ian", "Jenny", "Igor", "Simon", "Marcus", "Anthony", "Stefano", "Roger", "Wei", "Juergen", "George", "Julien", "Jan"];
const LAST = [
  "Durrant",
  "Cooper",
  "Jackson",
  "Herbert",
  "Druzhinin",
  "Crow",
  "Granado",
  "Perard",
  "Stabellini",
  "Pau",
  "Liu",
  "Gross",
  "Dunlap",
  "Grall",
  "Beulich",
];
const STATUSES = ["open", "open", "in_progress", "blocked", "done", "done", "done", "dropped"];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

export async function generateMeetingsData(db: Db, opts: { meetings: number; items: number; seed?: number }) {
  const r = rng(opts.seed ?? 42);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

  for (const t of DEFAULT_TOPICS) await db.topic.upsert({ where: { slug: t.slug }, update: {}, create: { ...t } });
  const topics = await db.topic.findMany();
  const series: { id: string }[] = [];
  for (let i = 0; i < 5; i++) series.push(await db.series.create({ data: { name: `Bench series ${i}`, slug: `bench-${i}` } }));
  const people: { id: string }[] = [];
  for (let i = 0; i < 60; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}${i >= 15 ? ` ${i}` : ""}`;
    people.push(await db.person.create({ data: { displayName: name, aliases: { create: aliasRows(name) } } }));
  }

  const start = Date.UTC(2016, 0, 1);
  const meetingRows = Array.from({ length: opts.meetings }, (_, i) => ({
    id: `bm${i.toString(36).padStart(6, "0")}`,
    seriesId: series[i % series.length].id,
    date: new Date(start + i * 6 * 3600 * 1000),
    title: `Working group meeting ${i}: ${sentence(3)}`,
    body: Array.from({ length: 4 }, () => sentence(40)).join("\n\n"),
    decisions: sentence(12),
  }));
  for (let i = 0; i < meetingRows.length; i += 500) await db.meeting.createMany({ data: meetingRows.slice(i, i + 500) });
  const attendees = meetingRows.flatMap((m) => {
    const set = new Set<string>();
    while (set.size < 5) set.add(pick(people).id);
    return [...set].map((personId) => ({ meetingId: m.id, personId }));
  });
  for (let i = 0; i < attendees.length; i += 2000) await db.meetingAttendee.createMany({ data: attendees.slice(i, i + 2000) });
  const mt = meetingRows.map((m) => ({ meetingId: m.id, topicId: pick(topics).id }));
  for (let i = 0; i < mt.length; i += 2000) await db.meetingTopic.createMany({ data: mt.slice(i, i + 2000) });

  const itemRows = Array.from({ length: opts.items }, (_, i) => {
    const meeting = meetingRows[Math.floor(r() * meetingRows.length)];
    const status = pick(STATUSES);
    return {
      id: `bi${i.toString(36).padStart(7, "0")}`,
      text: `${pick(FIRST)} to ${sentence(10)}`,
      status,
      seriesId: meeting.seriesId,
      meetingId: meeting.id,
      target: r() < 0.3 ? `Xen 4.${8 + Math.floor(r() * 12)}` : null,
      dueDate: r() < 0.4 ? new Date(start + Math.floor(r() * 3650) * 86400000) : null,
      closedAt: status === "done" || status === "dropped" ? meeting.date : null,
    };
  });
  for (let i = 0; i < itemRows.length; i += 1000) await db.actionItem.createMany({ data: itemRows.slice(i, i + 1000) });
  const owners = itemRows.map((it) => ({ itemId: it.id, personId: pick(people).id }));
  for (let i = 0; i < owners.length; i += 2000) await db.actionItemOwner.createMany({ data: owners.slice(i, i + 2000) });
  const it = itemRows.map((x) => ({ itemId: x.id, topicId: pick(topics).id }));
  for (let i = 0; i < it.length; i += 2000) await db.actionItemTopic.createMany({ data: it.slice(i, i + 2000) });
  return { series, people, topics };
}
