/**
 * Walk a XenStore subtree with many requests in flight. A host of 1000 guests is ~40k nodes,
 * i.e. ~80k READ/DIRECTORY round trips: done one at a time (as xenstore-ls does) that is
 * latency-bound; pipelined on one connection it is throughput-bound.
 */
import type { XsPerms } from "@/lib/devmodel/types";
import type { XenStoreClient, XsTransaction } from "./client";
import { hasErrno } from "./errors";

export interface ReadTreeOptions {
  /** Nodes visited at once (each visit is 2–3 requests); default 64. */
  concurrency?: number;
  /** Read inside one transaction for a consistent snapshot (ended with abort unless `validate`). */
  transaction?: boolean;
  /** With `transaction`: end with commit "T" and re-walk on EAGAIN (see XenStoreClient.withTransaction). */
  validate?: boolean;
  /** Also fetch each node's permissions. */
  perms?: boolean;
  /** Do not descend below this many levels under root (root = depth 0); default unlimited. */
  maxDepth?: number;
}

export interface TreeSnapshot {
  /**
   * Absolute path → value (UTF-8). Directories normally have the value "". Includes root itself.
   * Keys are in depth-first, server child order — the order xenstore-ls prints — whatever order
   * the pipelined replies arrived in, so snapshots of an unchanged tree are byte-identical.
   */
  values: Record<string, string>;
  /** Absolute path → permissions, when asked for. */
  perms?: Record<string, XsPerms>;
  /** Nodes that vanished while we walked (ENOENT races), skipped. */
  vanished: string[];
}

const DEFAULT_CONCURRENCY = 64;

export function joinPath(parent: string, child: string): string {
  return parent === "/" ? `/${child}` : `${parent}/${child}`;
}

/** Absolute path → value for `root` and everything below it; {} when root itself does not exist. */
export async function readTree(client: XenStoreClient, root: string, opts: ReadTreeOptions = {}): Promise<Record<string, string>> {
  return (await readTreeDetailed(client, root, opts)).values;
}

export async function readTreeDetailed(client: XenStoreClient, root: string, opts: ReadTreeOptions = {}): Promise<TreeSnapshot> {
  if (opts.transaction) {
    return client.withTransaction((tx) => walk(client, root, opts, tx), { validate: opts.validate === true });
  }
  return walk(client, root, opts, undefined);
}

function walk(client: XenStoreClient, root: string, opts: ReadTreeOptions, tx: XsTransaction | undefined): Promise<TreeSnapshot> {
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
  const maxDepth = opts.maxDepth ?? Infinity;
  const found = new Map<string, { value: string; children: string[] }>();
  const foundPerms = new Map<string, XsPerms>();
  const vanished: string[] = [];
  // Stack, not queue: depth-first keeps the frontier (and memory) small on wide trees.
  const todo: Array<{ path: string; depth: number }> = [{ path: root, depth: 0 }];
  let active = 0;

  const visit = async (path: string, depth: number): Promise<void> => {
    const wantChildren = depth < maxDepth;
    const [value, children, p] = (await Promise.all([
      client.readBuffer(path, tx),
      wantChildren ? client.directory(path, tx) : Promise.resolve<string[]>([]),
      opts.perms ? client.getPerms(path, tx) : Promise.resolve(undefined),
    ]).catch((e: unknown) => {
      // Removed between its parent's listing and our reads: not an error for a snapshot.
      if (hasErrno(e, "ENOENT")) return null;
      throw e;
    })) ?? [null, [] as string[], undefined];
    if (value === null) {
      vanished.push(path);
      return;
    }
    found.set(path, { value: value.toString("utf8"), children });
    if (p) foundPerms.set(path, p);
    for (let i = children.length - 1; i >= 0; i--) todo.push({ path: joinPath(path, children[i]), depth: depth + 1 });
  };

  return new Promise<TreeSnapshot>((resolve, reject) => {
    let failed = false;
    const pump = (): void => {
      if (failed) return;
      while (active < concurrency && todo.length > 0) {
        const next = todo.pop()!;
        active++;
        visit(next.path, next.depth).then(
          () => {
            active--;
            if (active === 0 && todo.length === 0) resolve(ordered(root, found, foundPerms, opts.perms === true, vanished));
            else pump();
          },
          (e: unknown) => {
            failed = true;
            reject(e);
          },
        );
      }
    };
    pump();
  });
}

/** Lay the walk's results out depth first in child order (iteratively: trees can be deep). */
function ordered(
  root: string,
  found: Map<string, { value: string; children: string[] }>,
  foundPerms: Map<string, XsPerms>,
  withPerms: boolean,
  vanished: string[],
): TreeSnapshot {
  const values: Record<string, string> = {};
  const perms: Record<string, XsPerms> | undefined = withPerms ? {} : undefined;
  const stack = [root];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const node = found.get(path);
    if (!node) continue; // vanished mid-walk
    values[path] = node.value;
    const p = foundPerms.get(path);
    if (perms && p) perms[path] = p;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(joinPath(path, node.children[i]));
  }
  return { values, perms, vanished };
}
