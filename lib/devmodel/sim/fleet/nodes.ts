/** Small helpers to write XenStore subtrees compactly, parents before children. */
import type { XsNodeSpec } from "./types";

/** A subtree or value whose perms differ from its parent's. */
export class WithPerms {
  constructor(
    readonly perms: readonly string[],
    readonly body: string | TreeSpec,
  ) {}
}
export type TreeValue = string | TreeSpec | WithPerms | undefined | null;
export interface TreeSpec {
  [name: string]: TreeValue;
}

export function withPerms(perms: readonly string[], body: string | TreeSpec): WithPerms {
  return new WithPerms(perms, body);
}

/** Perms are shared arrays: a fleet of 1000 guests would otherwise hold 80 000 copies. */
const permCache = new Map<string, readonly string[]>();
export function perms(...entries: string[]): readonly string[] {
  const key = entries.join(",");
  let p = permCache.get(key);
  if (!p) {
    p = Object.freeze(entries.slice());
    permCache.set(key, p);
  }
  return p;
}

/**
 * Append `base` (as a directory, or a value when `body` is a string) and everything
 * below it to `out`. `undefined`/`null` members are skipped, which keeps optional keys
 * readable at the call site.
 */
export function emitTree(out: XsNodeSpec[], base: string, p: readonly string[], body: TreeValue): void {
  if (body === undefined || body === null) return;
  if (body instanceof WithPerms) return emitTree(out, base, body.perms, body.body);
  if (typeof body === "string") {
    out.push({ path: base, value: body, perms: p });
    return;
  }
  out.push({ path: base, value: "", perms: p });
  for (const [name, child] of Object.entries(body)) emitTree(out, `${base}/${name}`, p, child);
}

/** Paths of `nodes` whose parent is not itself among `nodes`: what to `rm` to remove them all. */
export function subtreeRoots(nodes: readonly XsNodeSpec[]): string[] {
  const set = new Set(nodes.map((n) => n.path));
  const roots: string[] = [];
  for (const n of nodes) {
    const parent = n.path.slice(0, n.path.lastIndexOf("/"));
    if (!set.has(parent)) roots.push(n.path);
  }
  return roots;
}
