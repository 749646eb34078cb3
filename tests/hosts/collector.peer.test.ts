/**
 * The collector against a real simulated host in process (xenstored + QMP + fake /proc on
 * temp sockets): watch-triggered refresh, and hosts that are dead or hung delaying no one.
 */
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { Collector, type ReadRecord } from "@/lib/hosts/collector";
import type { HostConfig, LiveUpdate } from "@/lib/hosts/types";
import { simPaths, simTmpDir } from "../devmodel/sim/tmp";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function sim(vms: number, seed = 5): Promise<SimHost> {
  const dir = simTmpDir("coll");
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const h = await startSimHost({ vms, seed, ...simPaths(dir) });
  cleanup.push(() => h.stop());
  return h;
}

function cfg(id: string, h: { socket: string; qmpDir: string; procDir: string }, pollIntervalSec = 3600): HostConfig {
  return { id, name: id, kind: "sim", xenstoredPath: h.socket, qmpDir: h.qmpDir, procRoot: h.procDir, pollIntervalSec, enabled: true };
}

function collector(opts: ConstructorParameters<typeof Collector>[0] = {}): { c: Collector; reads: ReadRecord[] } {
  const reads: ReadRecord[] = [];
  const c = new Collector({ qmpTimeoutMs: 300, timeoutMs: 1500, ...opts, sink: { record: (r) => reads.push(r) } });
  cleanup.push(() => c.stop());
  return { c, reads };
}

async function until(pred: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
}

