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
import type { XenStoreClient, XsTransaction } from "@/lib/devmodel/xenstore";
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
 * ~30 000 nodes per 1000-guest snapshot, and per-node closures and promises show up in
 * the profile (GC, and tsx's keepNames wrapper on every named closure).
 */
class TreeWalk {
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
    const node: PendingNode = { path, value: null, children: null, left: 2, skip: false };
    // The client's callback forms: no promise per request (a 1000-guest walk sends ~60 000).
    this.client.readCallback(path, this.tx, (e, v) => {
      if (e) return this.error(node, e);
      node.value = v!;
      this.settle(node);
    });
    this.client.directoryCallback(path, this.tx, (e, c) => {
      if (e) return this.error(node, e);
      node.children = c!;
      this.settle(node);
    });
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

interface PendingNode {
  path: string;
  value: string | null;
  children: string[] | null;
  left: number;
  skip: boolean;
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

/** Subtrees of /local/domain/<g> that belong to the device model (DomainSnapshot.keys). */
const DOMAIN_SUBTREES = ["image", "console", "control", "data"] as const;

async function readOnce(client: XenStoreClient, domid: number, tx: XsTransaction | undefined, index: HostIndex): Promise<DomainKeys> {
  const dom = `/local/domain/${domid}`;
  const keys = new Map<string, string>();
  const dom0Dm = `/local/domain/0/device-model/${domid}`;
  // Everything at once: image/console/control/data exist for every guest (a missing one,
  // e.g. on dom0, costs a failed probe), device/console only when device/ lists it.
  const [name] = await Promise.all([
    tryRead(client, `${dom}/name`, tx),
    ...DOMAIN_SUBTREES.map((t) => walk(client, `${dom}/${t}`, tx, keys)),
    tryDirectory(client, `${dom}/device`, tx).then((devices) => (devices.includes("console") ? walk(client, `${dom}/device/console`, tx, keys) : undefined)),
    index.libxl.has(domid) ? walk(client, `/libxl/${domid}`, tx, keys) : undefined,
    // dom0's device-model dir is read now rather than after image/ (which may name a stub
    // domain) to save a round trip in the common case.
    domid !== 0 && index.dom0DeviceModel.has(domid) ? walk(client, dom0Dm, tx, keys) : undefined,
  ]);
  const stubDmDomid = intOrNull(keys.get(`${dom}/image/device-model-domid`));
  const dm = stubDmDomid ?? 0;
  let dmDir: string | null = null;
  if (stubDmDomid !== null && stubDmDomid !== 0) {
    const stubDir = `/local/domain/${stubDmDomid}/device-model/${domid}`;
    await walk(client, stubDir, tx, keys);
    if (keys.has(stubDir)) dmDir = stubDir;
  } else if (keys.has(dom0Dm)) {
    dmDir = dom0Dm;
  }
  const backendIndex = await index.backends(dm);
  const backendRoots: string[] = [];
  for (const [type, guests] of backendIndex) if (guests.has(domid)) backendRoots.push(`/local/domain/${dm}/backend/${type}/${domid}`);
  const [dmDirPerms] = await Promise.all([
    dmDir ? tryGetPerms(client, dmDir, tx) : Promise.resolve(null),
    ...backendRoots.map((r) => walk(client, r, tx, keys)),
  ]);
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
