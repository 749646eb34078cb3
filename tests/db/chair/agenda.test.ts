import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAgenda, type AgendaDraft } from "@/lib/agenda/draft";
import { agendaStart, inAgendaOrder } from "@/lib/agenda/reads";
import { renderAgendaText } from "@/lib/agenda/text";
import { recordUnclassified, unclassifiedNow } from "@/lib/agenda/unclassified";
import { saveSchedule } from "@/lib/calendar/commands";
import { linkDependency } from "@/lib/evidence/commands";
import { setupTestDb, type TestDb } from "../harness";
import { D, editor, H, NOW, seedChair, storeReads } from "./fixtures";

const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
/** The last meeting: Wednesday 4 June 2025, 15:00 London (14:00Z). */
const LAST = new Date("2025-06-04T14:00:00Z");

describe("the draft agenda", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedChair>>;
  let draft: AgendaDraft;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedChair(t.db);
    await saveSchedule(
      {
        seriesId: g.series.id,
        version: 0,
        frequency: "weekly",
        interval: 2,
        weekday: 3,
        startsOn: "2025-06-04",
        time: "15:00",
        timeZone: "Europe/London",
        durationMinutes: 60,
        location: "https://meet.example.org/qemu-wg",
      },
      editor,
      t.db,
    );
    // physmap on 7 VMs at the last meeting (5 on host-a, 2 on host-b), on 3 now (host-a).
    await storeReads(t.db, g.hosts.a, NOW.getTime() - 20 * D, NOW.getTime() - 60_000, (at) => ({ physmap: at < LAST.getTime() + H ? 5 : 3, "dm-state": 40 }));
    await storeReads(
      t.db,
      g.hosts.b,
      NOW.getTime() - 20 * D,
      NOW.getTime() - 60_000,
      (at) => ({ ...(at < LAST.getTime() + H && { physmap: 2 }), "dm-state": 25 }),
      { vms: 25 },
    );
    // Unclassified keys: one seen before the last meeting, two since, one gone.
    const p = (pattern: string, vmCount = 1) => ({ pattern, vmCount });
    await recordUnclassified(
      [{ hostId: g.hosts.a, at: new Date("2025-05-20T10:00:00Z"), patterns: [p("/local/domain/<g>/old-key", 4), p("/local/domain/<g>/gone-key")] }],
      t.db,
    );
    await recordUnclassified(
      [{ hostId: g.hosts.a, at: new Date("2025-06-10T10:00:00Z"), patterns: [p("/local/domain/<g>/old-key", 4), p("/local/domain/<g>/new-a", 2)] }],
      t.db,
    );
    await recordUnclassified(
      [{ hostId: g.hosts.b, at: new Date("2025-06-12T10:00:00Z"), patterns: [p("/local/domain/<g>/new-b", 1), p("/local/domain/<g>/old-key", 1)] }],
      t.db,
    );
    await linkDependency(g.items.logdirty, "trad-logdirty", editor, t.db);
    draft = await buildAgenda({ series: "qemu-wg", now: NOW }, t.db);
  });
  afterAll(() => t.cleanup());

  it("is for the series' next meeting, at its local time", () => {
    expect(draft.date).toBe("2025-06-18");
    expect(draft.when).toMatchObject({
      start: "2025-06-18T14:00:00.000Z",
      label: "Wednesday 18 June 2025, 15:00 BST",
      location: "https://meet.example.org/qemu-wg",
    });
    expect(draft.lastMeeting?.date).toBe("2025-06-04");
    expect(draft.fleet.wasAt).toBe(LAST.toISOString());
  });

  it("groups the open items by owner, with target, due or overdue, the last review note and the evidence", () => {
    expect(draft.groups.map((gr) => [gr.label, gr.items.map((i) => i.text.split(" ").slice(0, 3).join(" "))])).toEqual([
      ["Andrew Cooper", ["Andrew to double"]],
      ["Andrew Cooper, Paul Durrant", ["Paul and Andrew"]],
      ["Igor Druzhinin", ["Igor to implement", "Igor to move"]],
    ]);
    const [physmap, logdirty] = draft.groups[2].items;
    expect(physmap).toMatchObject({
      target: "Xen 4.21",
      dueDate: "2025-06-10",
      overdue: true,
      lastReview: { outcome: "progress", note: "RFC posted, v2 next week", meetingDate: "2025-06-04" },
      evidence: null,
    });
    expect(logdirty.evidence?.state).toBe("free");
    expect(draft.groups[0].items[0]).toMatchObject({ dueDate: "2025-06-18", overdue: false, dueByMeeting: true });
  });

  it("gives each topic what the fleet measures now and at the last meeting, and the unclassified keys new since", () => {
    const physmap = draft.topics.find((tp) => tp.slug === "physmap-keys")!;
    expect(physmap).toMatchObject({ openItems: 1, measures: [{ ruleId: "physmap", now: 3, was: 7 }] });
    const xs = draft.topics.find((tp) => tp.slug === "xenstore-removal")!;
    expect(xs.measures).toEqual([expect.objectContaining({ ruleId: "dm-state", now: 65, was: 65 })]);
    expect(xs.unclassified).toEqual({
      recorded: true,
      keys: 3,
      new: [
        { pattern: "/local/domain/<g>/new-a", vmCount: 2 },
        { pattern: "/local/domain/<g>/new-b", vmCount: 1 },
      ],
    });
    expect(draft.topics.map((tp) => tp.slug)).not.toContain("vnc-clipboard");
  });

  it("renders the plain text with those numbers", () => {
    const text = renderAgendaText(draft);
    expect(text).toContain("  - physmap (VRAM physmap records): 3 VMs, was 7.\n");
    expect(text.replace(/\n\s+/g, " ")).toContain(
      "unclassified XenStore uses: 3 keys, 2 new since the last meeting: /local/domain/<g>/new-a (2 VMs), /local/domain/<g>/new-b (1 VM).",
    );
    expect(text).toContain("Igor Druzhinin:\n* Igor to implement the new physmap mechanism in QEMU.\n");
  });

  it("knows the keys that are gone", async () => {
    const now = await unclassifiedNow(t.db);
    expect(now.patterns.map((x) => [x.pattern, x.vmCount, x.hosts])).toEqual([
      ["/local/domain/<g>/old-key", 5, 2],
      ["/local/domain/<g>/new-a", 2, 1],
      ["/local/domain/<g>/new-b", 1, 1],
    ]);
  });

  it("starts a meeting's guided review with the agenda's items, in its order", async () => {
    const start = await agendaStart("qemu-wg", "2025-06-18", { now: NOW }, t.db);
    expect(start.itemOrder).toEqual([g.items.dmop, g.items.hotplug, g.items.physmap, g.items.logdirty]);
    expect(start.date).toBe("2025-06-18");
    expect(start.title).toBe("QEMU WG meeting 18th June 2025");
    expect(start.topicIds.length).toBe(draft.topics.length);
    const reordered = inAgendaOrder([{ id: "other" }, { id: g.items.logdirty }, { id: g.items.dmop }], start.itemOrder);
    expect(reordered.map((x) => x.id)).toEqual([g.items.dmop, g.items.logdirty, "other"]);
  });

  it("npm run agenda prints the same draft as the page (one code path), and says what is wrong", async () => {
    const env = { ...process.env, DATABASE_URL: t.provider === "sqlite" ? `file:${t.config.url}` : t.config.url, LOG_LEVEL: "silent" };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "agenda.ts"), ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
    // Both drafted as of one moment (--at), however long the CLI takes to start on a loaded machine.
    const at = new Date();
    const out = run("--series", "qemu-wg", "--date", "2025-06-18", "--at", at.toISOString());
    expect(out.stderr).toBe("");
    expect(out.status).toBe(0);
    const expected = renderAgendaText(await buildAgenda({ series: "qemu-wg", date: "2025-06-18", now: at }, t.db));
    expect(out.stdout).toBe(expected);
    expect(run("--series", "nope").status).toBe(1);
    const bad = run("--date", "2025-02-30");
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining("This date does not exist")]);
    const badAt = run("--at", "yesterday");
    expect([badAt.status, badAt.stderr]).toEqual([2, expect.stringContaining("--at: an ISO 8601 time")]);
  }, 180_000); // four CLI processes, each starting tsx: slow on a loaded machine
});
