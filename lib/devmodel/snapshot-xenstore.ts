/**
 * The XenStore half of a snapshot: for one domain, every key that belongs to its device
 * model (the list in DomainSnapshot.keys), read inside one transaction per domain.
 *
 * Why per domain and not one transaction for the host: C xenstored and oxenstored bound
 * what a transaction may touch (oxenstored: 1024 requests per transaction by default;
 * C xenstored limits accessed nodes), a host-wide walk of 1000 guests is ~50k requests,
 * and on a busy host any VM start would make one big transaction fail its commit and
 * restart a whole-host walk. A domain's keys are ~30 nodes, so a conflicting change
 * costs one small re-read, and what must be consistent — one device model's keys
 * against each other — is.
 */
import { maskXenStoreValue } from "@/lib/devmodel/secrets";
import type { XsPerms } from "@/lib/devmodel/types";
import type { XenStoreClient, XsReplySink, XsTransaction } from "@/lib/devmodel/xenstore";
import { hasErrno, joinPath } from "@/lib/devmodel/xenstore";

/** PV backend types QEMU can serve (xen-devmodel.md §2.3); vbd/vif are the kernel's. */
export const QEMU_BACKEND_TYPES: readonly string[] = ["qdisk", "console", "vkbd", "vfb", "9pfs", "qusb", "qnic", "qnet"];

export interface DomainKeys {
  domid: number;
  name: string | null;
  /** Absolute path → value, as DomainSnapshot.keys (in walk order). */
  keys: Map<string, string>;
  /** `image/device-model-domid` when set. */
  stubDmDomid: number | null;
  /** `image/device-model-pid` when set and numeric. */
  dmPid: number | null;
  /** The device-model directory that was found (dom0's or the stub domain's), if any. */
  dmDir: string | null;
  dmDirPerms: XsPerms | null;
  dmVersion: string | null;
  guestType: string | null;
}

/**
 * Walk `root` with every known node in flight at once: READ and DIRECTORY of a node are
 * sent together, its children as soon as the listing arrives (a domain's subtrees are
 * 3–4 levels deep, so a handful of round trips). A node that vanished meanwhile (or is
 * hidden, EACCES) is left out with its subtree; a missing root adds nothing.
 */
export function walk(client: XenStoreClient, root: string, tx: XsTransaction | undefined, out: Map<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) => new TreeWalk(client, tx, out, resolve, reject).visit(root));
}

/**
 * The snapshot's walker on its own: `root` and everything below it, path → value (masked as in
 * a snapshot), inside one validated transaction when asked. The benchmark compares it with
 * `xenstore-ls` and the real-peer tests check it: they measure and test what production runs.
 */
export async function walkSubtree(client: XenStoreClient, root: string, opts: { transaction?: boolean } = {}): Promise<Map<string, string>> {
  if (!opts.transaction) {
    const out = new Map<string, string>();
    await walk(client, root, undefined, out);
    return out;
  }
  return client.withTransaction(
    async (tx) => {
      const out = new Map<string, string>();
      await walk(client, root, tx, out);
      return out;
    },
    { validate: true },
  );
}

/**
 * The walk's state, as a class with plain methods rather than closures: it runs for
 * ~30 000 nodes per 1000-guest snapshot, and per-node closures and promises were most of a
 * snapshot's allocations (GC, and tsx's keepNames wrapper on every named closure). It is the
 * client's reply sink: each node is the tag of its two requests.
 */
