/**
 * Map a guest domid to the pid of its dom0 device model (xen-devmodel.md §4.6 check 1–2).
 *
 * libxl records the pid in `/local/domain/<g>/image/device-model-pid`; that value is
 * trusted only when the process still exists and, when its cmdline is readable, still
 * carries `-xen-domid <g>` (or qemu-dm's `-d <g>`; pids get reused after a QEMU restart).
 * Otherwise every process's cmdline is scanned for the same. The scan is one pass over /proc
 * that builds domid → pid for all guests at once and is memoised by the finder, so a
 * snapshot of 1000 guests reads each cmdline once, not 1000 times.
 */
import { toProcFs, type ProcFs } from "./fs";
import { DEFAULT_PROC_ROOT, type FoundBy } from "./inspect";
import { dmDomidFromArgv, parseCmdline } from "./parse";

export interface DmPidMatch {
  pid: number;
  foundBy: FoundBy;
}

/** How many cmdline files are read at once during a scan (bounds fds and threadpool queue). */
const SCAN_CONCURRENCY = 64;

/** Result of one pass over /proc: who serves which domid, and the argv read on the way. */
export interface XenDomidScan {
  /** domid → pids whose argv has `-xen-domid <domid>`, lowest first. */
  byDomid: Map<number, number[]>;
  /** pid → domid, for the same processes. */
  domidOf: Map<number, number>;
  /** pid → argv, for the same processes (saves reading cmdline again). */
  argv: Map<number, string[]>;
  /**
   * pid → start time (field 22 of /proc/<pid>/stat, clock ticks since boot), for the same
   * processes when readable: pid + start time names one process for its whole life.
   */
  startTime: Map<number, string>;
}

/** Field 22 of a /proc/<pid>/stat line (the comm in parentheses may hold spaces and ')'). */
export function parseStatStartTime(stat: string): string | null {
  const close = stat.lastIndexOf(")");
  if (close < 0) return null;
  // Fields 3… follow ") "; field 22 is after 19 more spaces (found in place: no array of 50 fields).
  let at = close + 2;
  for (let i = 0; i < 19 && at > 0; i++) at = stat.indexOf(" ", at) + 1;
  if (at <= 0 || at > stat.length) return null;
  const end = stat.indexOf(" ", at);
  const v = stat.slice(at, end < 0 ? stat.length : end);
  return /^\d+$/.test(v) ? v : null;
}

export async function scanXenDomids(procfs: ProcFs | string = DEFAULT_PROC_ROOT): Promise<XenDomidScan> {
  const fs = toProcFs(procfs);
  const scan: XenDomidScan = { byDomid: new Map(), domidOf: new Map(), argv: new Map(), startTime: new Map() };
  let names: string[];
  try {
    names = await fs.readdir("");
  } catch {
    return scan;
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
  let next = 0;
  const worker = async () => {
    while (next < pids.length) {
      const pid = pids[next++];
      let raw: string;
      try {
        raw = await fs.readFile(`${pid}/cmdline`);
      } catch {
        continue; // exited meanwhile, not readable, or refused (not a regular file, too big, too slow)
      }
      // Cheap filter before splitting: most processes are not QEMU.
      if (!raw.includes("xen-domid") && !raw.includes("qemu-dm")) continue;
      const argv = parseCmdline(raw);
      const domid = dmDomidFromArgv(argv);
      if (domid === null) continue;
      scan.domidOf.set(pid, domid);
      scan.argv.set(pid, argv);
      try {
        const rel = `${pid}/stat`;
        const start = parseStatStartTime(fs.readFileNow?.(rel) ?? (await fs.readFile(rel)));
        if (start !== null) scan.startTime.set(pid, start);
      } catch {
        // Unreadable stat: the process is still found; only what is keyed on its life is not.
      }
      const list = scan.byDomid.get(domid);
      if (list) list.push(pid);
      else scan.byDomid.set(domid, [pid]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SCAN_CONCURRENCY, pids.length) }, worker));
  // Several matches (e.g. a qdisk-only QEMU next to the HVM one): lowest pid first, stable.
  for (const list of scan.byDomid.values()) list.sort((a, b) => a - b);
  return scan;
}

