import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSimHost, type SimChangeEvent, type SimHost } from "@/lib/devmodel/sim/host";
import { XenStoreClient } from "@/lib/devmodel/xenstore";
import { simPaths, simTmpDir } from "./tmp";

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function host(opts: {
  vms: number;
  seed?: number;
  changeIntervalMs?: number;
  changeOffsetMs?: number;
  onChange?: (e: SimChangeEvent) => void;
}): Promise<SimHost> {
  const dir = simTmpDir("host");
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const h = await startSimHost({ seed: opts.seed ?? 2, ...simPaths(dir), ...opts });
  cleanup.push(() => h.stop());
  return h;
}

describe("startSimHost", () => {
  it("serves the fleet: store, one QMP socket per dom0 QEMU (none for the 'gone' one), fake /proc", async () => {
    const h = await host({ vms: 30 });
    const store = h.server.store;
    expect(store.read("/local/domain/0/name")).toBe("Domain-0");
    for (const g of h.fleet.guests) {
      expect(store.read(`/local/domain/${g.domid}/name`)).toBe(g.name);
      expect(store.isDomainIntroduced(g.domid)).toBe(true);
      const sock = path.join(h.qmpDir, `qmp-libxenstat-${g.domid}`);
      expect(fs.existsSync(sock), `${g.kind} ${g.qmp?.mode}`).toBe(g.qmp !== null && g.qmp.mode !== "gone");
      if (g.process) expect(fs.readFileSync(path.join(h.procDir, String(g.process.pid), "cmdline"), "utf8").split("\0")[0]).toBe(g.process.cmdline[0]);
    }
    expect(fs.readlinkSync(path.join(h.procDir, "1", "ns", "mnt"))).toBe(h.fleet.hostNs.mnt);
    expect(store.getPerms(`/local/domain/${h.fleet.guests[0].domid}`)?.entries.map((e) => e.domid)).toEqual([0, h.fleet.guests[0].domid]);
  });

  it("VM start and stop fire @introduceDomain / @releaseDomain and update the fleet", async () => {
    const h = await host({ vms: 5 });
    const client = await XenStoreClient.connect({ path: h.socket });
    cleanup.push(() => client.close());
    const intro = await client.watch("@introduceDomain");
    const release = await client.watch("@releaseDomain");
    const it1 = intro[Symbol.asyncIterator]();
    const it2 = release[Symbol.asyncIterator]();
    await it1.next(); // the initial firing every watch gets
    await it2.next();
    const started = await h.step({ kind: "vm-start", recipe: { kind: "pv" } });
    expect(started?.kind).toBe("vm-start");
    expect((await it1.next()).value?.path).toBe("@introduceDomain");
    expect(await client.read(`/local/domain/${started!.domid}/name`)).toBe(started!.name);
    const stopped = await h.step({ kind: "vm-stop", domid: started!.domid });
    expect(stopped?.domid).toBe(started!.domid);
    expect((await it2.next()).value?.path).toBe("@releaseDomain");
    expect(h.server.store.exists(`/local/domain/${started!.domid}`)).toBe(false);
    expect(h.guest(started!.domid)).toBeUndefined();
    // Domids are not reused right away.
    const again = await h.step({ kind: "vm-start", recipe: { kind: "pv" } });
    expect(again!.domid).toBeGreaterThan(started!.domid);
    intro.close();
    release.close();
  });

  it("stopping a stub-domain guest removes its stub domain, its keys, processes and sockets", async () => {
    const h = await host({ vms: 6 });
    const g = h.fleet.guests.find((x) => x.kind === "hvm-stubdom")!;
    const s = h.guest(g.stubdomDomid!)!;
    expect(fs.existsSync(h.qmpSocketPath(s.domid))).toBe(true);
    await h.step({ kind: "vm-stop", domid: g.domid });
    expect(h.guest(s.domid)).toBeUndefined();
    expect(h.server.store.exists(`/local/domain/${s.domid}`)).toBe(false);
    expect(h.server.store.exists(`/libxl/${g.domid}`)).toBe(false);
    expect(fs.existsSync(h.qmpSocketPath(s.domid))).toBe(false);
    expect(fs.existsSync(path.join(h.procDir, String(s.process!.pid)))).toBe(false);
  });

  it("changes by itself every changeIntervalMs and reports each change", async () => {
    const events: SimChangeEvent[] = [];
    await host({ vms: 20, changeIntervalMs: 30, onChange: (e) => events.push(e) });
    const t = Date.now();
    while (events.length < 3 && Date.now() - t < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const e of events) {
      expect(["vm-start", "vm-stop", "physmap-lost", "depriv-restart", "pause", "resume"]).toContain(e.kind);
      expect(e.name).toMatch(/^[a-z]+-\d+/);
    }
  });

  it("makes its first change at changeOffsetMs, then every changeIntervalMs", async () => {
    const events: SimChangeEvent[] = [];
    // An hour apart: only the offset can bring a change within the wait below.
    await host({ vms: 10, changeIntervalMs: 3_600_000, changeOffsetMs: 20, onChange: (e) => events.push(e) });
    const t = Date.now();
    while (events.length === 0 && Date.now() - t < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(events).toHaveLength(1);
  });

  it("--vms 0 is dom0 alone; stop removes sockets, fake /proc and the QMP dir it created", async () => {
    const dir = simTmpDir("empty");
    const p = simPaths(dir);
    const h = await startSimHost({ vms: 0, seed: 1, ...p });
    expect(h.server.store.list("/local/domain")).toEqual(["0"]);
    expect(fs.existsSync(p.socket)).toBe(true);
    await h.stop();
    expect(fs.existsSync(p.socket)).toBe(false);
    expect(fs.existsSync(p.qmpDir)).toBe(false);
    expect(fs.existsSync(p.procDir)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a --proc directory that is not a fake /proc, and socket paths too long for sun_path", async () => {
    const dir = simTmpDir("refuse");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, "proc"));
    fs.writeFileSync(path.join(dir, "proc", "precious.txt"), "keep me");
    await expect(startSimHost({ vms: 1, seed: 1, ...simPaths(dir) })).rejects.toThrow(/not a fake \/proc/);
    expect(fs.readFileSync(path.join(dir, "proc", "precious.txt"), "utf8")).toBe("keep me");
    expect(fs.existsSync(path.join(dir, "xs.sock"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "qmp"))).toBe(false); // created by the failed start, removed again
    await expect(
      startSimHost({ vms: 1, seed: 1, socket: path.join(dir, "x".repeat(120)), qmpDir: path.join(dir, "q"), procDir: path.join(dir, "p") }),
    ).rejects.toThrow(/too long/);
  });
});
