import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeviceModelPidFinder,
  findDeviceModelPid,
  forgetInitNamespaces,
  inspectProcess,
  localProcFs,
  scanXenDomids,
  scanXenDomidPids,
  type ProcFs,
} from "@/lib/devmodel/procfs";
import { FakeProc } from "@/lib/devmodel/sim/fakeproc";
import { DEFAULT_LIMITS, DEPRIV_LIMITS } from "@/lib/devmodel/sim/fleet";
import type { FakeProcessSpec } from "@/lib/devmodel/sim/fleet";

const hostNs = { mnt: "mnt:[4026531841]", ipc: "ipc:[4026531839]" };
function proc(pid: number, cmdline: string[], extra: Partial<FakeProcessSpec> = {}): FakeProcessSpec {
  return {
    pid,
    ppid: 1,
    comm: cmdline[0]?.split("/").pop()?.slice(0, 15) ?? "",
    cmdline,
    uid: [0, 0, 0, 0],
    gid: [0, 0, 0, 0],
    root: "/",
    ns: hostNs,
    limits: DEFAULT_LIMITS as FakeProcessSpec["limits"],
    ...extra,
  };
}

let dir: string;
let fp: FakeProc;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dm-procfs-"));
  fp = await FakeProc.create(path.join(dir, "proc"), [
    proc(1, ["/sbin/init"]),
    proc(2, []), // kernel thread
    proc(700, ["tail", "-F", "/var/log/xen/qemu-dm-xen-domid.log"]),
    proc(
      1001,
      ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", "5", "-xen-domid-restrict", "-chroot", "/var/run/xen/qemu-root-5", "-runas", "131077:131072"],
      {
        uid: [131077, 131077, 131077, 131077],
        gid: [131072, 131072, 131072, 131072],
        root: "/run/xen/qemu-root-5",
        ns: { mnt: "mnt:[4026532290]", ipc: "ipc:[4026532291]" },
        limits: DEPRIV_LIMITS as FakeProcessSpec["limits"],
      },
    ),
    proc(1002, ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", "6", "-name", "web-03"]),
    proc(1003, ["/usr/lib/xen/bin/qemu-dm", "-d", "7", "-domain-name", "old-01"]),
    proc(1004, ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", "6", "-xen-attach"]),
  ]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("inspectProcess on a prepared tree", () => {
  it("reads cmdline, ids, root, namespaces and limits of a deprivileged QEMU", async () => {
    const f = await inspectProcess(fp.dir, 1001, "cmdline-xen-domid");
    expect(f.pid).toBe(1001);
    expect(f.foundBy).toBe("cmdline-xen-domid");
    expect(f.cmdline).toContain("-xen-domid-restrict");
    expect(f.cmdline?.[f.cmdline.indexOf("-runas") + 1]).toBe("131077:131072");
    expect(f.uid).toEqual({ real: 131077, effective: 131077, saved: 131077, fs: 131077 });
    expect(f.gid?.effective).toBe(131072);
    expect(f.root).toBe("/run/xen/qemu-root-5");
    expect(f.ns.mnt).toEqual({ self: "mnt:[4026532290]", init: "mnt:[4026531841]" });
    expect(f.ns.ipc).toEqual({ self: "ipc:[4026532291]", init: "ipc:[4026531839]" });
    expect(f.limits?.["Max file size"]).toEqual({ soft: 262144, hard: 262144, unit: "bytes" });
    expect(f.limits?.["Max core file size"]).toEqual({ soft: 0, hard: 0, unit: "bytes" });
    expect(f.limits?.["Max msgqueue size"]?.hard).toBe(0);
    expect(f.errors).toEqual([]);
  });

  it("records each unreadable part and still returns the rest", async () => {
    const d = path.join(fp.dir, "1002");
    fs.rmSync(path.join(d, "limits"));
    fs.rmSync(path.join(d, "root"));
    fs.writeFileSync(path.join(d, "root"), "not a link"); // readlink → EINVAL
    fs.rmSync(path.join(d, "status"));
    fs.mkdirSync(path.join(d, "status")); // not a regular file: refused (ENOTREG)
    try {
      const f = await inspectProcess(fp.dir, 1002, "xenstore-device-model-pid");
      expect(f.cmdline).toEqual(["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", "6", "-name", "web-03"]);
      expect(f.ns.mnt.self).toBe("mnt:[4026531841]");
      expect(f.limits).toBeNull();
      expect(f.root).toBeNull();
      expect(f.uid).toBeNull();
      expect(f.errors).toEqual(expect.arrayContaining(["limits: ENOENT", "root: EINVAL", "status: ENOTREG"]));
      expect(f.errors).toHaveLength(3);
    } finally {
      await fp.add(proc(1002, ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", "6", "-name", "web-03"]));
    }
  });

  it("a vanished process gives all-null facts with errors, not a throw", async () => {
    const f = await inspectProcess(fp.dir, 4242, "cmdline-xen-domid");
    expect(f.cmdline).toBeNull();
    expect(f.errors).toContain("cmdline: ENOENT");
    expect(f.errors.length).toBeGreaterThanOrEqual(6);
  });
});

describe("findDeviceModelPid", () => {
  it("scans cmdlines once into domid → pids, ignoring substrings and kernel threads", async () => {
    const m = await scanXenDomidPids(fp.dir);
    expect([...m.entries()].sort()).toEqual([
      [5, [1001]],
      [6, [1002, 1004]],
      [7, [1003]], // qemu-dm -d 7
    ]);
  });

  it("trusts the XenStore pid when that process serves the guest", async () => {
    expect(await findDeviceModelPid(fp.dir, 5, 1001)).toEqual({ pid: 1001, foundBy: "xenstore-device-model-pid" });
    // qemu-dm (qemu-xen-traditional) names its guest with -d.
    expect(await findDeviceModelPid(fp.dir, 7, 1003)).toEqual({ pid: 1003, foundBy: "xenstore-device-model-pid" });
    expect(await findDeviceModelPid(fp.dir, 8, 1003)).toBeNull();
  });

  it("falls back to the scan when the recorded pid is dead or someone else's", async () => {
    expect(await findDeviceModelPid(fp.dir, 5, 99999)).toEqual({ pid: 1001, foundBy: "cmdline-xen-domid" });
    expect(await findDeviceModelPid(fp.dir, 5, 1002)).toEqual({ pid: 1001, foundBy: "cmdline-xen-domid" });
    expect(await findDeviceModelPid(fp.dir, 5, null)).toEqual({ pid: 1001, foundBy: "cmdline-xen-domid" });
    expect(await findDeviceModelPid(fp.dir, 9, null)).toBeNull();
  });

  it("one finder scans /proc once for many guests", async () => {
    const finder = new DeviceModelPidFinder(fp.dir);
    const first = finder.fullScan();
    await Promise.all([finder.find(5), finder.find(6), finder.find(9)]);
    expect(finder.fullScan()).toBe(first);
    expect(await finder.find(6)).toEqual({ pid: 1002, foundBy: "cmdline-xen-domid" });
    // With the scan done, a recorded pid it saw serving the guest is accepted from it,
    // one serving another guest is not, and the argv read by the scan is handed out.
    expect(await finder.find(6, 1004)).toEqual({ pid: 1004, foundBy: "xenstore-device-model-pid" });
    expect(await finder.find(5, 1004)).toEqual({ pid: 1001, foundBy: "cmdline-xen-domid" });
    expect(await finder.argvOf(1001)).toContain("-xen-domid-restrict");
    const f = await inspectProcess(fp.dir, 1001, "cmdline-xen-domid", { cmdline: ["given"] });
    expect(f.cmdline).toEqual(["given"]);
  });
});

/** A procfs that records every path it is asked for (over SSH each is SFTP requests). */
function counting(root: string): { fs: ProcFs; asked: string[] } {
  const inner = localProcFs(root);
  const asked: string[] = [];
  const log =
    <A extends unknown[], T>(op: string, f: (rel: string, ...a: A) => Promise<T>) =>
    (rel: string, ...a: A) => {
      asked.push(`${op} ${rel}`);
      return f(rel, ...a);
    };
  return {
    asked,
    fs: {
      id: `${inner.id}#counting`,
      root: inner.root,
      readFile: log("read", inner.readFile),
      readlink: log("readlink", inner.readlink),
      readdir: log("readdir", inner.readdir),
      stat: log("stat", inner.stat),
    },
  };
}

describe("what is read (each read is SFTP requests on a remote host)", () => {
  it("the scan reads every cmdline, and stat only of device models", async () => {
    const { fs: pfs, asked } = counting(fp.dir);
    await scanXenDomids(pfs);
    expect(asked.filter((a) => a.endsWith("/stat")).sort()).toEqual(["read 1001/stat", "read 1002/stat", "read 1003/stat", "read 1004/stat"]);
    expect(asked.filter((a) => a.endsWith("/cmdline"))).toHaveLength(7);
    expect(asked).toHaveLength(1 + 7 + 4);
  });

  it("an inspection reads status, limits and three links, and not the cmdline the scan read", async () => {
    const { fs: pfs, asked } = counting(fp.dir);
    forgetInitNamespaces(pfs);
    await inspectProcess(pfs, 1001, "cmdline-xen-domid", { cmdline: ["given"] });
    expect(asked.filter((a) => !a.includes(" 1/")).sort()).toEqual([
      "read 1001/limits",
      "read 1001/status",
      "readlink 1001/ns/ipc",
      "readlink 1001/ns/mnt",
      "readlink 1001/root",
    ]);
    // PID 1's namespaces: read once, then kept for the next inspections.
    expect(asked.filter((a) => a.includes(" 1/")).sort()).toEqual(["readlink 1/ns/ipc", "readlink 1/ns/mnt"]);
    asked.length = 0;
    await inspectProcess(pfs, 1002, "cmdline-xen-domid", { cmdline: ["given"] });
    expect(asked).toHaveLength(5);
  });
});
