import { describe, expect, it } from "vitest";
import { generateFleet, RANGE_BASE_UID, SPECIAL_RECIPES, subtreeRoots } from "@/lib/devmodel/sim/fleet";
import type { FleetSpec, GuestSpec } from "@/lib/devmodel/sim/fleet";

const nodeMap = (g: GuestSpec) => new Map(g.nodes.map((n) => [n.path, n]));

describe("generateFleet", () => {
  it("is deterministic: same seed, same fleet; another seed, another fleet", () => {
    const a = generateFleet({ vms: 60, seed: 7 });
    const b = generateFleet({ vms: 60, seed: 7 });
    const c = generateFleet({ vms: 60, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it("has domids dense from 1, unique names and pids, dom0 keys", () => {
    const f = generateFleet({ vms: 200, seed: 3 });
    expect(f.guests.map((g) => g.domid)).toEqual(f.guests.map((_, i) => i + 1));
    expect(new Set(f.guests.map((g) => g.name)).size).toBe(f.guests.length);
    for (const g of f.guests) expect(g.name).toMatch(/^[a-z]+-\d{2,}(-dm)?$/);
    const pids = [...f.hostProcesses, ...f.guests.flatMap((g) => (g.process ? [g.process] : []))].map((p) => p.pid);
    expect(new Set(pids).size).toBe(pids.length);
    const host = new Map(f.hostNodes.map((n) => [n.path, n.value]));
    expect(host.get("/local/domain/0/name")).toBe("Domain-0");
    expect(host.has("/tool/xenstored")).toBe(true);
    // Every guest counted in vms, stub domains on top.
    expect(f.guests.filter((g) => g.kind !== "stubdom")).toHaveLength(200);
  });

  it("contains every special guest, and only the specials that fit for small fleets", () => {
    const f = generateFleet({ vms: 40, seed: 1 });
    const kinds = f.guests.map((g) => g.kind);
    for (const k of ["hvm-depriv", "hvm-partial", "hvm-root", "hvm-trad", "hvm-stubdom", "stubdom", "pv-qemu", "pv"] as const) {
      expect(kinds).toContain(k);
    }
    expect(f.guests.filter((g) => g.qmp?.mode === "hang")).toHaveLength(1);
    expect(f.guests.filter((g) => g.qmp?.mode === "gone")).toHaveLength(1);
    expect(f.guests.some((g) => g.traits.physmap)).toBe(true);
    expect(f.guests.some((g) => g.traits.clipboard)).toBe(true);
    expect(f.guests.some((g) => g.traits.unusual)).toBe(true);
    const small = generateFleet({ vms: 3, seed: 1 });
    expect(small.guests.map((g) => g.kind).sort()).toEqual(
      SPECIAL_RECIPES.slice(0, 3)
        .map((r) => r.kind)
        .sort(),
    );
    expect(generateFleet({ vms: 0, seed: 1 }).guests).toEqual([]);
  });

  it("models a deprivileged QEMU the way libxl starts it (§4.3, §4.4)", () => {
    const f = generateFleet({ vms: 40, seed: 1 });
    const g = f.guests.find((x) => x.kind === "hvm-depriv" && !x.qmp!.commandSet.startsWith("qemu-9"))!;
    const p = g.process!;
    const argv = p.cmdline;
    const at = (flag: string) => argv[argv.indexOf(flag) + 1];
    expect(at("-xen-domid")).toBe(String(g.domid));
    expect(argv).toContain("-xen-domid-restrict");
    expect(at("-chroot")).toBe(`/var/run/xen/qemu-root-${g.domid}`);
    expect(at("-runas")).toBe(`${RANGE_BASE_UID + g.domid}:${RANGE_BASE_UID}`);
    expect(p.uid).toEqual(Array(4).fill(RANGE_BASE_UID + g.domid));
    expect(p.root).toBe(`/run/xen/qemu-root-${g.domid}`);
    expect(p.ns.mnt).not.toBe(f.hostNs.mnt);
    expect(p.ns.ipc).not.toBe(f.hostNs.ipc);
    expect(p.limits["Max file size"]).toEqual({ soft: 262144, hard: 262144, unit: "bytes" });
    for (const l of ["Max core file size", "Max msgqueue size", "Max file locks", "Max locked memory"]) expect(p.limits[l]).toMatchObject({ soft: 0, hard: 0 });
    const nodes = nodeMap(g);
    expect(nodes.get(`/local/domain/${g.domid}/image/device-model-kill-uid`)?.value).toBe(String(RANGE_BASE_UID + g.domid));
    expect(nodes.get(`/local/domain/${g.domid}/image/device-model-pid`)?.value).toBe(String(p.pid));
    expect(nodes.has(`/local/domain/0/device-model/${g.domid}/state`)).toBe(false);
    expect(nodes.get(`/libxl/${g.domid}/dm-version`)?.value).toBe("qemu_xen");
    // QEMU ≥ 9 gets -run-with instead.
    const rw = f.guests.find((x) => x.kind === "hvm-depriv" && x.qmp!.commandSet === "qemu-9.2")!;
    expect(rw.process!.cmdline).toContain(`chroot=/var/run/xen/qemu-root-${rw.domid}`);
  });

  it("models root, partial, trad, stubdom and PV guests", () => {
    const f: FleetSpec = generateFleet({ vms: 40, seed: 1 });
    const root = f.guests.find((x) => x.kind === "hvm-root" && x.qmp?.mode === "normal")!;
    expect(root.process!.uid[0]).toBe(0);
    expect(root.process!.ns).toEqual(f.hostNs);
    expect(nodeMap(root).get(`/local/domain/0/device-model/${root.domid}/state`)?.value).toBe("running");

    const shared = f.guests.find((x) => x.traits.partial === "shared-user")!;
    expect(shared.process!.cmdline).toContain("xen-qemuuser-shared");
    expect(shared.process!.cmdline).not.toContain("-chroot");
    expect(shared.process!.uid[0]).not.toBe(0);

    const trad = f.guests.find((x) => x.kind === "hvm-trad")!;
    const tn = nodeMap(trad);
    const dm = `/local/domain/0/device-model/${trad.domid}`;
    expect(tn.get(`/libxl/${trad.domid}/dm-version`)?.value).toBe("qemu_xen_traditional");
    for (const k of ["command", "parameter", "logdirty/cmd", "logdirty/ret"]) expect(tn.has(`${dm}/${k}`)).toBe(true);
    expect(tn.get(`${dm}/state`)?.value).toBe("running");
    expect(trad.process!.cmdline).toContain("-d");
    expect(trad.qmp).toBeNull();

    const hvmStub = f.guests.find((x) => x.kind === "hvm-stubdom")!;
    const s = hvmStub.stubdomDomid!;
    const sn = nodeMap(hvmStub);
    expect(sn.get(`/local/domain/${hvmStub.domid}/image/device-model-domid`)?.value).toBe(String(s));
    expect(sn.get(`/local/domain/${s}/device-model/${hvmStub.domid}`)?.perms).toEqual([`n${s}`, `r${hvmStub.domid}`]);
    expect(hvmStub.process).toBeNull();
    expect(f.guests.find((x) => x.domid === s)?.kind).toBe("stubdom");

    const pvq = f.guests.find((x) => x.kind === "pv-qemu")!;
    const pn = nodeMap(pvq);
    for (const t of ["qdisk", "vkbd", "console"]) {
      const be = [...pn.keys()].find((p) => p.startsWith(`/local/domain/0/backend/${t}/${pvq.domid}/`) && p.endsWith("/hotplug-status"));
      expect(be, t).toBeDefined();
      expect(pn.get(be!)?.perms).toEqual(["n0", `r${pvq.domid}`]);
    }
    expect(pvq.process!.cmdline).toContain("-xen-attach");

    const pv = f.guests.find((x) => x.kind === "pv")!;
    expect(pv.process).toBeNull();
    expect(pv.qmp).toBeNull();
    expect([...nodeMap(pv).keys()].some((p) => p.includes("/device-model/"))).toBe(false);
    expect([...nodeMap(pv).keys()].some((p) => p.startsWith(`/local/domain/0/backend/vbd/${pv.domid}/`))).toBe(true);
  });

  it("physmap, clipboard and unusual keys", () => {
    const f = generateFleet({ vms: 40, seed: 1 });
    const pm = f.guests.find((x) => x.traits.physmap)!;
    const phys = pm.nodes.filter((n) => n.path.includes(`/device-model/${pm.domid}/physmap/`));
    // physmap/<hex phys_offset>/{start_addr,size,name}
    expect(phys.map((n) => n.path.split("/").slice(-2).join("/"))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^[0-9a-f]+\/start_addr$/),
        expect.stringMatching(/^[0-9a-f]+\/size$/),
        expect.stringMatching(/^[0-9a-f]+\/name$/),
      ]),
    );
    expect(phys.find((n) => n.path.endsWith("/name"))?.value).toBe("vga.vram");
    expect(pm.qmp?.version.major).toBe(4);
    const cb = f.guests.find((x) => x.traits.clipboard)!;
    expect(cb.nodes.some((n) => n.path === `/local/domain/${cb.domid}/data/set_clipboard`)).toBe(true);
    expect(cb.nodes.some((n) => n.path === `/local/domain/${cb.domid}/data/report_clipboard`)).toBe(true);
    expect(f.guests.some((g) => g.nodes.some((n) => n.path.endsWith(`/device-model/${g.domid}/x-custom-feature`)))).toBe(true);
  });

  it("nodes list parents before children and subtreeRoots covers them", () => {
    const f = generateFleet({ vms: 20, seed: 5 });
    for (const g of f.guests) {
      const seen = new Set<string>();
      for (const n of g.nodes) {
        const parent = n.path.slice(0, n.path.lastIndexOf("/"));
        if (g.nodes.some((m) => m.path === parent)) expect(seen.has(parent), n.path).toBe(true);
        seen.add(n.path);
        expect(n.perms[0]).toMatch(/^[nrwb]\d+$/);
      }
      const roots = subtreeRoots(g.nodes);
      for (const n of g.nodes) expect(roots.some((r) => n.path === r || n.path.startsWith(`${r}/`))).toBe(true);
    }
  });
});
