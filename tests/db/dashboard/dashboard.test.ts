/**
 * The dashboard's database side is one read (lib/dashboard/reads.ts), on both providers.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/dashboard
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardData } from "@/lib/dashboard/reads";
import { setupTestDb, type TestDb } from "../harness";
import { NOW, seedItems } from "../items/fixtures";

describe("dashboard read", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedItems>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedItems(t.db);
    const host = await t.db.host.create({ data: { name: "dom0", kind: "local", xenstoredPath: "/x", qmpDir: "/x", procRoot: "/x", pollIntervalSec: 30, enabled: true } });
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

  it("counts, the blocker topics' open items, my items, the next meeting and a week of history", async () => {
    const d = await dashboardData({ userId: "u-jenny", blockerTopics: ["physmap-keys", "physmap-keys", "no-such-topic"], now: new Date("2017-05-20T09:00:00Z") }, t.db);
    expect(d.meetingCount).toBe(2);
    expect(d.openItemCount).toBe(4); // open, in progress and blocked, every series
    expect([...d.topicItems.keys()]).toEqual(["physmap-keys"]);
    expect(d.topicItems.get("physmap-keys")!.items.map((i) => i.id)).toEqual([g.items.physmap]);
    expect(d.mine!.map((i) => i.id).sort()).toEqual([g.items.jira, g.items.restrict].sort());
    expect(d.meeting).toMatchObject({ title: "WG 24 May", upcoming: true });
  });

  it("the latest meeting when none is planned; no items for an account linked to nobody", async () => {
    const d = await dashboardData({ userId: "u-nobody", blockerTopics: [], now: NOW }, t.db);
    expect(d.meeting).toMatchObject({ title: "WG 24 May", upcoming: false });
    expect(d.mine).toBeNull();
    expect(d.topicItems.size).toBe(0);
    // The week before NOW: three samples (a bad row counts, with no dependencies), oldest first.
    expect(d.chart.map((p) => p.deprivCount)).toEqual([2, 4, 6]);
    expect(d.chart.map((p) => p.dependencies)).toEqual([{ physmap: 8 }, {}, { physmap: 4 }]);
  });
});
