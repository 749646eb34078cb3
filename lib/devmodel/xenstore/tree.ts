/**
 * Path helpers for XenStore walks. The one tree walker is the snapshot's (TreeWalk in
 * lib/devmodel/snapshot-xenstore.ts, `walkSubtree` on its own): the benchmark and the
 * real-peer tests use it, so they measure and check what production runs.
 */

export function joinPath(parent: string, child: string): string {
  return parent === "/" ? `/${child}` : `${parent}/${child}`;
}
