/**
 * Sim host + snapshot end to end, in process: the snapshot must find in XenStore, QMP and
 * /proc what the fleet says is there.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localHostAccess } from "@/lib/devmodel/host-access";
import type { ProcFs } from "@/lib/devmodel/procfs/fs";
import { maskXenStoreValue } from "@/lib/devmodel/secrets";
import { RANGE_BASE_UID, type GuestSpec } from "@/lib/devmodel/sim/fleet";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { XenStoreServer } from "@/lib/devmodel/sim/xenstored";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import type { DomainSnapshot, HostSnapshot } from "@/lib/devmodel/types";
import { simPaths, simTmpDir } from "../sim/tmp";

// Generous: a healthy QEMU answers in about a millisecond, but a loaded CI machine must not turn
// slow answers into timeouts. The hung guests cost this much per snapshot, no more.
const QMP_TIMEOUT = 4000;
let dir: string;
let host: SimHost;
let snap: HostSnapshot;

function dom(d: number): DomainSnapshot {
  const x = snap.domains.find((s) => s.domid === d);
  if (!x) throw new Error(`domain ${d} not in snapshot`);
  return x;
}
function guest(pred: (g: GuestSpec) => boolean): GuestSpec {
  const g = host.fleet.guests.find(pred);
  if (!g) throw new Error("no such guest in the fleet");
  return g;
}
const snapOpts = () => ({ xenstored: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir, qmpTimeoutMs: QMP_TIMEOUT });

beforeAll(async () => {
  dir = simTmpDir("snap");
  host = await startSimHost({ vms: 50, seed: 11, ...simPaths(dir) });
  snap = await takeSnapshot(snapOpts());
});
afterAll(async () => {
  await host?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("takeSnapshot against the simulated host", () => {
  it("lists every domain, dom0 included, sorted, with XenStore ok", () => {
    expect(snap.xenstore).toEqual({ ok: true, directoryPart: true });
    expect(snap.domains.map((d) => d.domid)).toEqual([0, ...host.fleet.guests.map((g) => g.domid)]);
    expect(dom(0).name).toBe("Domain-0");
    expect(snap.source).toEqual({ xenstored: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir });
    expect(new Date(snap.takenAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("every key read is the fleet's, and every fleet key of the listed subtrees was read", () => {
    for (const g of host.fleet.guests) {
      const d = dom(g.domid);
      const fleet = new Map(g.nodes.map((n) => [n.path, n.value]));
      // As the fleet wrote them, secrets masked (the simulated fleet may carry vncpasswd & co.).
      for (const [k, v] of Object.entries(d.keys)) expect(v, k).toBe(maskXenStoreValue(k, fleet.get(k)!));
      const dm = g.dmDomid ?? 0;
      const wanted = [
        `/local/domain/${dm}/device-model/${g.domid}`,
        `/local/domain/${g.domid}/image`,
        `/libxl/${g.domid}`,
        `/local/domain/${g.domid}/console`,
        `/local/domain/${g.domid}/control`,
        `/local/domain/${g.domid}/data`,
        ...["qdisk", "vkbd", "console"].map((t) => `/local/domain/${dm}/backend/${t}/${g.domid}`),
      ];
      for (const p of fleet.keys()) {
        if (wanted.some((w) => p === w || p.startsWith(`${w}/`))) expect(d.keys, p).toHaveProperty([p]);
      }
      expect(d.name).toBe(g.name);
      expect(d.guestType).toBe(g.guestType);
      expect(d.dmVersion).toBe(g.dmVersion);
    }
  });

  it("a deprivileged guest: uid range-base + domid, chroot, own namespaces, rlimits, kill-uid, no state", () => {
    const g = guest((x) => x.kind === "hvm-depriv" && x.traits.pidKey);
    const d = dom(g.domid);
    expect(d.dmDomid).toBe(0);
    const p = d.process!;
    expect(p.foundBy).toBe("xenstore-device-model-pid");
    expect(p.pid).toBe(g.process!.pid);
    expect(p.uid).toEqual({
      real: RANGE_BASE_UID + g.domid,
      effective: RANGE_BASE_UID + g.domid,
      saved: RANGE_BASE_UID + g.domid,
      fs: RANGE_BASE_UID + g.domid,
    });
    expect(p.root).toBe(`/run/xen/qemu-root-${g.domid}`);
    expect(p.ns.mnt.self).not.toBe(p.ns.mnt.init);
    expect(p.ns.ipc.self).not.toBe(p.ns.ipc.init);
    expect(p.limits?.["Max file size"]).toEqual({ soft: 262144, hard: 262144, unit: "bytes" });
    expect(p.cmdline).toContain("-xen-domid-restrict");
    expect(p.errors).toEqual([]);
    expect(d.keys[`/local/domain/${g.domid}/image/device-model-kill-uid`]).toBe(String(RANGE_BASE_UID + g.domid));
    expect(d.keys).not.toHaveProperty([`/local/domain/0/device-model/${g.domid}/state`]);
    expect(d.dmDirPerms).toEqual({ owner: 0, defaultAccess: "none", entries: [{ domid: 0, access: "none" }] });
    expect(d.qmp.status).toBe("ok");
    if (d.qmp.status === "ok") {
      expect(d.qmp.commands).toContain("xen-save-devices-state");
      expect(d.qmp.name).toBe(g.name);
      expect(d.qmp.runState).toBe(g.qmp!.runState);
    }
  });

  it("a root guest with physmap keys and QEMU 4.2; a guest with a stale pid found by cmdline", () => {
    const g = guest((x) => x.traits.physmap && x.kind === "hvm-root");
    const d = dom(g.domid);
    const phys = Object.keys(d.keys).filter((k) => k.includes(`/device-model/${g.domid}/physmap/`));
    expect(phys.some((k) => k.endsWith("/start_addr"))).toBe(true);
    expect(Object.entries(d.keys).find(([k]) => k.includes("/physmap/") && k.endsWith("/name"))?.[1]).toBe("vga.vram");
    expect(d.keys[`/local/domain/0/device-model/${g.domid}/state`]).toBe("running");
    expect(d.process?.uid?.effective).toBe(0);
    expect(d.process?.ns.mnt.self).toBe(d.process?.ns.mnt.init);
    expect(d.qmp.status === "ok" && d.qmp.version.major).toBe(4);
    const stale = guest(
      (x) =>
        x.kind === "hvm-root" &&
        x.traits.clipboard &&
        x.traits.pidKey &&
        x.nodes.some((n) => n.path.endsWith("/image/device-model-pid") && n.value !== String(x.process!.pid)),
    );
    const s = dom(stale.domid);
    expect(s.process).toMatchObject({ pid: stale.process!.pid, foundBy: "cmdline-xen-domid" });
    expect(s.keys[`/local/domain/${stale.domid}/data/set_clipboard`]).toBe("");
  });

  it("qemu-xen-traditional: its keys, no QMP, process found through XenStore", () => {
    const g = guest((x) => x.kind === "hvm-trad");
    const d = dom(g.domid);
    const dm = `/local/domain/0/device-model/${g.domid}`;
    expect(d.dmVersion).toBe("qemu_xen_traditional");
    expect(d.keys[`${dm}/state`]).toBe("running");
    expect(d.keys[`${dm}/logdirty/cmd`]).toBe("disable");
    expect(d.keys[`${dm}/logdirty/ret`]).toBe("disable");
    expect(d.keys).toHaveProperty([`${dm}/command`]);
    expect(d.keys).toHaveProperty([`${dm}/parameter`]);
    expect(d.qmp.status).toBe("absent");
    expect(d.process?.foundBy).toBe("xenstore-device-model-pid");
    expect(d.process?.cmdline?.[0]).toMatch(/qemu-dm$/);
  });

  it("stub domain: dm domid, its perms, no dom0 QMP or process; the stubdom's own console QEMU found by scan", () => {
    const g = guest((x) => x.kind === "hvm-stubdom");
    const s = g.stubdomDomid!;
    const d = dom(g.domid);
    expect(d.dmDomid).toBe(s);
    expect(d.keys[`/local/domain/${s}/device-model/${g.domid}/state`]).toBe("running");
    expect(d.dmDirPerms).toEqual({
      owner: s,
      defaultAccess: "none",
      entries: [
        { domid: s, access: "none" },
        { domid: g.domid, access: "read" },
      ],
    });
    expect(d.qmp.status).toBe("absent");
    expect(d.process).toBeNull();
    expect(d.processError?.kind).toBe("absent");
    const sd = dom(s);
    expect(sd.process?.foundBy).toBe("cmdline-xen-domid");
    expect(sd.qmp.status).toBe("ok");
  });

  it("PV guests: QEMU backends read; kernel-only PV has no device model", () => {
    const g = guest((x) => x.kind === "pv-qemu");
    const d = dom(g.domid);
    for (const t of ["qdisk", "vkbd", "console"]) {
      expect(
        Object.keys(d.keys).some((k) => k.startsWith(`/local/domain/0/backend/${t}/${g.domid}/`) && k.endsWith("/hotplug-status")),
        t,
      ).toBe(true);
    }
    expect(d.keys).not.toHaveProperty([`/local/domain/0/backend/vif/${g.domid}`]);
    expect(d.process?.cmdline).toContain("-xen-attach");
    const pv = guest((x) => x.kind === "pv");
    const p = dom(pv.domid);
    expect(p.dmDomid).toBeNull();
    expect(p.qmp.status).toBe("absent");
    expect(p.process).toBeNull();
    expect(Object.keys(p.keys).some((k) => k.includes("/device-model/") || k.includes("/backend/"))).toBe(false);
  });

  it("a hung QEMU times out alone; a missing socket is unreachable; the rest answer", () => {
    const hung = guest((x) => x.qmp?.mode === "hang");
    const gone = guest((x) => x.qmp?.mode === "gone");
    expect(dom(hung.domid).qmp.status).toBe("timeout");
    expect(dom(gone.domid).qmp).toMatchObject({ status: "unreachable" });
    expect(dom(gone.domid).process?.pid).toBe(gone.process!.pid);
    const others = host.fleet.guests.filter((g) => g.qmp && g.qmp.mode === "normal");
    expect(others.length).toBeGreaterThan(20);
    for (const g of others) expect(dom(g.domid).qmp.status, `domain ${g.domid}`).toBe("ok");
  });

  it("asks query-commands and query-name once per QEMU process (pid + start time), never query-version (the greeting has it)", async () => {
    const s2 = await takeSnapshot(snapOpts());
    const others = host.fleet.guests.filter((g) => g.qmp && g.qmp.mode === "normal");
    for (const g of others) {
      const srv = host.qmpServer(g.domid)!;
      expect(srv.executed.get("query-version") ?? 0, `domain ${g.domid}`).toBe(0);
      expect(srv.executed.get("query-status"), `domain ${g.domid}`).toBe(2);
      expect(srv.executed.get("query-commands"), `domain ${g.domid}`).toBe(1);
      expect(srv.executed.get("query-name"), `domain ${g.domid}`).toBe(1);
      const a = dom(g.domid).qmp;
      const b = s2.domains.find((d) => d.domid === g.domid)!.qmp;
      expect(b.status === "ok" && a.status === "ok" && b.commands).toEqual(a.status === "ok" && a.commands);
      // The same facts as the first read: the name kept, the version from the greeting.
      expect(b.status === "ok" && { name: b.name, version: b.version }).toEqual({ name: g.name, version: a.status === "ok" && a.version });
      expect(a.status === "ok" && a.version.major).toBeGreaterThan(0);
      expect(b.status === "ok" && b.commands.length).toBeGreaterThan(50);
    }
  });

  it("a QEMU that timed out last time is dialled at once, not after the /proc scan (its timeout starts with the snapshot)", async () => {
    const hung = guest((x) => x.qmp?.mode === "hang");
    const local = localHostAccess({ xenstored: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir });
    // The scan's cmdline reads wait for a gate that opens when the hung QEMU is dialled (or
    // after 2 s, so that a snapshot which waits for the scan first still ends, and fails here).
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const fallback = setTimeout(() => open(), 2000);
    let gateOpen = false;
    void gate.then(() => (gateOpen = true));
    const proc: ProcFs = Object.assign(Object.create(local.proc) as ProcFs, {
      readFile: async (rel: string, o?: { maxBytes?: number }) => {
        if (rel.endsWith("/cmdline")) await gate;
        return local.proc.readFile(rel, o);
      },
    });
    let dialledBeforeScan: boolean | undefined;
    const qmp = {
      ...local.qmp,
      transport: (socketPath: string) => {
        if (socketPath.endsWith(`-${hung.domid}`)) {
          dialledBeforeScan ??= !gateOpen;
          open();
        }
        return local.qmp.transport(socketPath);
      },
    };
    const s = await takeSnapshot({ access: { ...local, proc, qmp }, qmpTimeoutMs: QMP_TIMEOUT });
    clearTimeout(fallback);
    expect(s.domains.find((d) => d.domid === hung.domid)?.qmp.status).toBe("timeout");
    expect(dialledBeforeScan).toBe(true);
  });

  it("an unusual key is reported as read", () => {
    const g = guest((x) => x.traits.unusual && x.guestType === "hvm");
    expect(dom(g.domid).keys[`/local/domain/0/device-model/${g.domid}/x-custom-feature`]).toBe("1");
  });

  it("follows the host's changes: start, stop, depriv restart, lost physmap", async () => {
    const started = (await host.step({ kind: "vm-start", recipe: { kind: "hvm-depriv" } }))!;
    const victim = guest((x) => x.kind === "pv");
    await host.step({ kind: "vm-stop", domid: victim.domid });
    const root = guest((x) => x.kind === "hvm-root" && x.qmp?.mode === "normal" && !x.traits.physmap);
    const oldPid = root.process!.pid;
    await host.step({ kind: "depriv-restart", domid: root.domid });
    const pm = guest((x) => x.traits.physmap);
    await host.step({ kind: "physmap-lost", domid: pm.domid });

    const s2 = await takeSnapshot(snapOpts());
    const byId = new Map(s2.domains.map((d) => [d.domid, d]));
    expect(byId.get(started.domid)?.process?.uid?.real).toBe(RANGE_BASE_UID + started.domid);
    expect(byId.get(started.domid)?.qmp.status).toBe("ok");
    expect(byId.has(victim.domid)).toBe(false);
    const r = byId.get(root.domid)!;
    expect(r.process?.pid).not.toBe(oldPid);
    // A new QEMU process (new pid, new start time): its command list is asked again.
    expect(host.qmpServer(root.domid)!.executed.get("query-commands")).toBe(1);
    expect(r.qmp.status === "ok" && r.qmp.commands.length).toBeGreaterThan(50);
    expect(r.process?.root).toBe(`/run/xen/qemu-root-${root.domid}`);
    expect(r.keys).not.toHaveProperty([`/local/domain/0/device-model/${root.domid}/state`]);
    expect(r.keys[`/local/domain/${root.domid}/image/device-model-kill-uid`]).toBe(String(RANGE_BASE_UID + root.domid));
    expect(Object.keys(byId.get(pm.domid)!.keys).some((k) => k.includes("/physmap"))).toBe(false);
    expect(fs.existsSync(path.join(host.procDir, String(oldPid)))).toBe(false);
  });
});

describe("takeSnapshot when XenStore is not there", () => {
  it("a dead xenstored gives ok:false, no throw", async () => {
    const d = simTmpDir("dead");
    try {
      const s = await takeSnapshot({ xenstored: path.join(d, "nothing.sock"), qmpDir: d, procRoot: d, timeoutMs: 500 });
      expect(s.xenstore.ok).toBe(false);
      if (!s.xenstore.ok) expect(s.xenstore.error.kind).toBe("unreachable");
      expect(s.domains).toEqual([]);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it("a xenstored that accepts but never answers gives a timeout within timeoutMs", async () => {
    const d = simTmpDir("stall");
    const srv = new XenStoreServer({ stall: true });
    try {
      await srv.listen(path.join(d, "xs.sock"));
      const t = performance.now();
      const s = await takeSnapshot({ xenstored: path.join(d, "xs.sock"), qmpDir: d, procRoot: d, timeoutMs: 300 });
      expect(performance.now() - t).toBeLessThan(20_000); // bounded (the test would hang otherwise)
      expect(s.xenstore.ok === false && s.xenstore.error.kind).toBe("timeout");
    } finally {
      await srv.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
