/**
 * The simulated XenStore database: a tree of nodes, each holding its value, permissions, children
 * by name (in creation order) and a generation stamp. Every change goes through the op functions
 * below, both for socket requests and for the simulator's in-process API, so watches fire the
 * same way whoever writes.
 *
 * Compact on purpose: a 1000-guest host is ~90 000 nodes. A node keeps its name, not its path;
 * names are interned (a few thousand distinct ones); a small directory holds its children in an
 * array, a leaf holds none; a value is a binary string (one char per byte, latin1) rather than a
 * Buffer: ~130 bytes a node instead of ~420 with a path-keyed Map, Buffers and a Set per node.
 *
 * Transactions follow C xenstored: a transaction works on private copies of the nodes it touches
 * and records which nodes it accessed; on commit it fails with EAGAIN if any of those nodes was
 * changed (or created/removed) by someone else since the transaction started, otherwise its
 * operations are replayed on the real tree and fire watches then.
 */
import type { XsPerms } from "@/lib/devmodel/types";
import { XenStoreError } from "@/lib/devmodel/xenstore/errors";
import { accessFor, parsePerms } from "@/lib/devmodel/xenstore/perms";
import { baseName, isValidAbsolute, parentOf } from "./paths";

export interface XsNode {
  /** Last path component ("" for the root). */
  readonly name: string;
  /** The value's bytes as a binary string (latin1: one char per byte, so any bytes round-trip). */
  value: string;
  perms: XsPerms;
  /**
   * Children in creation order (C xenstored lists them so): an array while there are few, a
   * Map by name beyond SMALL_DIR (lookups in /local/domain of 1000 guests); null while none.
   */
  children: XsNode[] | Map<string, XsNode> | null;
  /** Global change counter value of this node's last modification (also the DIRECTORY_PART gencnt). */
  gen: number;
}

export type ChangeKind = "write" | "mkdir" | "rm" | "perms" | "introduce" | "release";
export interface ChangeEvent {
  /** Changed node, or "@introduceDomain"/"@releaseDomain". */
  path: string;
  kind: ChangeKind;
}
export type ChangeListener = (ev: ChangeEvent) => void;

/** Who performs an operation: privileged callers (dom0, the simulator itself) skip permission checks. */
export interface Caller {
  domid: number;
  privileged: boolean;
}
const SIMULATOR: Caller = { domid: 0, privileged: true };

const DEFAULT_PERMS: XsPerms = { owner: 0, defaultAccess: "none", entries: [{ domid: 0, access: "none" }] };

/** A value given as text (UTF-8 on the wire) or bytes, as the binary string a node holds. */
function binaryValue(value: string | Buffer): string {
  if (typeof value !== "string") return value.toString("latin1");
  // ASCII is its own UTF-8 and latin1: the common case costs nothing.
  // eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL on purpose
  return /^[\x00-\x7f]*$/.test(value) ? value : Buffer.from(value, "utf8").toString("latin1");
}

/** Accessor the op functions work through: the live tree, or a transaction's view of it. */
interface View {
  get(path: string): XsNode | undefined;
  getForWrite(path: string): XsNode | undefined;
  /** `node` was linked under its (writable) parent as `path`. */
  created(path: string, node: XsNode): void;
  /** These nodes (a subtree, root first) were unlinked from their parent. */
  removed(paths: readonly string[]): void;
  touch(node: XsNode): void;
}

type TxOp =
  { op: "write"; path: string; value: string } | { op: "mkdir"; path: string } | { op: "rm"; path: string } | { op: "perms"; path: string; perms: XsPerms };

export class XsTransactionState implements View {
  private overlay = new Map<string, XsNode | null>();
  /** Path → did it exist in the live tree when first accessed. */
  readonly accessed = new Map<string, boolean>();
  readonly log: Array<{ caller: Caller; op: TxOp }> = [];

  constructor(
    private readonly store: XsStore,
    readonly id: number,
    readonly startGen: number,
  ) {}

  private record(path: string, live: XsNode | undefined): void {
    if (!this.accessed.has(path)) this.accessed.set(path, live !== undefined);
  }

  get(path: string): XsNode | undefined {
    if (this.overlay.has(path)) return this.overlay.get(path) ?? undefined;
    const live = this.store.liveNode(path);
    this.record(path, live);
    return live;
  }

  getForWrite(path: string): XsNode | undefined {
    if (this.overlay.has(path)) return this.overlay.get(path) ?? undefined;
    const live = this.store.liveNode(path);
    this.record(path, live);
    const copy = live ? cloneNode(live) : undefined;
    this.overlay.set(path, copy ?? null);
    return copy;
  }

  created(path: string, node: XsNode): void {
    this.overlay.set(path, node);
  }

