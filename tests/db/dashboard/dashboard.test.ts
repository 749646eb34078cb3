/**
 * The dashboard's database side is one read (lib/dashboard/reads.ts), on both providers.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/dashboard
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetHistory, openItemsHistory } from "@/lib/dashboard/charts";
import { dashboardData } from "@/lib/dashboard/reads";
import { openItemsByTopic, TOPIC_ITEMS_SHOWN } from "@/lib/topics/reads";
import { setupTestDb, type TestDb } from "../harness";
import { NOW, seedItems } from "../items/fixtures";

describe("dashboard read", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedItems>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedItems(t.db);
    const host = await t.db.host.create({
      data: { name: "dom0", kind: "local", xenstoredPath: "/x", qmpDir: "/x", procRoot: "/x", pollIntervalSec: 30, enabled: true },
    });
    const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000);
    await t.db.hostSample.createMany({
      data: [
        { hostId: host.id, takenAt: at(30 * 24), ok: true, vmCount: 9, deprivCount: 0, dependencies: JSON.stringify({ physmap: 9 }) }, // older than the chart
        { hostId: host.id, takenAt: at(48), ok: true, vmCount: 10, deprivCount: 2, dependencies: JSON.stringify({ physmap: 8 }) },
        { hostId: host.id, takenAt: at(24), ok: true, vmCount: 10, deprivCount: 4, dependencies: "not json" },
        { hostId: host.id, takenAt: at(1), ok: true, vmCount: 10, deprivCount: 6, dependencies: JSON.stringify({ physmap: 4 }) },
      ],
    });
  });
  afterAll(() => t.cleanup());

  it("counts, the blocker topics' open items, my items and the next meeting", async () => {
    const d = await dashboardData(
      { userId: "u-jenny", blockerTopics: ["physmap-keys", "physmap-keys", "no-such-topic"], now: new Date("2017-05-20T09:00:00Z") },
      t.db,
    );
    expect(d.meetingCount).toBe(2);
    expect(d.openItemCount).toBe(4); // open, in progress and blocked, every series
    expect([...d.topicItems.keys()]).toEqual(["physmap-keys"]);
    expect(d.topicItems.get("physmap-keys")!.items.map((i) => i.id)).toEqual([g.items.physmap]);
    expect(d.mine!.map((i) => i.id).sort()).toEqual([g.items.jira, g.items.restrict].sort());
    expect(d.mineTotal).toBe(2);
    expect(d.meeting).toMatchObject({ title: "WG 24 May", upcoming: true });
  });

  it("the latest meeting when none is planned; no items for an account linked to nobody", async () => {
    const d = await dashboardData({ userId: "u-nobody", blockerTopics: [], now: NOW }, t.db);
    expect(d.meeting).toMatchObject({ title: "WG 24 May", upcoming: false });
    expect(d.mine).toBeNull();
    expect(d.topicItems.size).toBe(0);
  });

  it("the fleet over the chosen span, with the meetings held meanwhile", async () => {
    const week = await fleetHistory({ days: 7, now: NOW }, t.db);
    // Three samples (a bad row counts, with no dependencies), oldest first; none older than the span.
    expect(week.points.map((p) => p.deprivCount)).toEqual([2, 4, 6]);
    expect(week.points.map((p) => p.dependencies)).toEqual([{ physmap: 8 }, {}, { physmap: 4 }]);
    expect(week.rules).toEqual(["physmap"]);
    expect(week.meetings).toEqual([]);
    const month = await fleetHistory({ days: 30, now: NOW }, t.db);
    expect(month.points.map((p) => p.deprivCount)).toEqual([0, 2, 4, 6]);
    expect(month.meetings.map((m) => [m.date, m.title])).toEqual([
      ["2017-05-10", "WG 10 May"],
      ["2017-05-24", "WG 24 May"],
    ]);
  });

  it("open items over time: opened at their meeting, closed at the meeting whose review closed them", async () => {
    // Closed at the 24 May meeting, but its status was entered on 30 May: the meeting's date counts.
    const late = await t.db.actionItem.create({
      data: { text: "Andrew to check dm-op", status: "done", closedAt: new Date("2017-05-30T09:00:00Z"), seriesId: g.series.id, meetingId: g.meeting.id },
    });
    await t.db.review.create({ data: { meetingId: g.later.id, itemId: late.id, outcome: "done" } });
    const h = await openItemsHistory({ now: NOW }, t.db);
    expect(h.points).toEqual([
      { day: "2017-05-10", open: 7, opened: 7, closed: 0 },
      { day: "2017-05-24", open: 4, opened: 0, closed: 3 },
      { day: "2017-06-01", open: 4, opened: 0, closed: 0 },
    ]);
    expect(h.meetings.map((m) => m.title)).toEqual(["WG 10 May", "WG 24 May"]);

    // Kept while nothing changes (the same answer), and recomputed as soon as an item changes.
    expect(await openItemsHistory({ now: NOW }, t.db)).toEqual(h);
    await t.db.actionItem.update({ where: { id: late.id }, data: { status: "open", closedAt: null } });
    await t.db.review.deleteMany({ where: { itemId: late.id } });
    const after = await openItemsHistory({ now: NOW }, t.db);
    expect(after.points.at(-1)).toMatchObject({ open: 5 });
  });
});

describe("open items of a blocker topic on a large board", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedItems>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedItems(t.db);
  });
  afterAll(() => t.cleanup());

  it("lists the oldest few and counts the rest (a topic may hold thousands)", async () => {
    const first = await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.physmap }, select: { seriesId: true, createdAt: true } });
    const topic = await t.db.topic.findUniqueOrThrow({ where: { slug: "physmap-keys" }, select: { id: true } });
    for (let i = 1; i <= TOPIC_ITEMS_SHOWN + 5; i++) {
      await t.db.actionItem.create({
        data: {
          seriesId: first.seriesId,
          text: `physmap follow-up ${i}`,
          status: "open",
          createdAt: new Date(first.createdAt.getTime() + i * 60_000),
          topics: { create: { topicId: topic.id } },
        },
      });
    }
    const [one] = (await openItemsByTopic(["physmap-keys"], t.db)).values();
    expect(one.total).toBe(TOPIC_ITEMS_SHOWN + 6);
    expect(one.items).toHaveLength(TOPIC_ITEMS_SHOWN);
    // Oldest first: the seeded item, then the follow-ups in order.
    expect(one.items[0].id).toBe(g.items.physmap);
    expect(one.items.at(-1)!.text).toBe(`physmap follow-up ${TOPIC_ITEMS_SHOWN - 1}`);
  });

  it("lists the viewer's oldest few open items and counts the rest (a person may own thousands)", async () => {
    const before = await dashboardData({ userId: "u-jenny", blockerTopics: [] }, t.db);
    const person = await t.db.person.findUniqueOrThrow({ where: { userId: "u-jenny" }, select: { id: true } });
    const series = await t.db.series.findFirstOrThrow({ select: { id: true } });
    const start = Date.now() + 3_600_000;
    for (let i = 1; i <= TOPIC_ITEMS_SHOWN + 3; i++) {
      await t.db.actionItem.create({
        data: {
          seriesId: series.id,
          text: `jenny follow-up ${i}`,
          status: "open",
          createdAt: new Date(start + i * 60_000),
          owners: { create: { personId: person.id } },
        },
      });
    }
    const d = await dashboardData({ userId: "u-jenny", blockerTopics: [] }, t.db);
    expect(d.mineTotal).toBe(before.mineTotal + TOPIC_ITEMS_SHOWN + 3);
    expect(d.mine).toHaveLength(TOPIC_ITEMS_SHOWN);
    // Oldest first: what was there before, then the follow-ups in order.
    expect(d.mine!.slice(0, before.mine!.length).map((i) => i.id)).toEqual(before.mine!.map((i) => i.id));
    expect(d.mine!.at(-1)!.text).toBe(`jenny follow-up ${TOPIC_ITEMS_SHOWN - before.mine!.length}`);
  });
});
