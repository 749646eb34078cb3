/**
 * Read what /proc says about one device-model process (xen-devmodel.md §4.6 checks 2–6).
 *
 * Every part is read independently: on a real dom0 some of them need ptrace-read access
 * (root, ns/*) and fail with EACCES for an unprivileged dashboard, and a process can exit
 * halfway. Each failure becomes an entry of `errors` ("root: EACCES") instead of failing
 * the whole inspection.
 */
import fs from "node:fs";
import { readFile, readlink } from "./fsx";
import path from "node:path";
import type { ProcessFacts } from "@/lib/devmodel/types";
import { parseCmdline, parseLimits, parseStatusIds } from "./parse";

export const DEFAULT_PROC_ROOT = "/proc";

export type FoundBy = ProcessFacts["foundBy"];

function errCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}

/**
 * PID 1's namespace links, read once per proc root and reused: they are the reference
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

export function readInitNamespaces(procRoot: string = DEFAULT_PROC_ROOT): Promise<InitNs> {
  const hit = initNsCache.get(procRoot);
  const now = Date.now();
  if (hit && now - hit.at < INIT_NS_TTL_MS) return hit.value;
  const value = (async (): Promise<InitNs> => {
    const errors: string[] = [];
    const link = async (name: "mnt" | "ipc") => {
      try {
        return await readlink(path.join(procRoot, "1", "ns", name));
      } catch (e) {
        errors.push(`init ns/${name}: ${errCode(e)}`);
        return null;
      }
    };
    const [mnt, ipc] = await Promise.all([link("mnt"), link("ipc")]);
    return { mnt, ipc, errors };
  })();
  initNsCache.set(procRoot, { at: now, value });
  return value;
}

export function forgetInitNamespaces(procRoot?: string): void {
  if (procRoot === undefined) initNsCache.clear();
  else initNsCache.delete(procRoot);
}

export interface InspectOptions {
  /** argv already read (by the /proc scan): not read again. */
  cmdline?: string[];
}

export async function inspectProcess(
  procRoot: string = DEFAULT_PROC_ROOT,
  pid: number,
  foundBy: FoundBy,
  opts: InspectOptions = {},
): Promise<ProcessFacts> {
  const dir = path.join(procRoot, String(pid));
  const errors: string[] = [];
  const attempt = async <T>(label: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (e) {
      errors.push(`${label}: ${errCode(e)}`);
      return null;
    }
  };
  const attemptSync = <T>(label: string, fn: () => T): T | null => {
    try {
      return fn();
    } catch (e) {
      errors.push(`${label}: ${errCode(e)}`);
      return null;
    }
  };

  // cmdline is read asynchronously: the kernel reads it from the target's memory under
  // its mmap lock, and a stuck process can block that read for a long time (the classic
  // hanging `ps`). status, limits and the root/ns links do not touch the target's memory
  // and answer in microseconds, so they are read synchronously: a libuv round trip costs
  // more than the read, times a few thousand files per snapshot.
  const cmdlineP = opts.cmdline ? opts.cmdline : attempt("cmdline", () => readFile(path.join(dir, "cmdline"), "utf8"));
  const status = attemptSync("status", () => fs.readFileSync(path.join(dir, "status"), "utf8"));
  const limitsRaw = attemptSync("limits", () => fs.readFileSync(path.join(dir, "limits"), "utf8"));
  const root = attemptSync("root", () => fs.readlinkSync(path.join(dir, "root")));
  const mnt = attemptSync("ns/mnt", () => fs.readlinkSync(path.join(dir, "ns", "mnt")));
  const ipc = attemptSync("ns/ipc", () => fs.readlinkSync(path.join(dir, "ns", "ipc")));
  const [cmdlineRaw, init] = await Promise.all([cmdlineP, readInitNamespaces(procRoot)]);

  // Keep the order of `errors` stable (cmdline first) whatever finished first.
  const cmdErr = errors.findIndex((e) => e.startsWith("cmdline: "));
  if (cmdErr > 0) errors.unshift(...errors.splice(cmdErr, 1));

  let uid: ProcessFacts["uid"] = null;
  let gid: ProcessFacts["gid"] = null;
  if (status !== null) {
    ({ uid, gid } = parseStatusIds(status));
    if (!uid) errors.push("status: no Uid line");
    if (!gid) errors.push("status: no Gid line");
  }
  let limits: ProcessFacts["limits"] = null;
  if (limitsRaw !== null) {
    limits = parseLimits(limitsRaw);
    if (Object.keys(limits).length === 0) {
      errors.push("limits: unparsable");
      limits = null;
    }
  }
  errors.push(...init.errors);
  return {
    pid,
    foundBy,
    // A zombie or kernel thread has an empty cmdline; report that as unknown.
    cmdline: Array.isArray(cmdlineRaw) ? cmdlineRaw : cmdlineRaw === null || cmdlineRaw === "" ? null : parseCmdline(cmdlineRaw),
    uid,
    gid,
    root,
    ns: { mnt: { self: mnt, init: init.mnt }, ipc: { self: ipc, init: init.ipc } },
    limits,
    errors,
  };
}
