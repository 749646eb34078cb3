/**
 * Hosts, rules and stored samples on a real database (both providers):
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/hosts
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_XS_RULES, type HostAnalysis } from "@/lib/devmodel/analysis";
import { seedReferenceData } from "@/lib/db/seed";
import { DomainError } from "@/lib/db/errors";
import { createHost, deleteHost, ensureEmbeddedSimHost, loadHostConfigs, updateHost } from "@/lib/hosts/hosts";
import { compactHost, DbSink } from "@/lib/hosts/persist";
import { createRule, listRules, loadActiveRules, seedXsRules, setRuleEnabled, updateRule } from "@/lib/hosts/rules";
import { hostInputSchema, ruleInputSchema } from "@/lib/hosts/schemas";
import type { HostConfig } from "@/lib/hosts/types";
import { setupTestDb, type TestDb } from "../harness";

let t: TestDb;
const actor = { userId: null, label: "test@dmboard.local" };

beforeAll(async () => {
  t = await setupTestDb();
  process.env.DMBOARD_SIM = "off";
  await seedReferenceData(t.db);
});
afterAll(async () => {
  delete process.env.DMBOARD_SIM;
  await t?.cleanup();
});

const localHost = (over: Record<string, unknown> = {}) =>
  hostInputSchema.parse({
    name: "dom0-a",
    kind: "local",
    xenstoredPath: "/var/run/xenstored/socket",
    qmpDir: "/var/run/xen",
    procRoot: "/proc",
    pollIntervalSec: "30",
    enabled: "on",
    ...over,
  });

async function expectDomainError(p: Promise<unknown>, code: string): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe(code);
  return err as DomainError;
}

describe("hosts", () => {
  it("validates what the form submits", () => {
    const bad = hostInputSchema.safeParse({ name: "", kind: "local", xenstoredPath: "relative/sock", qmpDir: "", procRoot: "/proc", pollIntervalSec: "1" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => i.path.join(".")));
    expect([...fields].sort()).toEqual(["name", "pollIntervalSec", "qmpDir", "xenstoredPath"]);
    // A simulated host needs no paths: the server fills in the embedded simulator's.
    expect(hostInputSchema.safeParse({ name: "sim", kind: "sim", pollIntervalSec: 10 }).success).toBe(true);
    expect(hostInputSchema.safeParse({ name: "x", kind: "remote", pollIntervalSec: 10 }).success).toBe(false);
  });

  it("creates, refuses a duplicate name, updates with optimistic concurrency, deletes — each audited", async () => {
    const { id } = await createHost(actor, localHost(), t.db);
    const configs = await loadHostConfigs(t.db);
    expect(configs).toEqual([
      {
        id,
        name: "dom0-a",
        kind: "local",
        xenstoredPath: "/var/run/xenstored/socket",
        qmpDir: "/var/run/xen",
        procRoot: "/proc",
        pollIntervalSec: 30,
        enabled: true,
        // libxl's own QMP socket is not used unless the admin turns it on.
        libxlSocket: false,
      },
    ]);
    const dup = await expectDomainError(createHost(actor, localHost(), t.db), "INVALID");
    expect(dup.fieldErrors?.name?.[0]).toMatch(/exists/);

    const upd = await updateHost(actor, id, 1, localHost({ name: "dom0-b", pollIntervalSec: "15", enabled: undefined, libxlSocket: "on" }), t.db);
    expect(upd.version).toBe(2);
    const row = await t.db.host.findUniqueOrThrow({ where: { id } });
    expect([row.name, row.pollIntervalSec, row.enabled, row.libxlSocket]).toEqual(["dom0-b", 15, false, true]);
    expect((await loadHostConfigs(t.db))[0].libxlSocket).toBe(true);
    await expectDomainError(updateHost(actor, id, 1, localHost({ name: "dom0-c" }), t.db), "CONFLICT");
    expect((await t.db.host.findUniqueOrThrow({ where: { id } })).name).toBe("dom0-b");

    // A sim host's paths are the embedded simulator's, whatever was typed.
    const sim = await createHost(actor, hostInputSchema.parse({ name: "sim-1", kind: "sim", xenstoredPath: "/etc/passwd", pollIntervalSec: 10 }), t.db);
    const simRow = await t.db.host.findUniqueOrThrow({ where: { id: sim.id } });
    expect(simRow.xenstoredPath).toMatch(/sim\/xenstored\.sock$/);
    expect(simRow.procRoot).toMatch(/sim\/proc$/);

    await deleteHost(actor, id, t.db);
    await deleteHost(actor, sim.id, t.db);
    await expectDomainError(deleteHost(actor, id, t.db), "NOT_FOUND");
    const audits = await t.db.auditEvent.findMany({ where: { entity: "host", entityId: id }, orderBy: { at: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["create", "update", "delete"]);
    expect(audits[0].actorLabel).toBe("test@dmboard.local");
  });

  it("registers the embedded simulated host only when wanted and when there is no host", async () => {
    expect(await ensureEmbeddedSimHost(t.db, { ...process.env, DMBOARD_SIM: "off" })).toBe(false);
    expect(await t.db.host.count()).toBe(0);
    expect(await ensureEmbeddedSimHost(t.db, { ...process.env, DMBOARD_SIM: undefined })).toBe(true);
    const [h] = await loadHostConfigs(t.db);
    expect(h.kind).toBe("sim");
    expect(h.xenstoredPath).toMatch(/sim\/xenstored\.sock$/);
    expect(await ensureEmbeddedSimHost(t.db, { ...process.env, DMBOARD_SIM: undefined })).toBe(false);
    expect(await t.db.host.count()).toBe(1);
    await t.db.host.deleteMany({});
  });
});

describe("XenStore-use rules", () => {
  it("seeds the reference rules in order with their topics, once", async () => {
    const rows = await listRules(t.db);
    expect(rows.map((r) => r.id)).toEqual(DEFAULT_XS_RULES.map((r) => r.id));
    for (const [i, r] of DEFAULT_XS_RULES.entries()) {
      expect(rows[i].topic).toBe(r.topic);
      expect(rows[i].pattern).toBe(r.pattern);
      expect(rows[i].problem).toBeNull();
    }
    expect(await seedXsRules(t.db)).toBe(0);
    expect(await loadActiveRules(t.db)).toEqual(DEFAULT_XS_RULES.map((r) => ({ ...r })));
  });

  it("edits with validation and concurrency; disabled rules leave the analysis; edits survive a re-seed", async () => {
    const bad = ruleInputSchema.safeParse({
      id: "x",
      pattern: "local/domain/**/[",
      dependency: "d",
      topic: "physmap-keys",
      description: "d",
      severity: "blocker",
      position: 5,
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.some((i) => i.path[0] === "pattern")).toBe(true);
    expect(
      ruleInputSchema.safeParse({
        id: "x",
        pattern: "/local/domain/<g>/x",
        dependency: "d",
        topic: "no-such-topic",
        description: "d",
        severity: "blocker",
        position: 5,
      }).success,
    ).toBe(false);

    const physmap = (await listRules(t.db)).find((r) => r.id === "physmap")!;
    const input = ruleInputSchema.parse({
      id: "physmap",
      pattern: physmap.pattern,
      dependency: "VRAM physmap (edited)",
      topic: "physmap-keys",
      description: physmap.description,
      severity: "blocker",
      position: physmap.position,
      enabled: "on",
    });
    await updateRule(actor, physmap.rowId, physmap.version, input, t.db);
    await expectDomainError(updateRule(actor, physmap.rowId, physmap.version, input, t.db), "CONFLICT");
    await setRuleEnabled(actor, physmap.rowId, physmap.version + 1, false, t.db);
    const active = await loadActiveRules(t.db);
    expect(active.map((r) => r.id)).not.toContain("physmap");
    expect(active).toHaveLength(DEFAULT_XS_RULES.length - 1);

    await seedXsRules(t.db);
    const after = (await listRules(t.db)).find((r) => r.id === "physmap")!;
    expect([after.dependency, after.enabled, after.version]).toEqual(["VRAM physmap (edited)", false, physmap.version + 2]);

    const created = await createRule(
      actor,
      ruleInputSchema.parse({
        id: "xs-custom",
        pattern: "/local/domain/<g>/data/custom/**",
        dependency: "custom agent",
        topic: "xenstore-removal",
        description: "a guest agent's keys",
        severity: "info",
        position: 5,
        enabled: "on",
      }),
      t.db,
    );
    const rows = await listRules(t.db);
    expect(rows[0].rowId).toBe(created.rowId);
    expect((await loadActiveRules(t.db))[0].id).toBe("xs-custom");
    await expectDomainError(
      createRule(
        actor,
        ruleInputSchema.parse({ id: "xs-custom", pattern: "/x", dependency: "d", topic: "xenstore-removal", description: "d", severity: "info", position: 1 }),
        t.db,
      ),
      "INVALID",
    );
    const audits = await t.db.auditEvent.findMany({ where: { entity: "xsRule" } });
    expect(audits.map((a) => a.action).sort()).toEqual(["create", "disable", "update"]);
  });
});

