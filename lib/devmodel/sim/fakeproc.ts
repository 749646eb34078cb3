/**
 * A fake /proc tree on disk for the simulated host: `<dir>/<pid>/{cmdline,status,limits}`
 * as files, `root` and `ns/{mnt,ipc}` as (dangling) symlinks whose targets are what the
 * kernel's magic links read as ("/run/xen/qemu-root-5", "mnt:[4026532290]"). The procfs
 * reader cannot tell it from the real thing, which is the point: the same code path
 * reads both.
 *
 * Written with synchronous fs calls on purpose: a 1000-VM host is ~8000 small fs ops that
 * finish in well under a second, and doing them in order keeps the tree consistent for a
 * reader at every await point of the caller.
 */
import fs from "node:fs";
import path from "node:path";
import { formatCmdline, formatLimits } from "@/lib/devmodel/procfs/parse";
import type { FakeProcessSpec } from "./fleet/types";

function statusText(p: FakeProcessSpec): string {
  // The fields tools look at most, in the kernel's order (fs/proc/array.c).
  return [
    `Name:\t${p.comm}`,
    "Umask:\t0022",
    "State:\tS (sleeping)",
    `Tgid:\t${p.pid}`,
    "Ngid:\t0",
    `Pid:\t${p.pid}`,
    `PPid:\t${p.ppid}`,
    "TracerPid:\t0",
    `Uid:\t${p.uid.join("\t")}`,
    `Gid:\t${p.gid.join("\t")}`,
    "FDSize:\t64",
    `Groups:\t${p.gid[0] === 0 ? "" : p.gid[0]}`,
    `NStgid:\t${p.pid}`,
    `NSpid:\t${p.pid}`,
    "VmRSS:\t   65536 kB",
    "Threads:\t4",
    "Seccomp:\t0",
    "",
  ].join("\n");
}

export class FakeProc {
  private readonly pids = new Set<number>();
  constructor(readonly dir: string) {}

  /** Create the directory (emptying a previous tree) and write `processes`. */
  static create(dir: string, processes: Iterable<FakeProcessSpec>): FakeProc {
    // Never wipe a directory that is not a fake /proc (a mistyped --proc ./ must not
    // delete the checkout): only pid directories may be in it.
    if (fs.existsSync(dir)) {
      const stray = fs.readdirSync(dir).filter((n) => !/^\d+$/.test(n));
      if (stray.length > 0) throw new Error(`${dir} is not empty and not a fake /proc (found ${stray.slice(0, 3).join(", ")})`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const fp = new FakeProc(dir);
    for (const p of processes) fp.add(p);
    return fp;
  }

  has(pid: number): boolean {
    return this.pids.has(pid);
  }

  list(): number[] {
    return [...this.pids].sort((a, b) => a - b);
  }

  /** Add (or replace) one process. */
  add(p: FakeProcessSpec): void {
    const d = path.join(this.dir, String(p.pid));
    if (this.pids.has(p.pid)) fs.rmSync(d, { recursive: true, force: true });
    fs.mkdirSync(path.join(d, "ns"), { recursive: true });
    fs.writeFileSync(path.join(d, "cmdline"), formatCmdline(p.cmdline), "latin1");
    fs.writeFileSync(path.join(d, "status"), statusText(p));
    fs.writeFileSync(path.join(d, "limits"), formatLimits(p.limits));
    fs.symlinkSync(p.root, path.join(d, "root"));
    fs.symlinkSync(p.ns.mnt, path.join(d, "ns", "mnt"));
    fs.symlinkSync(p.ns.ipc, path.join(d, "ns", "ipc"));
    this.pids.add(p.pid);
  }

  /** A process exited. */
  remove(pid: number): void {
    fs.rmSync(path.join(this.dir, String(pid)), { recursive: true, force: true });
    this.pids.delete(pid);
  }

  /** Remove the whole tree. */
  destroy(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.pids.clear();
  }
}

/** Write a fake /proc for `processes` into `dir` (replacing what was there). */
export function writeFakeProc(dir: string, processes: Iterable<FakeProcessSpec>): FakeProc {
  return FakeProc.create(dir, processes);
}
