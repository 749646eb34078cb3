/** A working group with a schedule, people linked to accounts, open items and a small fleet, for the chair's-loop tests. */
import type { Db } from "@/lib/db/client";
import { seedXsRules } from "@/lib/hosts/rules";
import { DEFAULT_TOPICS } from "@/lib/topics/catalog";

/** A Monday morning; the series meets every second Wednesday at 15:00 London time. */
export const NOW = new Date("2025-06-16T09:00:00Z");
export const H = 3600_000;
export const D = 24 * H;
export const editor = { userId: "u-igor", email: "igor@example.org" };

export async function seedChair(db: Db) {
  for (const t of DEFAULT_TOPICS) await db.topic.create({ data: { ...t } });
  await seedXsRules(db);
  const series = await db.series.create({ data: { name: "QEMU WG", slug: "qemu-wg" } });
  const topic = async (slug: string) => (await db.topic.findUniqueOrThrow({ where: { slug } })).id;
  for (const [id, email, name] of [
    ["u-igor", "igor@example.org", "Igor"],
    ["u-andrew", "andrew@example.org", "Andrew"],
    ["u-viewer", "viewer@example.org", "Viewer"],
  ]) {
    await db.user.create({ data: { id, email, name, role: id === "u-viewer" ? "viewer" : "editor" } });
  }
  const people: Record<string, string> = {};
  for (const [name, userId] of [
    ["Igor Druzhinin", "u-igor"],
    ["Andrew Cooper", "u-andrew"],
    ["Paul Durrant", null],
  ] as const) {
    people[name.split(" ")[0]] = (await db.person.create({ data: { displayName: name, userId } })).id;
  }
  const last = await db.meeting.create({ data: { seriesId: series.id, date: new Date("2025-06-04T00:00:00Z"), title: "QEMU WG meeting 4th June 2025" } });
  const mk = async (text: string, o: { owners: string[]; topics: string[]; due?: string; target?: string; status?: string }) =>
    (
      await db.actionItem.create({
        data: {
          text,
          status: o.status ?? "open",
          target: o.target ?? null,
          dueDate: o.due ? new Date(`${o.due}T00:00:00Z`) : null,
          seriesId: series.id,
          owners: { create: o.owners.map((p) => ({ personId: people[p] })) },
          topics: { create: await Promise.all(o.topics.map(async (t) => ({ topicId: await topic(t) }))) },
        },
      })
    ).id;
  const items = {
    physmap: await mk("Igor to implement the new physmap mechanism in QEMU.", {
      owners: ["Igor"],
      topics: ["physmap-keys"],
      due: "2025-06-10",
      target: "Xen 4.21",
    }),
    logdirty: await mk("Igor to move log-dirty to QMP.", { owners: ["Igor"], topics: ["log-dirty"], due: "2025-06-20" }),
    dmop: await mk("Andrew to double check dm-op sub ops for continuation support.", {
      owners: ["Andrew"],
      topics: ["dm-op-continuations"],
      due: "2025-06-18",
    }),
    hotplug: await mk("Paul and Andrew to use an FD for QMP CD insert.", { owners: ["Paul", "Andrew"], topics: ["emulated-hotplug", "cd-insert-fd"] }),
    done: await mk("Igor to post the RFC.", { owners: ["Igor"], topics: ["physmap-keys"], status: "done" }),
  };
  await db.review.create({ data: { meetingId: last.id, itemId: items.physmap, outcome: "progress", note: "RFC posted, v2 next week" } });
  const host = async (name: string, enabled = true) =>
    (await db.host.create({ data: { name, kind: "local", xenstoredPath: `/run/${name}.sock`, qmpDir: `/run/${name}`, enabled } })).id;
  const hosts = { a: await host("host-a"), b: await host("host-b"), off: await host("host-off", false) };
  return { series, people, items, hosts, last };
}

/**
 * Stored reads of one host as the compacted history keeps them: hourly from `fromMs`,
 * every 10 minutes over the last day, up to `toMs`.
 */
export async function storeReads(
  db: Db,
  hostId: string,
  fromMs: number,
  toMs: number,
  deps: (at: number) => Record<string, number>,
  opts: { ok?: (at: number) => boolean; vms?: number } = {},
): Promise<void> {
  const rows = [];
  for (let t = fromMs; t <= toMs; t += toMs - t > D ? H : 10 * 60_000) {
    const ok = opts.ok ? opts.ok(t) : true;
    rows.push({
      hostId,
      takenAt: new Date(t),
      ok,
      error: ok ? null : "xenstored: connection refused",
      vmCount: ok ? (opts.vms ?? 40) : 0,
      deprivCount: 0,
      dependencies: JSON.stringify(ok ? deps(t) : {}),
    });
  }
  for (let i = 0; i < rows.length; i += 500) await db.hostSample.createMany({ data: rows.slice(i, i + 500) });
}