describe("a rule's topic must be a topic of the working group", () => {
  it("seeding a rule whose topic is missing from the topics is an error naming both, not a rule silently left out", async () => {
    const bare = await setupTestDb(); // migrated, no topics seeded
    try {
      const err = await seedXsRules(bare.db, DEFAULT_XS_RULES.slice(0, 2)).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toContain(`"${DEFAULT_XS_RULES[0].id}" (topic "${DEFAULT_XS_RULES[0].topic}")`);
      expect((err as Error).message).toMatch(/no such topic/);
      expect(await bare.db.xsRule.count()).toBe(0);
    } finally {
      await bare.cleanup();
    }
  });

  it("a stored rule without a topic says so on the rules page and stays out of the analysis", async () => {
    const row = await t.db.xsRule.create({
      data: {
        key: "orphan",
        pattern: "/local/domain/<g>/data/orphan",
        dependency: "d",
        description: "d",
        severity: "blocker",
        topicId: null,
        position: 1,
        enabled: true,
      },
    });
    const shown = (await listRules(t.db)).find((r) => r.rowId === row.id)!;
    expect(shown.problem).toBe("topic: none is set; choose the topic whose work retires this dependency");
    expect((await loadActiveRules(t.db)).map((r) => r.id)).not.toContain("orphan");
    await t.db.xsRule.delete({ where: { id: row.id } });
  });
});

