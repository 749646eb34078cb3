/**
 * A simulator lab as hosts (both providers): every host of a running lab registered from its
 * hosts.json in one step (again: nothing new; a name clash: nothing at all), the quick start's
 * lab (DMBOARD_SIM_HOSTS) registered on first start, and the collector reading them all.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/hosts/lab.test.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/db/errors";
import { startSimLab, type SimLab } from "@/lib/devmodel/sim";
import { Collector } from "@/lib/hosts/collector";
import { fleetOverview, listVms } from "@/lib/hosts/fleet";
import { ensureEmbeddedSimHost, loadHostConfigs } from "@/lib/hosts/hosts";
import { labRegistrationSchema, registerLab } from "@/lib/hosts/lab";
import { setupTestDb, type TestDb } from "../harness";

let t: TestDb;
let lab: SimLab;
let work: string;
const actor = { userId: null, label: "test@dmboard.local" };

beforeAll(async () => {
  t = await setupTestDb();
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dmb-lab-"));
  lab = await startSimLab({ dir: path.join(work, "lab"), hosts: 3, vms: 3, seed: 5 });
});
afterAll(async () => {
  await lab?.stop();
  fs.rmSync(work, { recursive: true, force: true });
  await t?.cleanup();
});

async function domainError(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe("registering a simulator lab", () => {
  it("creates every host of the manifest once, reached through the lab's own sockets, audited", async () => {
    const input = labRegistrationSchema.parse({ manifest: lab.manifestPath, prefix: "lab-", pollIntervalSec: "7" });
    expect(await registerLab(actor, input, t.db)).toEqual({ created: ["lab-host-01", "lab-host-02", "lab-host-03"], existing: [] });
    const hosts = (await loadHostConfigs(t.db)).filter((h) => h.name.startsWith("lab-"));
    expect(hosts.map((h) => [h.name, h.xenstoredPath, h.pollIntervalSec, h.kind])).toEqual(
      lab.manifest.hosts.map((e) => [`lab-${e.name}`, e.xenstoredPath, 7, "local"]),
    );
    const audited = await t.db.auditEvent.findMany({ where: { entity: "host", action: "create" } });
    expect(audited.filter((a) => JSON.parse(a.detail).lab === lab.manifestPath)).toHaveLength(3);
    // Once more: nothing new.
    expect(await registerLab(actor, input, t.db)).toEqual({ created: [], existing: ["lab-host-01", "lab-host-02", "lab-host-03"] });
  });

  it("refuses what is not a lab, and names taken by hosts reached elsewhere (creating none)", async () => {
    const missing = await domainError(registerLab(actor, labRegistrationSchema.parse({ manifest: path.join(work, "none.json") }), t.db));
    expect(missing.fieldErrors?.manifest?.[0]).toMatch(/does not exist/);
    const bogus = path.join(work, "bogus.json");
    fs.writeFileSync(bogus, JSON.stringify({ format: "something else" }));
    expect((await domainError(registerLab(actor, labRegistrationSchema.parse({ manifest: bogus }), t.db))).message).toMatch(/not a simulator lab manifest/);
    expect(labRegistrationSchema.safeParse({ manifest: "relative/hosts.json" }).success).toBe(false);
    expect(labRegistrationSchema.safeParse({ manifest: "/x/hosts.json", prefix: "a b" }).success).toBe(false);

    await t.db.host.create({ data: { name: "other-host-02", kind: "local", xenstoredPath: "/elsewhere/socket", qmpDir: "/elsewhere", procRoot: "/proc" } });
    const before = await t.db.host.count();
    const clash = await domainError(registerLab(actor, labRegistrationSchema.parse({ manifest: lab.manifestPath, prefix: "other-" }), t.db));
    expect(clash.fieldErrors?.prefix).toBeDefined();
    expect(await t.db.host.count()).toBe(before);
  });

  it("the collector reads every lab host, and the fleet aggregates them with a per-host filter", async () => {
    const hosts = (await loadHostConfigs(t.db)).filter((h) => h.name.startsWith("lab-"));
    const c = new Collector({ watch: false });
    try {
      c.setHosts(hosts);
      await c.ready(20_000);
      const states = c.states();
      expect(states.map((s) => s.status)).toEqual(["ok", "ok", "ok"]);
      const o = fleetOverview(states);
      expect(o.vmCount).toBe(states.reduce((n, s) => n + s.analysis!.summary.vmCount, 0));
      expect(o.hosts.map((h) => h.name)).toEqual(["lab-host-01", "lab-host-02", "lab-host-03"]);
      const one = listVms(states, { host: "lab-host-02" });
      expect(one.total).toBeGreaterThan(0);
      expect(new Set(one.rows.map((r) => r.hostName))).toEqual(new Set(["lab-host-02"]));
      expect(listVms(states).total).toBe(states.reduce((n, s) => n + listVms([s]).total, 0));
    } finally {
      await c.stop();
    }
  });
});

describe("the quick start's lab", () => {
  it("DMBOARD_SIM_HOSTS=3 registers host-01 … host-03 under <data>/sim-lab on an empty install", async () => {
    const fresh = await setupTestDb();
    try {
      const dataDir = path.join(work, "data");
      const env = { ...process.env, DMBOARD_DATA_DIR: dataDir, DMBOARD_SIM_HOSTS: "3", DMBOARD_SIM: "on" };
      expect(await ensureEmbeddedSimHost(fresh.db, env)).toBe(true);
      const hosts = await loadHostConfigs(fresh.db);
      expect(hosts.map((h) => [h.name, h.xenstoredPath])).toEqual(
        ["host-01", "host-02", "host-03"].map((n) => [n, path.join(dataDir, "sim-lab", n, "xenstored.sock")]),
      );
      // Not again once hosts exist.
      expect(await ensureEmbeddedSimHost(fresh.db, env)).toBe(false);
    } finally {
      await fresh.cleanup();
    }
  });
});
