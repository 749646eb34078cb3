/**
 * Read what /proc says about one device-model process (xen-devmodel.md §4.6 checks 2–6).
 *
 * Every part is read independently: on a real dom0 some of them need ptrace-read access
 * (root, ns/*) and fail with EACCES for an unprivileged dashboard, and a process can exit
 * halfway. Each failure becomes an entry of `errors` ("root: EACCES") instead of failing
 * the whole inspection.
 */
import type { ProcessFacts } from "@/lib/devmodel/types";
import { maskArgv } from "@/lib/devmodel/secrets";
import { toProcFs, type ProcFs } from "./fs";
import { parseCmdline, parseLimits, parseStatusIds } from "./parse";

export const DEFAULT_PROC_ROOT = "/proc";

export type FoundBy = ProcessFacts["foundBy"];

function errCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}

/**
 * PID 1's namespace links, read once per procfs and reused: they are the reference
 * every device model is compared with. The promise is cached, errors included (a
 * dashboard without ptrace access to init gets EACCES every time; no point retrying
 * within one snapshot). Call `forgetInitNamespaces` between snapshots if needed.
 */
export interface InitNs {
  mnt: string | null;
  ipc: string | null;
  errors: string[];
}
const initNsCache = new Map<string, { at: number; value: Promise<InitNs> }>();
const INIT_NS_TTL_MS = 5_000;

export function readInitNamespaces(procfs: ProcFs | string = DEFAULT_PROC_ROOT): Promise<InitNs> {
  const fs = toProcFs(procfs);
  const hit = initNsCache.get(fs.id);
  const now = Date.now();
  if (hit && now - hit.at < INIT_NS_TTL_MS) return hit.value;
  const value = (async (): Promise<InitNs> => {
    const errors: string[] = [];
    const link = async (name: "mnt" | "ipc") => {
      try {
        return await fs.readlink(`1/ns/${name}`);
      } catch (e) {
        errors.push(`init ns/${name}: ${errCode(e)}`);
        return null;
      }
    };
    const [mnt, ipc] = await Promise.all([link("mnt"), link("ipc")]);
    return { mnt, ipc, errors };
  })();
  if (initNsCache.size > 256) initNsCache.clear(); // one entry per host: bounded all the same
  initNsCache.set(fs.id, { at: now, value });
  return value;
}

/** Forget PID 1's namespaces for one procfs (its root path, for a local one), or for all. */
export function forgetInitNamespaces(procfs?: ProcFs | string): void {
  if (procfs === undefined) initNsCache.clear();
  else initNsCache.delete(toProcFs(procfs).id);
}

export interface InspectOptions {
  /** argv already read (by the /proc scan): not read again. */
  cmdline?: string[];
}

type Read<T> = { value: T | null; error: string | null };

async function attempt<T>(label: string, fn: () => Promise<T>): Promise<Read<T>> {
  try {
    return { value: await fn(), error: null };
  } catch (e) {
    return { value: null, error: `${label}: ${errCode(e)}` };
  }
}

/**
 * Every file is read through the procfs seam, so each read is bounded: a FIFO or a device
 * where a /proc file should be is refused (ENOTREG), a huge file stops at the cap (EFBIG), a
 * read that hangs (a cmdline waits on the target's memory; a hung mount) gives up at the
 * deadline (ETIMEDOUT). All parts are read at once.
 */
export async function inspectProcess(
  procfs: ProcFs | string = DEFAULT_PROC_ROOT,
  pid: number,
  foundBy: FoundBy,
  opts: InspectOptions = {},
): Promise<ProcessFacts> {
  const fs = toProcFs(procfs);
  const dir = String(pid);
  const [cmdlineRead, status, limitsRaw, root, mnt, ipc, init] = await Promise.all([
    opts.cmdline ? { value: opts.cmdline, error: null } : attempt("cmdline", () => fs.readFile(`${dir}/cmdline`)),
    attempt("status", () => fs.readFile(`${dir}/status`)),
    attempt("limits", () => fs.readFile(`${dir}/limits`)),
    attempt("root", () => fs.readlink(`${dir}/root`)),
    attempt("ns/mnt", () => fs.readlink(`${dir}/ns/mnt`)),
    attempt("ns/ipc", () => fs.readlink(`${dir}/ns/ipc`)),
    readInitNamespaces(fs),
  ]);
  // A stable order of `errors` whatever finished first.
  const errors: string[] = [];
  for (const r of [cmdlineRead, status, limitsRaw, root, mnt, ipc]) if (r.error) errors.push(r.error);

  let uid: ProcessFacts["uid"] = null;
  let gid: ProcessFacts["gid"] = null;
  if (status.value !== null) {
    ({ uid, gid } = parseStatusIds(status.value));
    if (!uid) errors.push("status: no Uid line");
    if (!gid) errors.push("status: no Gid line");
  }
  let limits: ProcessFacts["limits"] = null;
  if (limitsRaw.value !== null) {
    limits = parseLimits(limitsRaw.value);
    if (Object.keys(limits).length === 0) {
      errors.push("limits: unparsable");
      limits = null;
    }
  }
  errors.push(...init.errors);
  const raw = cmdlineRead.value;
  // A zombie or kernel thread has an empty cmdline; report that as unknown.
  const argv = Array.isArray(raw) ? raw : raw === null || raw === "" ? null : parseCmdline(raw);
  return {
    pid,
    foundBy,
    // Secrets on a command line (-object secret,data=…, password=…) are masked at the source.
    cmdline: argv && maskArgv(argv),
    uid,
    gid,
    root: root.value,
    ns: { mnt: { self: mnt.value, init: init.mnt }, ipc: { self: ipc.value, init: init.ipc } },
    limits,
    errors,
  };
}