describe("stored samples and events", () => {
  const analysis = (vmCount: number, deps: Record<string, number>): HostAnalysis =>
    ({
      takenAt: "",
      xenstoreOk: true,
      ruleCount: 1,
      vms: [],
      summary: { vmCount, deprivileged: 2, blockers: Object.entries(deps).map(([ruleId, n]) => ({ ruleId, vmCount: n })) },
    }) as unknown as HostAnalysis;

  it("stores one sample per minute (and every change of ok), the events, and compacts old samples", async () => {
    const { id } = await createHost(actor, localHost({ name: "samples" }), t.db);
    const host: HostConfig = (await loadHostConfigs(t.db)).find((h) => h.id === id)!;
    const sink = new DbSink(t.db);
    const base = Date.now() - 5 * 60_000;
    const read = (sec: number, ok: boolean, events: { domid: number; kind: "vm-started"; detail: string }[] = []) =>
      sink.record({
        host,
        at: new Date(base + sec * 1000),
        ok,
        error: ok ? null : "XenStore unreachable: ENOENT",
        analysis: ok ? analysis(10 + sec, { physmap: 3 }) : null,
        events,
      });
    read(0, true);
    read(20, true, [{ domid: 7, kind: "vm-started", detail: "web-7 started" }]);
    read(40, false);
    read(50, true);
    read(110, true);
    read(170, true);
    await sink.flush();
    const samples = await t.db.hostSample.findMany({ where: { hostId: id }, orderBy: { takenAt: "asc" } });
    expect(samples.map((s) => [Math.round((s.takenAt.getTime() - base) / 1000), s.ok])).toEqual([
      [0, true],
      [40, false],
      [50, true],
      [110, true],
      [170, true],
    ]);
    expect(JSON.parse(samples[0].dependencies)).toEqual({ physmap: 3 });
    expect(samples[1].error).toMatch(/unreachable/);
    const events = await t.db.vmEvent.findMany({ where: { hostId: id } });
    expect(events.map((e) => [e.domid, e.kind, e.detail])).toEqual([[7, "vm-started", "web-7 started"]]);

    // Two days of per-minute samples: compaction keeps the last 24 h, one per hour before.
    const old = Date.now() - 48 * 3600_000;
    await t.db.hostSample.createMany({
      data: Array.from({ length: 24 * 60 }, (_, i) => ({ hostId: id, takenAt: new Date(old + i * 60_000), ok: true, vmCount: 1 })),
    });
    const removed = await compactHost(t.db, id);
    expect(removed.samples).toBeGreaterThan(24 * 60 - 30);
    const left = await t.db.hostSample.findMany({ where: { hostId: id, takenAt: { lt: new Date(Date.now() - 24 * 3600_000) } } });
    const hours = new Set(left.map((s) => Math.floor(s.takenAt.getTime() / 3600_000)));
    expect(hours.size).toBe(left.length);
    expect(left.length).toBeGreaterThanOrEqual(24);
    expect((await compactHost(t.db, id)).samples).toBe(0);
  });
});