/** domid → pids carrying `-xen-domid <domid>`. */
export async function scanXenDomidPids(procfs: ProcFs | string = DEFAULT_PROC_ROOT): Promise<Map<number, number[]>> {
  return (await scanXenDomids(procfs)).byDomid;
}

/** What the xenstore-recorded pid turned out to be. */
async function checkRecordedPid(fs: ProcFs, pid: number, domid: number): Promise<boolean> {
  let raw: string;
  try {
    raw = await fs.readFile(`${pid}/cmdline`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Present but unreadable (EACCES), or stuck (a wedged process's cmdline read waits on its
    // memory): cannot contradict libxl's record, so believe it.
    return code === "EACCES" || code === "EPERM" || code === "ETIMEDOUT";
  }
  if (raw === "") return false; // zombie or kernel thread
  return dmDomidFromArgv(parseCmdline(raw)) === domid;
}

/**
 * One per snapshot: memoises the /proc scan. Once a scan has been started, lookups use
 * it (a recorded pid the scan saw serving the guest costs no extra read); before that, a
 * recorded pid is checked on its own so a single lookup need not scan all of /proc.
 */
export class DeviceModelPidFinder {
  private scanPromise: Promise<XenDomidScan> | null = null;
  readonly procfs: ProcFs;
  constructor(procfs: ProcFs | string = DEFAULT_PROC_ROOT) {
    this.procfs = toProcFs(procfs);
  }

  get procRoot(): string {
    return this.procfs.root;
  }

  /** Start (or join) the scan; domid → pids. */
  async scan(): Promise<Map<number, number[]>> {
    return (await this.fullScan()).byDomid;
  }

  fullScan(): Promise<XenDomidScan> {
    this.scanPromise ??= scanXenDomids(this.procfs);
    return this.scanPromise;
  }

  /** argv the scan read for `pid`, if it was a -xen-domid process. */
  async argvOf(pid: number): Promise<string[] | undefined> {
    return this.scanPromise ? (await this.scanPromise).argv.get(pid) : undefined;
  }

  async find(domid: number, xenstorePid?: number | null): Promise<DmPidMatch | null> {
    const recorded = xenstorePid != null && Number.isInteger(xenstorePid) && xenstorePid > 0 ? xenstorePid : null;
    if (recorded !== null && !this.scanPromise) {
      if (await checkRecordedPid(this.procfs, recorded, domid)) return { pid: recorded, foundBy: "xenstore-device-model-pid" };
    }
    const scan = await this.fullScan();
    if (recorded !== null) {
      const serves = scan.domidOf.get(recorded);
      if (serves === domid) return { pid: recorded, foundBy: "xenstore-device-model-pid" };
      // Not seen with -xen-domid (qemu-dm uses -d; or cmdline unreadable): ask the process itself.
      if (serves === undefined && (await checkRecordedPid(this.procfs, recorded, domid))) {
        return { pid: recorded, foundBy: "xenstore-device-model-pid" };
      }
    }
    const pids = scan.byDomid.get(domid);
    return pids && pids.length > 0 ? { pid: pids[0], foundBy: "cmdline-xen-domid" } : null;
  }
}

/**
 * Convenience for one-off lookups. Pass a shared `finder` when looking up many guests
 * so the /proc scan runs once.
 */
export function findDeviceModelPid(
  procfs: ProcFs | string = DEFAULT_PROC_ROOT,
  domid: number,
  xenstorePid?: number | null,
  finder: DeviceModelPidFinder = new DeviceModelPidFinder(procfs),
): Promise<DmPidMatch | null> {
  return finder.find(domid, xenstorePid);
}
