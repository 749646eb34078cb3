/**
 * A lab of simulated dom0s in one process: the layout and manifest a test or the server
 * registers hosts from, hosts that differ, and a directory that is not a lab left alone.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { generateFleet, LAB_MANIFEST, readLabManifest, startSimLab, type FleetProfileName } from "@/lib/devmodel/sim";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { simTmpDir } from "./tmp";

const run = promisify(execFile);
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tmp(tag: string): string {
  const d = simTmpDir(tag);
  cleanup.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

const share = (kinds: string[], k: string) => kinds.filter((x) => x === k).length / kinds.length;

describe("startSimLab", () => {
  it("lays out N hosts under one directory with a manifest, each served on its own sockets and /proc", async () => {
    const dir = path.join(tmp("lab"), "lab");
    const lab = await startSimLab({ dir, hosts: 5, vms: 6, seed: 10, changeIntervalMs: 60_000 });
    cleanup.push(() => lab.stop());

    const m = readLabManifest(dir);
    expect(m).toEqual(lab.manifest);
    expect(m.pid).toBe(process.pid);
    expect(m.hosts.map((h) => [h.name, h.seed, h.profile])).toEqual([
      ["host-01", 10, "mixed"],
      ["host-02", 11, "depriv"],
      ["host-03", 12, "legacy"],
      ["host-04", 13, "pv-farm"],
      ["host-05", 14, "stubdom"],
    ]);
    expect(new Set(m.hosts.map((h) => h.hostname)).size).toBe(5);
    for (const h of m.hosts) {
      const home = path.join(dir, h.name);
      expect(h).toMatchObject({
        vms: 6,
        xenstoredPath: path.join(home, "xenstored.sock"),
        writerPath: path.join(home, "xenstored-writer.sock"),
        qmpDir: path.join(home, "qmp"),
        procRoot: path.join(home, "proc"),
      });
      expect(fs.statSync(h.xenstoredPath).isSocket()).toBe(true);
      expect(fs.statSync(h.writerPath).isSocket()).toBe(true);
    }
    // Change timers: one interval each, first changes spread over it, never two at once.
    const offsets = m.hosts.map((h) => h.changeOffsetMs);
    expect(offsets).toEqual([12_000, 24_000, 36_000, 48_000, 60_000]);

    // Each host is a dom0 of its own: Debian's client and the snapshot read what its fleet says.
    const names: string[][] = [];
    for (const { entry, host } of lab.hosts) {
      const ls = await run("xenstore-list", ["/local/domain"], { env: { ...process.env, XENSTORED_PATH: entry.xenstoredPath } });
      expect(ls.stdout.trim().split("\n")).toEqual(["0", ...host.fleet.guests.map((g) => String(g.domid))]);
      const snap = await takeSnapshot({ xenstored: entry.xenstoredPath, qmpDir: entry.qmpDir, procRoot: entry.procRoot, qmpTimeoutMs: 300 });
      expect(snap.domains.length).toBe(entry.domains + 1);
      names.push(snap.domains.map((d) => d.name ?? ""));
    }
    expect(new Set(names.map((n) => n.join())).size).toBe(5);

    // A write on one host's writer socket reaches that host only.
    const first = m.hosts[0];
    await run("xenstore-write", ["/local/domain/0/lab-note", "host-01 only"], { env: { ...process.env, XENSTORED_PATH: first.writerPath } });
    expect(lab.hosts[0].host.server.store.read("/local/domain/0/lab-note")).toBe("host-01 only");
    expect(lab.hosts[1].host.server.store.exists("/local/domain/0/lab-note")).toBe(false);

    await lab.stop();
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("refuses a directory that is not a lab, and a lab another live simulator serves", async () => {
    const base = tmp("labref");
    const notLab = path.join(base, "checkout");
    fs.mkdirSync(notLab);
    fs.writeFileSync(path.join(notLab, "README.md"), "keep me");
    await expect(startSimLab({ dir: notLab, hosts: 2, vms: 1, seed: 1 })).rejects.toThrow(/not a simulator lab/);
    expect(fs.readdirSync(notLab)).toEqual(["README.md"]);

    const busy = path.join(base, "busy");
    fs.mkdirSync(busy);
    const other = { format: "dmboard-sim-lab/1", pid: process.ppid, startedAt: new Date().toISOString(), dir: busy, hosts: [] };
    fs.writeFileSync(path.join(busy, LAB_MANIFEST), JSON.stringify(other));
    await expect(startSimLab({ dir: busy, hosts: 1, vms: 1, seed: 1 })).rejects.toThrow(`served by another simulator (pid ${process.ppid})`);
    expect(fs.readdirSync(busy)).toEqual([LAB_MANIFEST]);
  });
});

describe("fleet profiles", () => {
  it('"mixed" is the fleet a host alone gets; the others differ in what runs and how deprivileged', () => {
    const alone = generateFleet({ vms: 60, seed: 4 });
    expect(JSON.stringify(generateFleet({ vms: 60, seed: 4, profile: "mixed" }))).toBe(JSON.stringify(alone));

    const kinds = (profile: FleetProfileName) =>
      generateFleet({ vms: 300, seed: 4, profile })
        .guests.filter((g) => g.kind !== "stubdom")
        .map((g) => g.kind as string);
    const depriv = kinds("depriv");
    const legacy = kinds("legacy");
    const pvFarm = kinds("pv-farm");
    const stub = kinds("stubdom");
    expect(share(depriv, "hvm-depriv")).toBeGreaterThan(0.5);
    expect(share(legacy, "hvm-depriv")).toBeLessThan(0.05);
    expect(share(legacy, "hvm-root") + share(legacy, "hvm-trad")).toBeGreaterThan(0.45);
    expect(share(pvFarm, "pv") + share(pvFarm, "pv-qemu")).toBeGreaterThan(0.75);
    expect(share(stub, "hvm-stubdom")).toBeGreaterThan(0.3);
    const physmap = (profile: FleetProfileName) => generateFleet({ vms: 300, seed: 4, profile }).guests.filter((g) => g.traits.physmap).length;
    expect(physmap("legacy")).toBeGreaterThan(physmap("depriv"));
    expect(physmap("depriv")).toBeLessThanOrEqual(2); // at most the two special cases, when drawn
  });
});
