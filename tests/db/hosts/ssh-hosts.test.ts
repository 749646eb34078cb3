/**
 * SSH hosts on a real database (both providers), against a real sshd in front of the simulator:
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/hosts/ssh-hosts.test.ts
 *
 * The form's schema, the stored columns (a key path, never a key), "Test connection" offering
 * the fingerprint on first contact, an admin accepting it (audited), a changed key refused until
 * the new one is accepted.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedReferenceData } from "@/lib/db/seed";
import { DomainError } from "@/lib/db/errors";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { createHost, loadHostConfigs, probeHost, updateHost } from "@/lib/hosts/hosts";
import { hostInputSchema } from "@/lib/hosts/schemas";
import { acceptHostKey } from "@/lib/hosts/ssh-hosts";
import { setupTestDb, type TestDb } from "../harness";
import { startSshd, type TestSshd } from "../../helpers/sshd";
import { simPaths, simTmpDir } from "../../devmodel/sim/tmp";

let t: TestDb;
let sshd: TestSshd;
let sim: SimHost;
let dir: string;
const actor = { userId: null, label: "admin@dmboard.local" };

beforeAll(async () => {
  dir = simTmpDir("sshdb");
  [t, sshd, sim] = await Promise.all([setupTestDb(), startSshd(), startSimHost({ vms: 4, seed: 41, ...simPaths(dir) })]);
  process.env.DMBOARD_SIM = "off";
  await seedReferenceData(t.db);
}, 60_000);
afterAll(async () => {
  delete process.env.DMBOARD_SIM;
  await sim?.stop();
  await sshd?.stop();
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sshInput = (over: Record<string, unknown> = {}) =>
  hostInputSchema.parse({
    name: "remote-dom0",
    kind: "ssh",
    sshTarget: sshd.target,
    sshIdentityPath: sshd.clientKey,
    xenstoredPath: sim.socket,
    qmpDir: sim.qmpDir,
    procRoot: sim.procDir,
    pollIntervalSec: "30",
    enabled: "on",
    ...over,
  });

describe("SSH hosts", () => {
  it("validates the SSH fields", () => {
    const bad = hostInputSchema.safeParse({
      name: "x",
      kind: "ssh",
      sshTarget: "no-at-sign",
      sshIdentityPath: "relative/key",
      xenstoredPath: "",
      qmpDir: "/q",
      procRoot: "/proc",
      pollIntervalSec: 30,
    });
    expect(bad.success).toBe(false);
    expect(new Set(bad.error!.issues.map((i) => i.path.join(".")))).toEqual(new Set(["sshTarget", "sshIdentityPath", "xenstoredPath"]));
    expect(hostInputSchema.safeParse({ ...sshInput(), sshHostKey: "md5:aa:bb" }).success).toBe(false);
    // Normalised: the default port is spelt out.
    expect(hostInputSchema.parse({ ...sshInput(), sshTarget: "root@dom0.example.org" }).sshTarget).toBe("root@dom0.example.org:22");
    expect(hostInputSchema.safeParse({ ...sshInput(), sshTarget: "root@bad host" }).success).toBe(false);
  });

  it("offers the fingerprint on first contact; an admin accepts it; a changed key is refused until accepted", async () => {
    const { id } = await createHost(actor, sshInput(), t.db);
    const [cfg] = await loadHostConfigs(t.db);
    expect(cfg).toMatchObject({ kind: "ssh", sshTarget: sshd.target, sshIdentityPath: sshd.clientKey, sshHostKey: null });
    // Only the path is stored: the key's text is nowhere in the row.
    const row = await t.db.host.findUniqueOrThrow({ where: { id } });
    const keyText = fs.readFileSync(sshd.clientKey, "utf8");
    expect(JSON.stringify(row)).not.toContain(keyText.split("\n")[1]);

    const first = await probeHost({ id }, actor, t.db);
    expect(first.verdict).toBe("fail");
    expect(first.hostKey).toMatchObject({ status: "unknown", offered: { fingerprint: sshd.hostKeyFingerprint }, pinned: null });
    expect(first.results[0].message).toContain(sshd.hostKeyFingerprint);

    await acceptHostKey(actor, id, sshd.hostKeyFingerprint, t.db);
    const ok = await probeHost({ id }, actor, t.db);
    expect(ok.results.map((r) => [r.protocol, r.verdict])).toEqual([
      ["ssh", "ok"],
      ["xenstore", "ok"],
      ["qmp", "ok"],
      ["procfs", expect.stringMatching(/ok|warn/)],
    ]);
    expect(ok.hostKey).toMatchObject({ status: "pinned" });

    // The dom0 is reinstalled: a new host key is refused, saying so.
    const old = sshd.hostKeyFingerprint;
    sshd.rotateHostKey();
    await sshd.kill();
    await sshd.start();
    expect(sshd.hostKeyFingerprint).not.toBe(old);
    const changed = await probeHost({ id }, actor, t.db);
    expect(changed.verdict).toBe("fail");
    expect(changed.hostKey).toMatchObject({ status: "changed", offered: { fingerprint: sshd.hostKeyFingerprint }, pinned: old });
    expect(changed.results[0].message).toMatch(/HAS CHANGED/);
    await acceptHostKey(actor, id, sshd.hostKeyFingerprint, t.db);
    expect((await probeHost({ id }, actor, t.db)).hostKey).toMatchObject({ status: "pinned" });

    const audits = await t.db.auditEvent.findMany({ where: { entity: "host", entityId: id }, orderBy: { at: "asc" } });
    expect(audits.map((a) => a.action).filter((a) => a === "accept-host-key")).toHaveLength(2);
    expect(audits.map((a) => a.action)).toContain("test-connection");
    for (const a of audits) expect(JSON.stringify(a)).not.toContain(keyText.split("\n")[1]);

    // Another target is another host: its key is not known, whatever the form carried.
    const cur = await t.db.host.findUniqueOrThrow({ where: { id } });
    await updateHost(actor, id, cur.version, sshInput({ sshTarget: `${sshd.user}@localhost:${sshd.port}`, sshHostKey: cur.sshHostKey }), t.db);
    expect((await t.db.host.findUniqueOrThrow({ where: { id } })).sshHostKey).toBeNull();
  });

  it("refuses a host key for a host that is not an SSH host", async () => {
    const { id } = await createHost(
      actor,
      hostInputSchema.parse({ name: "plain", kind: "local", xenstoredPath: "/x", qmpDir: "/y", procRoot: "/proc", pollIntervalSec: 30 }),
      t.db,
    );
    await expect(acceptHostKey(actor, id, sshd.hostKeyFingerprint, t.db)).rejects.toBeInstanceOf(DomainError);
  });
});
