/**
 * Where a guest's QMP socket is, by libxl's naming (xen-devmodel.md §3.2):
 * `<rundir>/qmp-libxl-<domid>` is libxl's own control monitor, which libxl needs
 * free; `<rundir>/qmp-libxenstat-<domid>` is a second monitor for observers, so
 * it is preferred whenever it exists.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";

export const DEFAULT_QMP_DIR = "/var/run/xen";
export type QmpSocketKind = "libxenstat" | "libxl";
export interface QmpSocketEntry {
  domid: number;
  kind: QmpSocketKind;
  path: string;
}

/** Domain ids below DOMID_FIRST_RESERVED (0x7FF0) in xen/include/public/xen.h. */
const MAX_DOMID = 0x7fef;
const NAME_RE = /^qmp-(libxenstat|libxl)-(0|[1-9]\d{0,4})$/;

/** `qmp-libxl-7` → { kind: "libxl", domid: 7 }; anything else → null. */
export function parseQmpSocketName(name: string): { domid: number; kind: QmpSocketKind } | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const domid = Number(m[2]);
  return domid <= MAX_DOMID ? { domid, kind: m[1] as QmpSocketKind } : null;
}

/** Choose, per domid, the preferred socket among directory entry names. Pure. */
export function pickQmpSockets(dir: string, names: Iterable<string>): Map<number, QmpSocketEntry> {
  const out = new Map<number, QmpSocketEntry>();
  for (const name of names) {
    const parsed = parseQmpSocketName(name);
    if (!parsed) continue;
    const have = out.get(parsed.domid);
    if (have && have.kind === "libxenstat") continue;
    out.set(parsed.domid, { ...parsed, path: path.join(dir, name) });
  }
  return out;
}

/**
 * One readdir for all guests (a host may run hundreds). Only sockets, or
 * symlinks/unknown types that may point at one, count. Errors (ENOENT, EACCES…)
 * are thrown with their Node code.
 */
export async function listLocalQmpSockets(dir: string): Promise<Map<number, QmpSocketEntry>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isSocket() || e.isSymbolicLink() || !(e.isFile() || e.isDirectory())).map((e) => e.name);
  return pickQmpSockets(dir, names);
}

/** listLocalQmpSockets, but a missing directory means no sockets. */
export async function scanQmpSockets(dir: string = DEFAULT_QMP_DIR): Promise<Map<number, QmpSocketEntry>> {
  try {
    return await listLocalQmpSockets(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw err;
  }
}

/** The socket to ask about `domid`, or null when there is none. */
export async function findQmpSocket(dir: string, domid: number): Promise<string | null> {
  return (await scanQmpSockets(dir)).get(domid)?.path ?? null;
}

/** Domids that have at least one QMP socket in `dir`, ascending. */
export async function listQmpDomids(dir: string = DEFAULT_QMP_DIR): Promise<number[]> {
  return [...(await scanQmpSockets(dir)).keys()].sort((a, b) => a - b);
}