  removed(paths: readonly string[]): void {
    // Lookups go by path through the overlay first: every node of the subtree is hidden.
    for (const p of paths) this.overlay.set(p, null);
  }

  touch(node: XsNode): void {
    node.gen = this.store.nextGen();
  }
}

/** A transaction's private copy: its own list of children (the same child nodes), the live one untouched. */
function cloneNode(n: XsNode): XsNode {
  const c = n.children;
  return { name: n.name, value: n.value, perms: n.perms, children: c === null ? null : Array.isArray(c) ? c.slice() : new Map(c), gen: n.gen };
}

function newNode(name: string, perms: XsPerms): XsNode {
  return { name, value: "", perms, children: null, gen: 0 };
}

/** Children kept in an array up to this many; a Map by name beyond. */
const SMALL_DIR = 8;

function childOf(n: XsNode, name: string): XsNode | undefined {
  const c = n.children;
  if (c === null) return undefined;
  if (!Array.isArray(c)) return c.get(name);
  for (const x of c) if (x.name === name) return x;
  return undefined;
}

/** Link a child the parent does not have yet. */
function addChild(parent: XsNode, child: XsNode): void {
  const c = parent.children;
  if (c === null) parent.children = [child];
  else if (!Array.isArray(c)) c.set(child.name, child);
  else if (c.length < SMALL_DIR) c.push(child);
  else parent.children = new Map([...c, child].map((x) => [x.name, x]));
}

function removeChild(parent: XsNode, name: string): void {
  const c = parent.children;
  if (c === null) return;
  if (Array.isArray(c)) {
    const i = c.findIndex((x) => x.name === name);
    if (i >= 0) c.splice(i, 1);
    if (c.length === 0) parent.children = null;
  } else {
    c.delete(name);
    if (c.size === 0) parent.children = null;
  }
}

export function childNames(n: XsNode): string[] {
  const c = n.children;
  if (c === null) return [];
  return Array.isArray(c) ? c.map((x) => x.name) : [...c.keys()];
}

function childNodes(n: XsNode): Iterable<XsNode> {
  const c = n.children;
  return c === null ? [] : Array.isArray(c) ? c : c.values();
}

/**
 * One string per distinct name: a 1000-guest host has ~90 000 nodes but a few thousand names,
 * and a name sliced from a request's path would keep the whole path alive. Cleared when full,
 * so a host that churns through domids and uuids for weeks does not grow it without bound.
 */
const names = new Map<string, string>();
const NAMES_KEPT = 65536;
function intern(name: string): string {
  let s = names.get(name);
  if (s === undefined) {
    // A copy of its own: `name` may be a slice of a longer string.
    s = Buffer.from(name, "latin1").toString("latin1");
    if (names.size >= NAMES_KEPT) names.clear();
    names.set(s, s);
  }
  return s;
}

/** Perms given as XsPerms or as wire strings ("n0", "r5"). */
function permsOf(p: XsPerms | readonly string[] | undefined): XsPerms | undefined {
  if (p === undefined || !Array.isArray(p)) return p as XsPerms | undefined;
  try {
    return parsePerms(p);
  } catch {
    throw new XenStoreError("EINVAL", "SET_PERMS");
  }
}

/** Directories liveNode() keeps at hand: a snapshot reads ~32 domains at once, ~10 directories each. */
const DIR_CACHE_SIZE = 512;

export class XsStore {
  private readonly root: XsNode = newNode("", DEFAULT_PERMS);
  private readonly dirCache = new Map<string, XsNode>();
  private count = 1;
  private genCounter = 0;
  private listeners = new Set<ChangeListener>();
  private introduced = new Set<number>([0]);
  /** Permissions of the special watch names ("@introduceDomain", "@releaseDomain"). */
  readonly specialPerms = new Map<string, XsPerms>();
  private readonly live: View;

  constructor() {
    this.live = {
      get: (p) => this.liveNode(p),
      getForWrite: (p) => this.liveNode(p),
      created: () => void this.count++,
      removed: (paths) => {
        this.count -= paths.length;
        // A cached directory may be gone (or about to be replaced by a new node).
        this.dirCache.clear();
      },
      touch: (n) => void (n.gen = this.nextGen()),
    };
  }

  /** @internal */
  nextGen(): number {
    return ++this.genCounter;
  }

  /**
   * @internal the live node at a valid absolute path, for transactions. Through a cache of
   * recently used directories: a reader asks for the children of the node it just listed, so
   * one lookup in the cache and one in the directory replace a walk from the root (a sixth of
   * the simulator's CPU during a snapshot otherwise). Nodes are only ever unlinked by opRm,
   * which clears the cache.
   */
  liveNode(path: string): XsNode | undefined {
    if (path === "/") return this.root;
    const slash = path.lastIndexOf("/");
    const dirPath = slash === 0 ? "/" : path.slice(0, slash);
    let dir = this.dirCache.get(dirPath);
    if (!dir) {
      dir = this.walk(dirPath);
      if (!dir) return undefined;
      if (this.dirCache.size >= DIR_CACHE_SIZE) this.dirCache.clear();
      this.dirCache.set(dirPath, dir);
    }
    return childOf(dir, path.slice(slash + 1));
  }

