/**
 * procfs reads are bounded (issue 10, item 9): whatever sits under a configured procfs root — a
 * FIFO, a device, a huge file, a mount that never answers — the inspection returns, with the
 * refusal recorded, and the server's event loop is never held.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainProcErrors } from "@/lib/devmodel/analysis";
import {
  DeviceModelPidFinder,
  LocalProcFs,
  ProcFsError,
  PROCFS_MAX_FILE_BYTES,
  inspectProcess,
  localProcFs,
  scanXenDomids,
  withDeadlines,
  type ProcFs,
} from "@/lib/devmodel/procfs";
import { FakeProc } from "@/lib/devmodel/sim/fakeproc";
import { DEFAULT_LIMITS, type FakeProcessSpec } from "@/lib/devmodel/sim/fleet";

const ns = { mnt: "mnt:[4026531841]", ipc: "ipc:[4026531839]" };
const proc = (pid: number, cmdline: string[]): FakeProcessSpec => ({
  pid,
  ppid: 1,
  comm: "qemu",
  cmdline,
  uid: [0, 0, 0, 0],
  gid: [0, 0, 0, 0],
  root: "/",
  ns,
  limits: DEFAULT_LIMITS as FakeProcessSpec["limits"],
});
const qemu = (domid: number) => ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", String(domid)];

/**
 * The same refusals whichever way the files are read: on a disk (through the thread pool, with
 * a deadline) and on tmpfs (synchronously, as on a real procfs).
 */
const ROOTS: Array<[string, string]> = [["on a disk", os.tmpdir()]];
if (fs.existsSync("/dev/shm")) ROOTS.push(["on tmpfs (read synchronously)", "/dev/shm"]);

