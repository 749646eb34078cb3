/**
 * A fake /proc tree on disk for the simulated host: `<dir>/<pid>/{cmdline,status,stat,limits}`
 * as files, `root` and `ns/{mnt,ipc}` as (dangling) symlinks whose targets are what the
 * kernel's magic links read as ("/run/xen/qemu-root-5", "mnt:[4026532290]"). The procfs
 * reader cannot tell it from the real thing, which is the point: the same code path
 * reads both.
 *
 * Each process is written into a hidden staging directory and renamed into place, and
 * removed by renaming it away first, so a concurrent reader (the snapshot) sees a
 * process either complete or not at all, like the real /proc. The writes are issued in
 * parallel: on a virtual disk each metadata operation can take ~0.5 ms, and 1000
 * processes are ~8000 of them (measured here: 4.6 s one after the other, 0.35 s at once).
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { formatCmdline, formatLimits } from "@/lib/devmodel/procfs/parse";
import type { FakeProcessSpec } from "./fleet/types";

const STAGING_PREFIX = ".fakeproc-";
/** Processes written at once (bounds open fds and the libuv queue). */
const CONCURRENCY = 64;

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

/**
 * `/proc/<pid>/stat` (proc(5)): what matters here is field 22, the start time in clock ticks
 * since boot, which tells a process from a later one that got the same pid. Every process
 * written gets a later start time than the ones before it, as on a real host.
 */
let bootTicks = 100_000;
function statText(p: FakeProcessSpec): string {
  bootTicks += 7;
  const comm = p.comm.slice(0, 15);
  // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
  // cutime cstime priority nice num_threads itrealvalue starttime vsize rss …
  return `${p.pid} (${comm}) S ${p.ppid} ${p.pid} ${p.pid} 0 -1 4194560 1200 0 0 0 35 12 0 0 20 0 4 0 ${bootTicks} 1073741824 16384 18446744073709551615 0 0 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n`;
}

let stagingCounter = 0;

export class FakeProc {
  private readonly pids = new Set<number>();
  private constructor(readonly dir: string) {}

  /**
   * Create the directory (replacing an earlier fake /proc there) and write `processes`.
   * Refuses a directory holding anything but pid directories, so a mistyped `--proc .`
   * cannot wipe a checkout.
   */
  static async create(dir: string, processes: Iterable<FakeProcessSpec>): Promise<FakeProc> {
    if (fs.existsSync(dir)) {
      const stray = fs.readdirSync(dir).filter((n) => !/^\d+$/.test(n) && !n.startsWith(STAGING_PREFIX));
      if (stray.length > 0) throw new Error(`${dir} is not empty and not a fake /proc (found ${stray.slice(0, 3).join(", ")})`);
      await fsp.rm(dir, { recursive: true, force: true });
    }
    await fsp.mkdir(dir, { recursive: true });
    const fp = new FakeProc(dir);
    const list = [...processes];
    let next = 0;
    // Nobody reads the tree yet: write in place, no staging and rename.
    const worker = async () => {
      while (next < list.length) {
        const p = list[next++];
        await fp.write(p, path.join(dir, String(p.pid)));
        fp.pids.add(p.pid);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
    return fp;
  }

  has(pid: number): boolean {
    return this.pids.has(pid);
  }

  /** Add (or replace) one process; it appears atomically. */
  async add(p: FakeProcessSpec): Promise<void> {
    const stage = path.join(this.dir, `${STAGING_PREFIX}${process.pid}-${++stagingCounter}`);
    await this.write(p, stage);
    if (this.pids.has(p.pid)) await this.remove(p.pid);
    await fsp.rename(stage, path.join(this.dir, String(p.pid)));
    this.pids.add(p.pid);
  }

  private async write(p: FakeProcessSpec, stage: string): Promise<void> {
    await fsp.mkdir(path.join(stage, "ns"), { recursive: true });
    await Promise.all([
      fsp.writeFile(path.join(stage, "cmdline"), formatCmdline(p.cmdline), "latin1"),
      fsp.writeFile(path.join(stage, "status"), statusText(p)),
      fsp.writeFile(path.join(stage, "stat"), statText(p)),
      fsp.writeFile(path.join(stage, "limits"), formatLimits(p.limits)),
      fsp.symlink(p.root, path.join(stage, "root")),
      fsp.symlink(p.ns.mnt, path.join(stage, "ns", "mnt")),
      fsp.symlink(p.ns.ipc, path.join(stage, "ns", "ipc")),
    ]);
  }

  /** A process exited: it disappears atomically. */
  async remove(pid: number): Promise<void> {
    this.pids.delete(pid);
    const gone = path.join(this.dir, `${STAGING_PREFIX}gone-${process.pid}-${++stagingCounter}`);
    try {
      await fsp.rename(path.join(this.dir, String(pid)), gone);
    } catch {
      return; // not there
    }
    await fsp.rm(gone, { recursive: true, force: true });
  }

  /** Remove the whole tree. */
  async destroy(): Promise<void> {
    this.pids.clear();
    await fsp.rm(this.dir, { recursive: true, force: true });
  }
}