  private walk(path: string): XsNode | undefined {
    if (path === "/") return this.root;
    let node = this.root;
    let start = 1;
    for (;;) {
      const end = path.indexOf("/", start);
      const next = childOf(node, end < 0 ? path.slice(start) : path.slice(start, end));
      if (!next || end < 0) return next;
      node = next;
      start = end + 1;
    }
  }

  get generation(): number {
    return this.genCounter;
  }

  /** Number of nodes, root included. */
  get size(): number {
    return this.count;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private emit(events: ChangeEvent[]): void {
    for (const ev of events) for (const l of this.listeners) l(ev);
  }

  // ------------------------------------------------------------ in-process API (the simulator)

  /**
   * Write a value (text is stored as UTF-8), creating missing parents (which inherit their
   * parent's perms). Fires watches.
   */
  write(path: string, value: string | Buffer, perms?: XsPerms | readonly string[]): void {
    checkPath(path, "WRITE");
    const p = permsOf(perms);
    const events = opWrite(this.live, SIMULATOR, path, binaryValue(value));
    if (p) this.applyPermsQuietly(path, p);
    this.emit(events);
  }

  mkdir(path: string, perms?: XsPerms | readonly string[]): void {
    checkPath(path, "MKDIR");
    const p = permsOf(perms);
    const events = opMkdir(this.live, SIMULATOR, path);
    if (p) this.applyPermsQuietly(path, p);
    this.emit(events);
  }

  /** Perms set as part of a write/mkdir: one change, so one watch event. */
  private applyPermsQuietly(path: string, perms: XsPerms): void {
    const n = this.liveNode(path)!;
    n.perms = perms;
    this.live.touch(n);
  }

  /** Remove a node and everything below it. Returns false if it did not exist. */
  rm(path: string): boolean {
    checkPath(path, "RM");
    if (!this.liveNode(path)) return false;
    this.emit(opRm(this.live, SIMULATOR, path));
    return true;
  }

  setPerms(path: string, perms: XsPerms | readonly string[]): void {
    checkPath(path, "SET_PERMS");
    this.emit(opSetPerms(this.live, SIMULATOR, path, permsOf(perms)!));
  }

  readBuffer(path: string): Buffer | null {
    const n = this.liveNode(path);
    return n ? Buffer.from(n.value, "latin1") : null;
  }

  read(path: string): string | null {
    return this.readBuffer(path)?.toString("utf8") ?? null;
  }

  list(path: string): string[] | null {
    const n = this.liveNode(path);
    return n ? childNames(n) : null;
  }

  getPerms(path: string): XsPerms | null {
    return this.liveNode(path)?.perms ?? null;
  }

  exists(path: string): boolean {
    return this.liveNode(path) !== undefined;
  }

  /** Every path below (and including) `root`, depth first in child order. */
  paths(root = "/"): string[] {
    const out: string[] = [];
    const walk = (p: string, n: XsNode): void => {
      out.push(p);
      for (const child of childNodes(n)) walk(p === "/" ? `/${child.name}` : `${p}/${child.name}`, child);
    };
    const start = this.liveNode(root);
    if (start) walk(root, start);
    return out;
  }

  introduceDomain(domid: number): void {
    this.introduced.add(domid);
    this.emit([{ path: "@introduceDomain", kind: "introduce" }]);
  }

  releaseDomain(domid: number): void {
    this.introduced.delete(domid);
    this.emit([{ path: "@releaseDomain", kind: "release" }]);
  }

  isDomainIntroduced(domid: number): boolean {
    return this.introduced.has(domid);
  }

  // ------------------------------------------------------------ used by the socket server

  /** @internal the view requests in `tx` (or outside any transaction) operate on. */
  view(tx: XsTransactionState | null): View {
    return tx ?? this.live;
  }

  startTransaction(id: number): XsTransactionState {
    return new XsTransactionState(this, id, this.genCounter);
  }

  /** Apply a mutation for a socket caller, inside `tx` (logged, fired on commit) or live (fired now). */
  mutate(tx: XsTransactionState | null, caller: Caller, op: TxOp): void {
    const events = applyOp(this.view(tx), caller, op);
    if (tx) tx.log.push({ caller, op });
    else this.emit(events);
  }

  /** Commit: EAGAIN if anything the transaction accessed changed since it started. */
  commit(tx: XsTransactionState): void {
    for (const [path, existed] of tx.accessed) {
      const now = this.liveNode(path);
      if ((now !== undefined) !== existed || (now && now.gen > tx.startGen)) {
        throw new XenStoreError("EAGAIN", "TRANSACTION_END");
      }
    }
    for (const { caller, op } of tx.log) this.emit(applyOp(this.live, caller, op));
  }
}

function checkPath(path: string, op: string): void {
  if (!isValidAbsolute(path)) throw new XenStoreError("EINVAL", op, path);
}

function applyOp(v: View, caller: Caller, op: TxOp): ChangeEvent[] {
  switch (op.op) {
    case "write":
      return opWrite(v, caller, op.path, op.value);
    case "mkdir":
      return opMkdir(v, caller, op.path);
    case "rm":
      return opRm(v, caller, op.path);
    case "perms":
      return opSetPerms(v, caller, op.path, op.perms);
  }
}

// ------------------------------------------------------------ operations over a View

function canRead(caller: Caller, node: XsNode): boolean {
  return caller.privileged || accessFor(node.perms, caller.domid).read;
}

function canWrite(caller: Caller, node: XsNode): boolean {
  return caller.privileged || accessFor(node.perms, caller.domid).write;
}

export function readNode(v: View, caller: Caller, path: string, op: string): XsNode {
  const n = v.get(path);
  if (!n) throw new XenStoreError("ENOENT", op, path);
  if (!canRead(caller, n)) throw new XenStoreError("EACCES", op, path);
  return n;
}

/** New nodes inherit the parent's perms; an unprivileged creator becomes the owner (C xenstored). */
function inheritPerms(parent: XsPerms, caller: Caller): XsPerms {
  if (caller.privileged || parent.owner === caller.domid) return parent;
  const entries = [{ domid: caller.domid, access: parent.defaultAccess }, ...parent.entries.slice(1)];
  return { owner: caller.domid, defaultAccess: parent.defaultAccess, entries };
}

/** The node at `path`, writable, created with its missing parents if needed. */
function ensureNode(v: View, caller: Caller, path: string, op: string): { node: XsNode; created: boolean } {
  const existing = v.getForWrite(path);
  if (existing) {
    if (!canWrite(caller, existing)) throw new XenStoreError("EACCES", op, path);
    return { node: existing, created: false };
  }
  const parentPath = parentOf(path);
  const { node: parent } = ensureNode(v, caller, parentPath, op);
  const node = newNode(intern(baseName(path)), inheritPerms(parent.perms, caller));
  addChild(parent, node);
  v.created(path, node);
  v.touch(parent);
  v.touch(node);
  return { node, created: true };
}

function opWrite(v: View, caller: Caller, path: string, value: string): ChangeEvent[] {
  const { node } = ensureNode(v, caller, path, "WRITE");
  node.value = value;
  v.touch(node);
  return [{ path, kind: "write" }];
}

function opMkdir(v: View, caller: Caller, path: string): ChangeEvent[] {
  if (v.get(path)) return [];
  ensureNode(v, caller, path, "MKDIR");
  return [{ path, kind: "mkdir" }];
}

function opRm(v: View, caller: Caller, path: string): ChangeEvent[] {
  if (path === "/") throw new XenStoreError("EINVAL", "RM", path);
  const node = v.getForWrite(path);
  if (!node) {
    // Not an error if absent — but it is if the parent is absent too (docs/misc/xenstore.txt).
    if (!v.get(parentOf(path))) throw new XenStoreError("ENOENT", "RM", path);
    return [];
  }
  if (!canWrite(caller, node)) throw new XenStoreError("EACCES", "RM", path);
  const doomed: string[] = [];
  const collect = (p: string, n: XsNode): void => {
    doomed.push(p);
    for (const c of childNames(n)) {
      const cp = `${p}/${c}`;
      const cn = v.get(cp);
      if (cn) collect(cp, cn);
    }
  };
  collect(path, node);
  const parent = v.getForWrite(parentOf(path));
  if (parent) {
    removeChild(parent, baseName(path));
    v.touch(parent);
  }
  v.removed(doomed);
  return [{ path, kind: "rm" }];
}

function opSetPerms(v: View, caller: Caller, path: string, perms: XsPerms): ChangeEvent[] {
  const node = v.getForWrite(path);
  if (!node) throw new XenStoreError("ENOENT", "SET_PERMS", path);
  if (!caller.privileged) {
    // Only the owner may change perms, and only the control domain may change the owner.
    if (node.perms.owner !== caller.domid) throw new XenStoreError("EACCES", "SET_PERMS", path);
    if (perms.owner !== node.perms.owner) throw new XenStoreError("EPERM", "SET_PERMS", path);
  }
  node.perms = perms;
  v.touch(node);
  return [{ path, kind: "perms" }];
}