describe.each(ROOTS)("bounded procfs reads %s", (_label, base) => {
  let dir: string;
  let root: string;
  /** Replace a file of the fake /proc with a FIFO nobody writes to. */
  const fifo = (rel: string): void => {
    const p = path.join(root, rel);
    fs.rmSync(p, { force: true });
    execFileSync("mkfifo", [p]);
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(base, "dm-procbounds-"));
    const fp = await FakeProc.create(path.join(dir, "proc"), [
      proc(1, ["/sbin/init"]),
      proc(201, qemu(1)),
      proc(202, qemu(2)),
      proc(203, qemu(3)),
      proc(204, qemu(4)),
    ]);
    root = fp.dir;
    fifo("201/status");
    fifo("201/limits");
    fifo("202/cmdline");
    fs.writeFileSync(path.join(root, "203/status"), "Name:\tqemu\n" + "x".repeat(PROCFS_MAX_FILE_BYTES + 10));
    fs.rmSync(path.join(root, "204/limits"));
    fs.symlinkSync("/dev/zero", path.join(root, "204/limits")); // endless, if anyone read it
    // Let the file-system probe answer, so the tmpfs run really takes the synchronous path.
    const probe = new LocalProcFs(root);
    for (let i = 0; i < 100 && !probe.readsSynchronously && base === "/dev/shm"; i++) await new Promise((r) => setTimeout(r, 5));
    expect(new LocalProcFs(root).readsSynchronously).toBe(base === "/dev/shm");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a FIFO where a /proc file should be is refused, not waited on", async () => {
    const f = await inspectProcess(root, 201, "cmdline-xen-domid");
    expect(f.errors).toEqual(expect.arrayContaining(["status: ENOTREG", "limits: ENOTREG"]));
    expect(f.cmdline).toEqual(qemu(1));
    expect(f.ns.mnt.self).toBe(ns.mnt);
    expect(explainProcErrors(f)).toContain("/proc/201/status is not a regular file (not read)");
  });

  it("the /proc scan skips a FIFO cmdline and finds the others", async () => {
    const scan = await scanXenDomids(root);
    expect([...scan.byDomid.keys()].sort()).toEqual([1, 3, 4]);
    expect(await new DeviceModelPidFinder(root).find(2, 202)).toBeNull();
    const f = await inspectProcess(root, 202, "xenstore-device-model-pid");
    expect(f.cmdline).toBeNull();
    expect(f.errors[0]).toBe("cmdline: ENOTREG");
  });

  it("a file over the size cap is refused whole; a device is not read", async () => {
    const f = await inspectProcess(root, 203, "cmdline-xen-domid");
    expect(f.errors).toContain("status: EFBIG");
    expect(f.uid).toBeNull();
    expect(f.limits?.["Max file size"]).toBeDefined();
    const g = await inspectProcess(root, 204, "cmdline-xen-domid");
    expect(g.errors).toContain("limits: ENOTREG");
    await expect(new LocalProcFs(root).readFile("203/status", { maxBytes: 100 })).rejects.toMatchObject({ code: "EFBIG" });
    expect(await new LocalProcFs(root).readFile("203/status", { maxBytes: PROCFS_MAX_FILE_BYTES * 2 })).toHaveLength(PROCFS_MAX_FILE_BYTES + 21);
    expect(await new LocalProcFs(root).readFile("203/status", { maxBytes: PROCFS_MAX_FILE_BYTES + 21 })).toHaveLength(PROCFS_MAX_FILE_BYTES + 21);
    await expect(new LocalProcFs(root).readFile("203/status", { maxBytes: PROCFS_MAX_FILE_BYTES + 20 })).rejects.toMatchObject({ code: "EFBIG" });
  });

  it("paths cannot leave the procfs root", async () => {
    const p = localProcFs(root);
    for (const rel of ["../../etc/passwd", "/etc/passwd", "201/../../x", "201//status", "..", "201/..", "201/status/"]) {
      await expect(p.readFile(rel), rel).rejects.toMatchObject({ code: "EINVAL" });
      if (base === "/dev/shm") expect(() => p.readFileNow?.(rel), rel).toThrow(expect.objectContaining({ code: "EINVAL" }));
    }
    // ".." only as a whole component: "..201" is a name like any other (and absent).
    await expect(p.readFile("..201/status")).rejects.toMatchObject({ code: "ENOENT" });
    await expect(p.readdir("", { maxEntries: 2 })).rejects.toMatchObject({ code: "EFBIG" });
    expect(await p.stat("201/status")).toMatchObject({ type: "other" });
    expect(await p.stat("201/root")).toMatchObject({ type: "symlink" });
  });

  it("reading now (no promise) gives what the reads through promises give, refusals included", async () => {
    const p = localProcFs(root);
    // Only the promise-returning operations: the way SFTP reads.
    const later: ProcFs = { id: `${p.id}#later`, root: p.root, readFile: p.readFile, readlink: p.readlink, readdir: p.readdir, stat: p.stat };
    if (base === "/dev/shm") {
      expect(p.readFileNow?.("204/status")).toContain("Uid:");
      expect(p.readlinkNow?.("204/ns/mnt")).toBe(ns.mnt);
      expect(() => p.readFileNow?.("201/status")).toThrow(expect.objectContaining({ code: "ENOTREG" }));
      expect(() => p.readFileNow?.("999/status")).toThrow(expect.objectContaining({ code: "ENOENT" }));
      // A cmdline read can wait on the target's memory: never done now.
      expect(p.readFileNow?.("204/cmdline")).toBeUndefined();
    } else {
      expect(p.readFileNow?.("204/status")).toBeUndefined();
    }
    expect(await p.readFile("204/cmdline")).toBe(qemu(4).join("\0") + "\0");
    await expect(p.readFile("202/cmdline")).rejects.toMatchObject({ code: "ENOTREG" });
    for (const pid of [1, 201, 202, 203, 204, 999]) {
      expect(await inspectProcess(p, pid, "cmdline-xen-domid"), String(pid)).toEqual(await inspectProcess(later, pid, "cmdline-xen-domid"));
    }
    const [a, b] = [await scanXenDomids(p), await scanXenDomids(later)];
    expect(a).toEqual(b);
    expect(a.startTime.size).toBe(3);
  });
});

describe("procfs deadlines", () => {
  it("every operation has a deadline: a procfs that never answers gives ETIMEDOUT, not a hang", async () => {
    const hung: ProcFs = {
      id: "hung",
      root: "/mnt/stale-nfs/proc",
      readFile: () => new Promise(() => {}),
      readlink: () => new Promise(() => {}),
      readdir: () => new Promise(() => {}),
      stat: () => new Promise(() => {}),
    };
    const bounded = withDeadlines(hung, 50);
    const err = await bounded.readFile("1/status").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcFsError);
    expect(err).toMatchObject({ code: "ETIMEDOUT", path: "/mnt/stale-nfs/proc/1/status" });
    const f = await inspectProcess(bounded, 7, "cmdline-xen-domid");
    expect(f.errors.slice(0, 6)).toEqual([
      "cmdline: ETIMEDOUT",
      "status: ETIMEDOUT",
      "limits: ETIMEDOUT",
      "root: ETIMEDOUT",
      "ns/mnt: ETIMEDOUT",
      "ns/ipc: ETIMEDOUT",
    ]);
    expect((await scanXenDomids(bounded)).byDomid.size).toBe(0);
    expect(() => withDeadlines(hung, Infinity)).toThrow(RangeError);
  });
});
