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
 * The host's namespace links, the reference every device model is compared with: PID 1's.
 * Where /proc/1/ns cannot be read (a sandbox's init, no ptrace access to it), a fallback
 * baseline: the namespaces of xenstored (dom0's own daemon, which runs in the host's), else —
 * only for this machine's own /proc — those of the reader itself, which then is assumed to run
 * in the host's. `baseline` says which one was used; the evidence shows it.
 *
 * Read once per procfs and reused for a few seconds, errors included (a dashboard without
 * ptrace access to init gets EACCES every time). Call `forgetInitNamespaces` to re-read.
 */
export interface InitNs {
  mnt: string | null;
  ipc: string | null;
  /** Whose namespaces these are: "PID 1", "xenstored (pid N)", "the reader (pid N)"; null when none. */
  baseline: string | null;
  errors: string[];
}
const initNsCache = new Map<string, { at: number; value: Promise<InitNs> }>();
const INIT_NS_TTL_MS = 5_000;
const XENSTORED_NAMES = new Set(["xenstored", "oxenstored", "xenstored.real"]);

/** The lowest pid whose argv[0] is xenstored or oxenstored, if any. */
async function findXenstored(fs: ProcFs): Promise<number | null> {
  let names: string[];
  try {
    names = await fs.readdir("");
  } catch {
    return null;
  }
  const pids = names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
  for (const pid of pids) {
    let raw: string;
    try {
      raw = await fs.readFile(`${pid}/cmdline`);
    } catch {
      continue;
    }
    if (!raw.includes("xenstored")) continue;
    const argv0 = raw.split("\0")[0];
    if (XENSTORED_NAMES.has(argv0.slice(argv0.lastIndexOf("/") + 1))) return pid;
  }
  return null;
}

async function nsOf(fs: ProcFs, who: string): Promise<{ mnt: string; ipc: string } | string> {
  try {
    const [mnt, ipc] = await Promise.all([fs.readlink(`${who}/ns/mnt`), fs.readlink(`${who}/ns/ipc`)]);
    return { mnt, ipc };
  } catch (e) {
    return errCode(e);
  }
}

export function readInitNamespaces(procfs: ProcFs | string = DEFAULT_PROC_ROOT): Promise<InitNs> {
  const fs = toProcFs(procfs);
  const hit = initNsCache.get(fs.id);
  const now = Date.now();
  if (hit && now - hit.at < INIT_NS_TTL_MS) return hit.value;
  const value = (async (): Promise<InitNs> => {
    const init = await nsOf(fs, "1");
    if (typeof init !== "string") return { ...init, baseline: "PID 1", errors: [] };
    const errors = [`init ns: ${init}`];
    const xs = await findXenstored(fs);
    if (xs !== null) {
      const n = await nsOf(fs, String(xs));
      if (typeof n !== "string") return { ...n, baseline: `xenstored (pid ${xs})`, errors: [] };
      errors.push(`xenstored (pid ${xs}) ns: ${n}`);
    }
    // Our own namespaces mean something only when this procfs is our own machine's.
    if (fs.id === `local:${DEFAULT_PROC_ROOT}`) {
      const n = await nsOf(fs, "self");
      if (typeof n !== "string") return { ...n, baseline: `the reader (pid ${process.pid}; assumed to run in the host's namespaces)`, errors: [] };
      errors.push(`own ns: ${n}`);
    }
    return { mnt: null, ipc: null, baseline: null, errors };
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

/**
 * `now()` where the procfs can answer at once (`readFileNow`/`readlinkNow`: no promise, no
 * deadline), else `later()`; a failure either way becomes "label: CODE".
 */
function attempt<T>(label: string, later: () => Promise<T>, now?: () => T | undefined): Read<T> | Promise<Read<T>> {
  if (now) {
    try {
      const value = now();
      if (value !== undefined) return { value, error: null };
    } catch (e) {
      return { value: null, error: `${label}: ${errCode(e)}` };
    }
  }
  return later().then(
    (value) => ({ value, error: null }),
    (e: unknown) => ({ value: null, error: `${label}: ${errCode(e)}` }),
  );
}

function readPart(fs: ProcFs, label: string, rel: string): Read<string> | Promise<Read<string>> {
  return attempt(label, () => fs.readFile(rel), fs.readFileNow && (() => fs.readFileNow!(rel)));
}

function linkPart(fs: ProcFs, label: string, rel: string): Read<string> | Promise<Read<string>> {
  return attempt(label, () => fs.readlink(rel), fs.readlinkNow && (() => fs.readlinkNow!(rel)));
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
    readPart(fs, "status", `${dir}/status`),
    readPart(fs, "limits", `${dir}/limits`),
    linkPart(fs, "root", `${dir}/root`),
    linkPart(fs, "ns/mnt", `${dir}/ns/mnt`),
    linkPart(fs, "ns/ipc", `${dir}/ns/ipc`),
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
    ns: { mnt: { self: mnt.value, init: init.mnt }, ipc: { self: ipc.value, init: init.ipc }, baseline: init.baseline },
    limits,
    errors,
  };
}
