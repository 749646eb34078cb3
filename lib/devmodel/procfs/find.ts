/**
 * Map a guest domid to the pid of its dom0 device model (xen-devmodel.md §4.6 check 1–2).
 *
 * libxl records the pid in `/local/domain/<g>/image/device-model-pid`; that value is
 * trusted only when the process still exists and, when its cmdline is readable, still
 * carries `-xen-domid <g>` (pids get reused after a QEMU restart). Otherwise every
 * process's cmdline is scanned for `-xen-domid <g>`. The scan is one pass over /proc
 * that builds domid → pid for all guests at once and is memoised by the finder, so a
 * snapshot of 1000 guests reads each cmdline once, not 1000 times.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_PROC_ROOT, type FoundBy } from "./inspect";
import { parseCmdline, xenDomidFromArgv } from "./parse";

export interface DmPidMatch {
  pid: number;
  foundBy: FoundBy;
}

/** How many cmdline files are read at once during a scan (bounds fds and threadpool queue). */
const SCAN_CONCURRENCY = 64;

export async function scanXenDomidPids(procRoot: string = DEFAULT_PROC_ROOT): Promise<Map<number, number[]>> {
  const byDomid = new Map<number, number[]>();
  let names: string[];
  try {
    names = await readdir(procRoot);
  } catch {
    return byDomid;
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  let next = 0;
  const worker = async () => {
    while (next < pids.length) {
      const pid = pids[next++];
      let raw: string;
      try {
        raw = await readFile(path.join(procRoot, String(pid), "cmdline"), "latin1");
      } catch {
        continue; // exited meanwhile, or not readable: not ours to judge
      }
      // Cheap filter before splitting: most processes are not QEMU.
      if (!raw.includes("xen-domid")) continue;
      const domid = xenDomidFromArgv(parseCmdline(raw));
      if (domid === null) continue;
      const list = byDomid.get(domid);
      if (list) list.push(pid);
      else byDomid.set(domid, [pid]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, pids.length) }, worker));
  // Several matches (e.g. a qdisk-only QEMU next to the HVM one): lowest pid first, stable.
  for (const list of byDomid.values()) list.sort((a, b) => a - b);
  return byDomid;
}

/** What the xenstore-recorded pid turned out to be. */
async function checkRecordedPid(procRoot: string, pid: number, domid: number): Promise<boolean> {
  let raw: string;
  try {
    raw = await readFile(path.join(procRoot, String(pid), "cmdline"), "latin1");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Present but unreadable (EACCES): cannot contradict libxl's record, so believe it.
    return code === "EACCES" || code === "EPERM";
  }
  if (raw === "") return false; // zombie or kernel thread
  return xenDomidFromArgv(parseCmdline(raw)) === domid;
}

/** One per snapshot: memoises the /proc scan. */
export class DeviceModelPidFinder {
  private scanPromise: Promise<Map<number, number[]>> | null = null;
  constructor(readonly procRoot: string = DEFAULT_PROC_ROOT) {}

  scan(): Promise<Map<number, number[]>> {
    this.scanPromise ??= scanXenDomidPids(this.procRoot);
    return this.scanPromise;
  }

  async find(domid: number, xenstorePid?: number | null): Promise<DmPidMatch | null> {
    if (xenstorePid != null && Number.isInteger(xenstorePid) && xenstorePid > 0) {
      if (await checkRecordedPid(this.procRoot, xenstorePid, domid)) {
        return { pid: xenstorePid, foundBy: "xenstore-device-model-pid" };
      }
    }
    const pids = (await this.scan()).get(domid);
    return pids && pids.length > 0 ? { pid: pids[0], foundBy: "cmdline-xen-domid" } : null;
  }
}

/**
 * Convenience for one-off lookups. Pass a shared `finder` when looking up many guests
 * so the /proc scan runs once.
 */
export function findDeviceModelPid(
  procRoot: string = DEFAULT_PROC_ROOT,
  domid: number,
  xenstorePid?: number | null,
  finder: DeviceModelPidFinder = new DeviceModelPidFinder(procRoot),
): Promise<DmPidMatch | null> {
  return finder.find(domid, xenstorePid);
}