describe("collector with a simulated host", () => {
  it("reads the host, then re-reads on a XenStore watch event without waiting for the poll", async () => {
    const h = await sim(15);
    const { c, reads } = collector();
    const updates: LiveUpdate[] = [];
    c.subscribe((u) => updates.push(u));
    c.setHosts([cfg("a", h)]);
    await until(() => c.state("a")?.analysis !== null && c.state("a")!.watching, 10_000, "first read and watches");
    const first = c.state("a")!;
    expect(first.status).toBe("ok");
    expect(first.analysis!.summary.vmCount).toBe(h.fleet.guests.filter((g) => g.kind !== "stubdom").length);
    // The watches fire once on registration: let that re-read settle.
    await new Promise((r) => setTimeout(r, 600));
    await until(() => !c.runner("a")!["inFlight"], 5000, "idle");

    const victim = h.fleet.guests.find((g) => g.kind === "hvm-root" && g.qmp?.mode === "normal")!;
    const readsBefore = c.state("a")!.reads;
    const ev = await h.step({ kind: "vm-stop", domid: victim.domid });
    expect(ev?.kind).toBe("vm-stop");
    await until(() => !c.state("a")!.analysis!.vms.some((v) => v.domid === victim.domid), 3000, "the stopped VM to disappear");
    expect(c.state("a")!.reads).toBeGreaterThan(readsBefore);
    // The poll interval is an hour: only the watch can have triggered this read.
    expect(c.runner("a")!.watchEvents).toBeGreaterThan(0);
    // The subscriber heard of it, naming the VM; the sink got a vm-stopped event.
    expect(updates.some((u) => u.hostId === "a" && u.changed.includes(victim.domid))).toBe(true);
    expect(reads.flatMap((r) => r.events).some((e) => e.kind === "vm-stopped" && e.domid === victim.domid)).toBe(true);
  });

  it("a dependency that disappears in XenStore produces a dependency-gone event", async () => {
    const h = await sim(15, 7);
    const { c, reads } = collector();
    c.setHosts([cfg("p", h)]);
    await until(() => c.state("p")?.analysis !== null, 10_000, "first read");
    const vm = c.state("p")!.analysis!.vms.find((v) => v.dependencies.some((d) => d.ruleId === "physmap"));
    expect(vm, "the fleet has a VM with physmap keys").toBeDefined();
    await h.step({ kind: "physmap-lost", domid: vm!.domid });
    await until(
      () => reads.some((r) => r.events.some((e) => e.kind === "dependency-gone" && e.domid === vm!.domid && e.detail.startsWith("physmap"))),
      4000,
      "dependency-gone",
    );
    expect(
      c
        .state("p")!
        .analysis!.vms.find((v) => v.domid === vm!.domid)!
        .dependencies.map((d) => d.ruleId),
    ).not.toContain("physmap");
  });

  it("a hung xenstored and a missing one delay no other host", async () => {
    const h = await sim(10, 9);
    const dir = simTmpDir("dead");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    // Accepts connections and never answers a byte.
    const sockets: net.Socket[] = [];
    const hung = net.createServer((s) => sockets.push(s));
    const hungPath = path.join(dir, "hung.sock");
    await new Promise<void>((r) => hung.listen(hungPath, r));
    cleanup.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          hung.close(() => r());
        }),
    );

    const { c } = collector({ timeoutMs: 4000 });
    c.setHosts([
      { ...cfg("hung", { socket: hungPath, qmpDir: dir, procDir: dir }), name: "hung" },
      { ...cfg("missing", { socket: path.join(dir, "nothing.sock"), qmpDir: dir, procDir: dir }), name: "missing" },
      cfg("good", h),
    ]);
    await until(() => c.state("good")!.analysis !== null, 10_000, "the good host's read");
    // The hung host's read takes its 4 s timeout; the good one did not wait for it (how long
    // either took is the bench's business).
    expect(c.state("hung")!.status).toBe("pending");
    await until(() => c.state("missing")!.status === "unreachable", 3000, "missing host unreachable");
    expect(c.state("missing")!.error).toMatch(/XenStore unreachable/);
    await until(() => c.state("hung")!.status === "unreachable", 8000, "hung host unreachable");
    expect(c.state("hung")!.error).toMatch(/timeout/i);
    expect(c.state("good")!.status).toBe("ok");
  });

  it("the hung QEMU marks only its own VM's QMP as timeout", async () => {
    const h = await sim(15, 5);
    const { c } = collector();
    c.setHosts([cfg("q", h)]);
    await until(() => c.state("q")?.analysis !== null, 10_000, "first read");
    const hung = h.fleet.guests.find((g) => g.qmp?.mode === "hang")!;
    const vms = c.state("q")!.analysis!.vms;
    expect(vms.find((v) => v.domid === hung.domid)!.qmp.status).toBe("timeout");
    const others = vms.filter((v) => v.domid !== hung.domid && v.qmp.status === "ok");
    expect(others.length).toBeGreaterThan(3);
    // The whole read still finished inside its own 1.5 s bound (else it would have failed): one
    // hung QEMU costs its 300 ms QMP timeout once, not a timeout per VM.
    expect(c.state("q")!.status).toBe("ok");
  });

  it("a host that comes back after being unreachable is read again and ok", async () => {
    const dir = simTmpDir("late");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const paths = simPaths(dir);
    const { c } = collector();
    c.setHosts([cfg("late", paths, 2)]);
    await until(() => c.state("late")!.status === "unreachable", 3000, "unreachable");
    const h = await startSimHost({ vms: 5, seed: 3, ...paths });
    cleanup.push(() => h.stop());
    await until(() => c.state("late")!.status === "ok", 6000, "ok after the host came up");
    expect(c.state("late")!.lastGoodAt).not.toBeNull();
  });

  it("rules can change at run time: every kept snapshot is re-analysed", async () => {
    const h = await sim(10, 5);
    const { c } = collector({ watch: false });
    const updates: LiveUpdate[] = [];
    c.subscribe((u) => updates.push(u));
    c.setHosts([cfg("r", h)]);
    await until(() => c.state("r")?.analysis !== null, 10_000, "first read");
    const before = c.state("r")!.analysis!;
    expect(before.vms.some((v) => v.dependencies.length > 0)).toBe(true);
    c.setRules([]);
    const after = c.state("r")!.analysis!;
    expect(after.ruleCount).toBe(0);
    expect(after.vms.every((v) => v.dependencies.length === 0)).toBe(true);
    expect(after.vms.some((v) => v.unclassifiedCount > 0)).toBe(true);
    expect(updates.length).toBeGreaterThan(0);
    expect(() => c.setRules([{ id: "Bad Id", pattern: "x", dependency: "d", topic: "physmap-keys", description: "d", severity: "blocker" }])).toThrow();
    expect(c.state("r")!.analysis!.ruleCount).toBe(0);
  });

  it("stop() ends every runner: no more reads, sockets closed", async () => {
    const h = await sim(5, 5);
    const { c, reads } = collector();
    c.setHosts([cfg("s", { ...h }, 2)]);
    await until(() => c.state("s")?.analysis !== null && c.state("s")!.watching, 10_000, "first read");
    await c.stop();
    const n = reads.length;
    await h.step({ kind: "vm-stop" });
    await new Promise((r) => setTimeout(r, 2500));
    expect(reads.length).toBe(n);
    expect(c.states()).toEqual([]);
  });
});