class TreeWalk implements XsReplySink<PendingNode> {
  private open = 0;
  private failed = false;
  constructor(
    private readonly client: XenStoreClient,
    private readonly tx: XsTransaction | undefined,
    private readonly out: Map<string, string>,
    private readonly resolve: () => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  visit(path: string): void {
    this.open++;
    const node = new PendingNode(path);
    this.client.readTo(path, this.tx, this, node);
    this.client.directoryTo(path, this.tx, this, node);
  }

  onRead(node: PendingNode, err: Error | null, value: string | null): void {
    if (err) return this.error(node, err);
    node.value = value;
    this.settle(node);
  }

  onDirectory(node: PendingNode, err: Error | null, names: string[] | null): void {
    if (err) return this.error(node, err);
    node.children = names;
    this.settle(node);
  }

  private error(node: PendingNode, e: unknown): void {
    if (hasErrno(e, "ENOENT") || hasErrno(e, "EACCES")) node.skip = true;
    else if (!this.failed) {
      this.failed = true;
      this.reject(e);
    }
    this.settle(node);
  }

  private settle(node: PendingNode): void {
    if (--node.left > 0) return;
    if (!node.skip && !this.failed) {
      // Masked here, at the source: nothing above the snapshot ever holds the secret.
      this.out.set(node.path, maskXenStoreValue(node.path, node.value!));
      for (const c of node.children!) this.visit(joinPath(node.path, c));
    }
    if (--this.open === 0 && !this.failed) this.resolve();
  }
}

class PendingNode {
  value: string | null = null;
  children: string[] | null = null;
  left = 2;
  skip = false;
  constructor(readonly path: string) {}
}

async function tryDirectory(client: XenStoreClient, path: string, tx: XsTransaction | undefined): Promise<string[]> {
  try {
    return await client.directory(path, tx);
  } catch (e) {
    if (hasErrno(e, "ENOENT") || hasErrno(e, "EACCES")) return [];
    throw e;
  }
}

async function tryRead(client: XenStoreClient, path: string, tx: XsTransaction | undefined): Promise<string | null> {
  try {
    return await client.read(path, tx);
  } catch (e) {
    if (hasErrno(e, "ENOENT")) return null;
    throw e;
  }
}

async function tryGetPerms(client: XenStoreClient, path: string, tx: XsTransaction | undefined): Promise<XsPerms | null> {
  try {
    return await client.getPerms(path, tx);
  } catch (e) {
    if (hasErrno(e, "ENOENT") || hasErrno(e, "EACCES")) return null;
    throw e;
  }
}

function intOrNull(v: string | undefined | null): number | null {
  return v != null && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null;
}

/**
 * Which guests have backends of each QEMU-served type in `dm`'s backend directory:
 * `type → Set<guest domid>`. One listing per type for the whole host instead of
 * a probe per guest and type.
 */
export type BackendIndex = Map<string, Set<number>>;

export async function readBackendIndex(client: XenStoreClient, dm: number): Promise<BackendIndex> {
  const index: BackendIndex = new Map();
  let types: string[];
  try {
    types = await client.directory(`/local/domain/${dm}/backend`);
  } catch (e) {
    if (hasErrno(e, "ENOENT") || hasErrno(e, "EACCES")) return index;
    throw e;
  }
  await Promise.all(
    types
      .filter((t) => QEMU_BACKEND_TYPES.includes(t))
      .map(async (t) => {
        try {
          const guests = await client.directory(`/local/domain/${dm}/backend/${t}`);
          index.set(t, new Set(guests.filter((g) => /^\d+$/.test(g)).map(Number)));
        } catch (e) {
          if (!hasErrno(e, "ENOENT") && !hasErrno(e, "EACCES")) throw e;
        }
      }),
  );
  return index;
}

/**
 * Host-wide listings taken once per snapshot (right after /local/domain is listed), so a
 * domain's walk visits only subtrees that exist: probing a missing one costs two
 * requests and two errors, times 1000 guests.
 */
export interface HostIndex {
  /** Guests with `/local/domain/0/device-model/<g>`. */
  dom0DeviceModel: Set<number>;
  /** Guests with `/libxl/<g>`. */
  libxl: Set<number>;
  backends(dm: number): Promise<BackendIndex>;
}

function numericSet(names: string[]): Set<number> {
  return new Set(names.filter((n) => /^\d+$/.test(n)).map(Number));
}

export async function readHostIndex(client: XenStoreClient): Promise<HostIndex> {
  const cache = new Map<number, Promise<BackendIndex>>();
  const backends = (dm: number) => {
    let p = cache.get(dm);
    if (!p) {
      p = readBackendIndex(client, dm);
      cache.set(dm, p);
    }
    return p;
  };
  const [dm, libxl] = await Promise.all([
    tryDirectory(client, "/local/domain/0/device-model", undefined),
    tryDirectory(client, "/libxl", undefined),
    backends(0),
  ]);
  return { dom0DeviceModel: numericSet(dm), libxl: numericSet(libxl), backends };
}

/** Where `dm`'s backends of guest `domid` are, by the host-wide listing of `dm`'s backend types. */
function backendRoots(backendIndex: BackendIndex, dm: number, domid: number): string[] {
  const roots: string[] = [];
  for (const [type, guests] of backendIndex) if (guests.has(domid)) roots.push(`/local/domain/${dm}/backend/${type}/${domid}`);
  return roots;
}

/** Subtrees of /local/domain/<g> that belong to the device model (DomainSnapshot.keys). */
const DOMAIN_SUBTREES = ["image", "console", "control", "data"] as const;

async function readOnce(client: XenStoreClient, domid: number, tx: XsTransaction | undefined, index: HostIndex): Promise<DomainKeys> {
  const dom = `/local/domain/${domid}`;
  const keys = new Map<string, string>();
  const dom0Dm = `/local/domain/0/device-model/${domid}`;
  const hasDom0Dm = domid !== 0 && index.dom0DeviceModel.has(domid);
  // The device model is dom0's unless image/ names a stub domain, which only the walk below
  // tells; dom0's backends of this guest and the permissions of its dom0 device-model dir are
  // read in the same round trips on that bet (a snapshot waits on the longest chain of round
  // trips, ~1000 domains × ~8 of them). They are kept apart and dropped if image/ says otherwise.
  const dom0Backends = new Map<string, string>();
  const dom0Index = await index.backends(0);
  // Everything at once: image/console/control/data exist for every guest (a missing one,
  // e.g. on dom0, costs a failed probe), device/console only when device/ lists it.
  const [name, dom0DmPerms] = await Promise.all([
    tryRead(client, `${dom}/name`, tx),
    hasDom0Dm ? tryGetPerms(client, dom0Dm, tx) : null,
    ...DOMAIN_SUBTREES.map((t) => walk(client, `${dom}/${t}`, tx, keys)),
    tryDirectory(client, `${dom}/device`, tx).then((devices) => (devices.includes("console") ? walk(client, `${dom}/device/console`, tx, keys) : undefined)),
    index.libxl.has(domid) ? walk(client, `/libxl/${domid}`, tx, keys) : undefined,
    // dom0's device-model dir is read now rather than after image/ (which may name a stub
    // domain) to save a round trip in the common case.
    hasDom0Dm ? walk(client, dom0Dm, tx, keys) : undefined,
    ...backendRoots(dom0Index, 0, domid).map((r) => walk(client, r, tx, dom0Backends)),
  ]);
  const stubDmDomid = intOrNull(keys.get(`${dom}/image/device-model-domid`));
  const dm = stubDmDomid ?? 0;
  let dmDir: string | null = null;
  let dmDirPerms: XsPerms | null = null;
  if (dm !== 0) {
    const stubDir = `/local/domain/${dm}/device-model/${domid}`;
    await walk(client, stubDir, tx, keys);
    if (keys.has(stubDir)) dmDir = stubDir;
    const [perms] = await Promise.all([
      dmDir ? tryGetPerms(client, dmDir, tx) : Promise.resolve(null),
      ...backendRoots(await index.backends(dm), dm, domid).map((r) => walk(client, r, tx, keys)),
    ]);
    dmDirPerms = perms;
  } else {
    if (keys.has(dom0Dm)) {
      dmDir = dom0Dm;
      dmDirPerms = dom0DmPerms;
    }
    for (const [k, v] of dom0Backends) keys.set(k, v);
  }
  return {
    domid,
    name,
    keys,
    stubDmDomid,
    dmPid: intOrNull(keys.get(`${dom}/image/device-model-pid`)),
    dmDir,
    dmDirPerms,
    dmVersion: keys.get(`/libxl/${domid}/dm-version`) ?? null,
    guestType: keys.get(`/libxl/${domid}/type`) ?? null,
  };
}

/**
 * One domain's device-model keys, consistent with each other: read in a transaction that
 * is committed (a no-op for a reader) so the server tells whether anything read changed
 * meanwhile; on EAGAIN the client re-reads (a few times, then one plain read). A server
 * that refuses transactions (quota, ENOSYS) gets plain reads.
 */
export async function readDomainKeys(client: XenStoreClient, domid: number, index: HostIndex, opts: { transaction?: boolean } = {}): Promise<DomainKeys> {
  if (opts.transaction === false) return readOnce(client, domid, undefined, index);
  try {
    return await client.withTransaction((tx) => readOnce(client, domid, tx, index), { validate: true, retries: 3 });
  } catch (e) {
    // Only XenStore's own refusals fall back; timeouts and lost connections propagate.
    const errno = (e as { errno?: unknown }).errno;
    if (typeof errno === "string" && errno !== "ENOENT") return readOnce(client, domid, undefined, index);
    throw e;
  }
}
