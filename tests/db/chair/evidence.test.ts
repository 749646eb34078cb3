import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeByEvidence, linkDependency, unlinkDependency } from "@/lib/evidence/commands";
import { evidenceForItems, itemEvidencePanel } from "@/lib/evidence/reads";
import { fleetHistory } from "@/lib/hosts/history";
import { listRules, updateRule } from "@/lib/hosts/rules";
import { getItem } from "@/lib/items/reads";
import type { TopicSlug } from "@/lib/topics/catalog";
import { setupTestDb, type TestDb } from "../harness";
import { D, editor, H, NOW, seedChair, storeReads } from "./fixtures";

describe("items closed by the fleet's evidence", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedChair>>;
  const start = NOW.getTime() - 30 * D;
  const end = NOW.getTime() - 5 * 60_000;
  const physmapGone = NOW.getTime() - 10 * D;
  const logdirtyGone = NOW.getTime() - 3 * D;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedChair(t.db);
    // physmap left host-a 10 days ago and log-dirty 3 days ago; host-b never had either.
    await storeReads(t.db, g.hosts.a, start, end, (at) => ({ ...(at < physmapGone && { physmap: 3 }), ...(at < logdirtyGone && { "trad-logdirty": 1 }) }));
    await storeReads(t.db, g.hosts.b, start, end, () => ({}), { vms: 25 });
  });
  afterAll(() => t.cleanup());

  it("reads the fleet's history through lib/hosts/history: every host, its reads in range plus the last one before", async () => {
    const h = await fleetHistory({ from: new Date(NOW.getTime() - 2 * D), to: NOW }, t.db);
    expect(h.map((x) => [x.host.name, x.host.enabled])).toEqual([
      ["host-a", true],
      ["host-b", true],
      ["host-off", false],
    ]);
    const a = h[0].reads;
    expect(a[0].at.getTime()).toBeLessThan(NOW.getTime() - 2 * D);
    expect(a.slice(1).every((r) => r.at.getTime() >= NOW.getTime() - 2 * D)).toBe(true);
    expect(h[2].reads).toEqual([]);
  });

  it("an item links the blocker rules it retires, its topics' rules suggested first; informational and unknown rules are refused", async () => {
    await expect(linkDependency(g.items.physmap, "console-tty", editor, t.db)).rejects.toMatchObject({ code: "INVALID" });
    await expect(linkDependency(g.items.physmap, "no-such-rule", editor, t.db)).rejects.toMatchObject({ code: "INVALID" });
    const before = await itemEvidencePanel(g.items.physmap, { now: NOW }, t.db);
    expect(before!.evidence.state).toBe("unlinked");
    expect(before!.choices[0]).toMatchObject({ id: "physmap", suggested: true });
    await linkDependency(g.items.physmap, "physmap", editor, t.db);
    await linkDependency(g.items.physmap, "physmap", editor, t.db);
    const p = await itemEvidencePanel(g.items.physmap, { now: NOW }, t.db);
    expect(p!.linked.map((l) => l.id)).toEqual(["physmap"]);
    expect(p!.choices.map((c) => c.id)).not.toContain("physmap");
    expect((await getItem(g.items.physmap, {}, t.db))!.history.map((h) => h.summary)).toContain("retires dependency: physmap");
  });

  it("says so with the evidence (first read without it, hosts and VMs covered); the agenda gets the same; nothing closes by itself", async () => {
    const e = (await itemEvidencePanel(g.items.physmap, { now: NOW }, t.db))!.evidence;
    expect(e.state).toBe("free");
    expect(e.freeSince).toBe(new Date(physmapGone).toISOString());
    expect(e.hosts.map((h) => [h.name, h.vmCount, h.gaps.length])).toEqual([
      ["host-a", 40, 0],
      ["host-b", 25, 0],
    ]);
    expect(e.vmCount).toBe(65);
    expect(e.notes).toContain("Not watched (disabled): host-off.");
    const agenda = await evidenceForItems([g.items.physmap, g.items.dmop], { now: NOW }, t.db);
    expect([...agenda.keys()]).toEqual([g.items.physmap]);
    expect(agenda.get(g.items.physmap)!.state).toBe("free");
    expect((await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.physmap } })).status).toBe("open");
  });

  it("gone for 3 days only: waiting, with the day the 7 days are complete", async () => {
    await linkDependency(g.items.logdirty, "trad-logdirty", editor, t.db);
    const e = (await itemEvidencePanel(g.items.logdirty, { now: NOW }, t.db))!.evidence;
    expect(e.state).toBe("waiting");
    expect(e.readyAt).toBe(new Date(logdirtyGone + 7 * D).toISOString());
    await expect(closeByEvidence(g.items.logdirty, 1, editor, { now: NOW }, t.db)).rejects.toMatchObject({ code: "INVALID" });
  });

  it("a host that was down for 5 hours in the period is not free of it: no evidence, and the close is refused", async () => {
    const from = new Date(NOW.getTime() - 2 * D);
    const to = new Date(from.getTime() + 5 * H);
    await t.db.hostSample.deleteMany({ where: { hostId: g.hosts.b, takenAt: { gt: from, lt: to } } });
    await storeReads(t.db, g.hosts.b, from.getTime() + 10 * 60_000, to.getTime() - 10 * 60_000, () => ({}), { ok: () => false });
    const e = (await itemEvidencePanel(g.items.physmap, { now: NOW }, t.db))!.evidence;
    expect(e.state).toBe("insufficient");
    expect(e.problems.join("\n")).toMatch(/^host-b: down from /m);
    await expect(closeByEvidence(g.items.physmap, 1, editor, { now: NOW }, t.db)).rejects.toMatchObject({ code: "INVALID" });
    expect((await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.physmap } })).status).toBe("open");
    // The host back in the history for those hours: evidence again.
    await t.db.hostSample.deleteMany({ where: { hostId: g.hosts.b, takenAt: { gt: from, lt: to } } });
    await storeReads(t.db, g.hosts.b, from.getTime() + 10 * 60_000, to.getTime() - 10 * 60_000, () => ({}), { vms: 25 });
    expect((await itemEvidencePanel(g.items.physmap, { now: NOW }, t.db))!.evidence.state).toBe("free");
  });

  it("an editor closes it in one step; the evidence is kept in the item's history", async () => {
    await expect(closeByEvidence(g.items.physmap, 7, editor, { now: NOW }, t.db)).rejects.toMatchObject({ code: "CONFLICT" });
    const r = await closeByEvidence(g.items.physmap, 1, editor, { now: NOW }, t.db);
    expect(r.version).toBe(2);
    const item = await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.physmap } });
    expect([item.status, item.closedAt?.toISOString(), item.version]).toEqual(["done", NOW.toISOString(), 2]);
    const detail = await getItem(g.items.physmap, {}, t.db);
    expect(detail!.history[0].summary).toMatch(/^closed as done on the fleet's evidence: physmap: gone from every VM on 2 hosts \(65 VMs\) since/);
    const kept = (await itemEvidencePanel(g.items.physmap, { now: NOW }, t.db))!.kept!;
    expect(kept.actor).toBe(editor.email);
    expect(kept.evidence.hosts.map((h) => h.name)).toEqual(["host-a", "host-b"]);
    expect(kept.evidence.freeSince).toBe(new Date(physmapGone).toISOString());
    await expect(closeByEvidence(g.items.physmap, 2, editor, { now: NOW }, t.db)).rejects.toMatchObject({ code: "INVALID" });
  });

  it("an admin's change to a linked rule restarts the 7 days", async () => {
    await linkDependency(g.items.dmop, "trad-command", editor, t.db);
    expect((await itemEvidencePanel(g.items.dmop, { now: NOW }, t.db))!.evidence.state).toBe("free");
    const rule = (await listRules(t.db)).find((r) => r.id === "trad-command")!;
    await updateRule(
      { userId: null, label: "admin@example.org" },
      rule.rowId,
      rule.version,
      {
        id: rule.id,
        pattern: rule.pattern,
        dependency: rule.dependency,
        topic: rule.topic as TopicSlug,
        description: rule.description,
        severity: "blocker",
        position: rule.position,
        enabled: true,
      },
      t.db,
    );
    // The edit as if made yesterday (the fixture's clock is fixed).
    const yesterday = new Date(NOW.getTime() - D);
    await t.db.auditEvent.updateMany({ where: { entity: "xsRule", entityId: rule.rowId }, data: { at: yesterday } });
    const e = (await itemEvidencePanel(g.items.dmop, { now: NOW }, t.db))!.evidence;
    expect(e.state).toBe("waiting");
    expect(e.readyAt).toBe(new Date(yesterday.getTime() + 7 * D).toISOString());
    expect(e.problems[0]).toMatch(/^A linked rule was changed/);
    await unlinkDependency(g.items.dmop, "trad-command", editor, t.db);
    expect((await itemEvidencePanel(g.items.dmop, { now: NOW }, t.db))!.evidence.state).toBe("unlinked");
  });
});
