/**
 * A xenstored-compatible server on a unix socket, so the real Debian client tools (xenstore-ls,
 * xenstore-write, …), pyxs and our own client can be run against a simulated host. Socket clients
 * are the control domain (privileged) unless `clientDomid` says otherwise.
 *
 * It counts requests, and write-type requests apart, per connection and per listening socket
 * (`stats()`), so a test can prove that dmboard's readers never write: readers connect to the
 * main socket, a test that writes on purpose does so through a second socket labelled as such
 * (`listen(path, { label: "writer" })`), and the main socket's write count must stay 0.
 */
import fs from "node:fs";
import net from "node:net";
import type { XsPerms } from "@/lib/devmodel/types";
import { XenStoreError } from "@/lib/devmodel/xenstore/errors";
import { formatPerms, parsePerms } from "@/lib/devmodel/xenstore/perms";
import { FrameDecoder, HEADER_SIZE, XENSTORE_PAYLOAD_MAX, XS, joinStrings, typeName, type XsFrame } from "@/lib/devmodel/xenstore/wire";
import { canonicalize, domainPath, isSpecial, isSubpath, parentOf } from "./paths";
import { XsStore, childNames, readNode, type Caller, type ChangeEvent, type XsNode, type XsTransactionState } from "./store";

export interface XenStoreServerOptions {
  /** Share a store between server instances (e.g. to simulate a xenstored restart). */
  store?: XsStore;
  /** Answer XS_DIRECTORY_PART (default true). When false it gets ENOSYS, like oxenstored. */
  directoryPart?: boolean;
  /** Accept connections and read requests but never answer — for callers' timeout tests. */
  stall?: boolean;
  /** Treat socket clients as this domain, with permissions enforced (default: dom0, privileged). */
  clientDomid?: number;
  /** Drop a client whose unread output exceeds this many bytes (default 16 MiB). */
  maxOutputBytes?: number;
}

interface WatchReg {
  conn: Connection;
  /** Absolute path or special name ("@introduceDomain"). */
  path: string;
  token: string;
  /** Set when registered with a relative path: events are reported relative to it too. */
  relPrefix: string | null;
}

const OK = joinStrings(["OK"]);

/**
 * Request types that change xenstored's state (the store, domains, quotas, features, the daemon
 * itself via CONTROL), counted as writes whether or not they succeed: an attempt is what a
 * read-only reader must never make. Watches and transactions are per-connection state only.
 */
export const WRITE_TYPES: ReadonlySet<number> = new Set([
  XS.WRITE,
  XS.MKDIR,
  XS.RM,
  XS.SET_PERMS,
  XS.INTRODUCE,
  XS.RELEASE,
  XS.RESUME,
  XS.SET_TARGET,
  XS.SET_FEATURE,
  XS.SET_QUOTA,
  XS.CONTROL,
]);

/** Label of the first socket `listen()` opens, and of in-process sessions. */
export const MAIN_LABEL = "main";
export const SESSION_LABEL = "session";
/** Label of a second socket for tests that write on purpose (SimHostOptions.writerSocket). */
export const WRITER_LABEL = "writer";

/** What one client connection sent. */
export interface XsConnectionStats {
  /** 1, 2, … in order of connection. */
  id: number;
  /** The listening socket it came through (MAIN_LABEL unless `listen` said otherwise), or SESSION_LABEL. */
  label: string;
  open: boolean;
  requests: number;
  writes: number;
  /** Write-type requests by type name ("WRITE", "RM", …). */
  writesByType: Record<string, number>;
}

export interface XsLabelStats {
  connections: number;
  requests: number;
  writes: number;
}

export interface XenStoreServerStats {
  connections: number;
  open: number;
  requests: number;
  writes: number;
  /** Totals per listening socket label (closed connections included). */
  byLabel: Record<string, XsLabelStats>;
  /** Open connections and the most recently closed ones (at most CLOSED_KEPT). */
  perConnection: XsConnectionStats[];
}

/** Closed connections whose counts stay listed in `stats().perConnection`. */
const CLOSED_KEPT = 256;
const MAX_TRANSACTIONS_PER_CONN = 1024;
const MAX_WATCHES_PER_CONN = 16384;

/** Where a connection's output goes: a socket, or memory for in-process sessions (tests, fuzzing). */
interface Sink {
  write(buf: Buffer): void;
  destroy(): void;
  readonly destroyed: boolean;
  readonly writableLength: number;
}

class Connection {
  readonly decoder = new FrameDecoder();
  readonly stats: XsConnectionStats;
  readonly txs = new Map<number, XsTransactionState>();
  readonly watches = new Map<string, WatchReg>();
  private outbox: Buffer[] = [];
  private flushQueued = false;

  constructor(
    readonly sink: Sink,
    readonly caller: Caller,
    private readonly maxOutputBytes: number,
    id: number,
    label: string,
    /** Write each frame at once instead of batching per tick (in-memory sessions). */
    private readonly immediate = false,
  ) {
    this.stats = { id, label, open: true, requests: 0, writes: 0, writesByType: {} };
  }

  /** `payload` as bytes, or as a binary string (a node's value: one char per byte). */
  send(type: number, reqId: number, txId: number, payload: Buffer | string): void {
    const frame = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
    frame.writeUInt32LE(type >>> 0, 0);
    frame.writeUInt32LE(reqId >>> 0, 4);
    frame.writeUInt32LE(txId >>> 0, 8);
    frame.writeUInt32LE(payload.length, 12);
    if (typeof payload === "string") frame.write(payload, HEADER_SIZE, "latin1");
    else payload.copy(frame, HEADER_SIZE);
    if (this.immediate) {
      if (!this.sink.destroyed) this.sink.write(frame);
      return;
    }
    this.outbox.push(frame);
    if (this.flushQueued) return;
    this.flushQueued = true;
    process.nextTick(() => this.flush());
  }

  private flush(): void {
    this.flushQueued = false;
    const out = this.outbox;
    this.outbox = [];
    if (this.sink.destroyed || out.length === 0) return;
    // A client that never reads must not make us buffer watch events forever.
    if (this.sink.writableLength > this.maxOutputBytes) {
      this.sink.destroy();
      return;
    }
    this.sink.write(out.length === 1 ? out[0] : Buffer.concat(out));
  }
}

/** An in-process connection: feed request bytes, collect reply bytes. */
export interface XenStoreSession {
  /** Feed bytes as if read from the socket; returns everything the server wrote in response. */
  push(bytes: Buffer): Buffer;
  /** True once the server dropped the connection (oversize or garbage frame). */
  readonly closed: boolean;
  /** Bytes held by the request decoder waiting for the rest of a frame. */
  readonly buffered: number;
  close(): void;
}

let nextTxId = 0;

export class XenStoreServer {
  readonly store: XsStore;
  /** Toggle at runtime: while true, requests are read and dropped. */
  stall: boolean;
  readonly directoryPart: boolean;
  private readonly clientDomid: number;
  private readonly maxOutputBytes: number;
  private listeners: { server: net.Server; path: string; label: string }[] = [];
  private conns = new Set<Connection>();
  private connCounter = 0;
  private readonly totals = new Map<string, XsLabelStats>();
  private readonly closedStats: XsConnectionStats[] = [];
  private watchIndex = new Map<string, Set<WatchReg>>();
  private unsubscribe: () => void;
  private lastListing: { node: XsNode; gen: number; blob: Buffer } | null = null;

  constructor(opts: XenStoreServerOptions = {}) {
    this.store = opts.store ?? new XsStore();
    this.directoryPart = opts.directoryPart ?? true;
    this.stall = opts.stall ?? false;
    this.clientDomid = opts.clientDomid ?? 0;
    this.maxOutputBytes = opts.maxOutputBytes ?? 16 * 1024 * 1024;
    this.unsubscribe = this.store.onChange((ev) => this.fire(ev));
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** The main socket's path (the first `listen`), null before. */
  get path(): string | null {
    return this.listeners[0]?.path ?? null;
  }

  /**
   * Serve on a unix socket. May be called again for more sockets on the same store: each has a
   * label (the first defaults to MAIN_LABEL) under which its connections are counted.
   */
  async listen(socketPath: string, opts: { label?: string } = {}): Promise<void> {
    const label = opts.label ?? (this.listeners.length === 0 ? MAIN_LABEL : `socket-${this.listeners.length + 1}`);
    if (this.listeners.some((l) => l.label === label)) throw new Error(`a socket labelled ${label} is already open`);
    // A socket file left by a previous run would make listen() fail with EADDRINUSE.
    try {
      if (fs.lstatSync(socketPath).isSocket()) fs.unlinkSync(socketPath);
    } catch {
      /* absent */
    }
    const srv = net.createServer((s) => this.accept(s, label));
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(socketPath, () => {
        srv.off("error", reject);
        resolve();
      });
    });
    fs.chmodSync(socketPath, 0o600); // as xenstored does (tools/xenstored/posix.c)
    this.listeners.push({ server: srv, path: socketPath, label });
  }

  /** Stop: drop every client, stop listening, remove the socket file. */
  async close(): Promise<void> {
    this.unsubscribe();
    for (const c of [...this.conns]) {
      c.sink.destroy();
      this.drop(c);
    }
    this.watchIndex.clear();
    const listeners = this.listeners;
    this.listeners = [];
    await Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
    for (const l of listeners) {
      try {
        fs.unlinkSync(l.path);
      } catch {
        /* already gone */
      }
    }
  }

  /** Drop all client connections but keep listening (a crash-and-restart in one step). */
  dropConnections(): void {
    for (const c of [...this.conns]) c.sink.destroy();
  }

  /** Requests and writes so far, per socket label and per connection. */
  stats(): XenStoreServerStats {
    const byLabel: Record<string, XsLabelStats> = {};
    let connections = 0;
    let requests = 0;
    let writes = 0;
    for (const [label, t] of this.totals) {
      byLabel[label] = { ...t };
      connections += t.connections;
      requests += t.requests;
      writes += t.writes;
    }
    const open = [...this.conns].map((c) => c.stats);
    const perConnection = [...this.closedStats, ...open].sort((a, b) => a.id - b.id).map((c) => ({ ...c, writesByType: { ...c.writesByType } }));
    return { connections, open: open.length, requests, writes, byLabel, perConnection };
  }

  /** One line for a log: "3 connections (1 open), 1234 requests, 0 writes [main: 0 writes, writer: 2 writes]". */
  statsLine(): string {
    const s = this.stats();
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;
    const labels = Object.entries(s.byLabel).map(([l, t]) => `${l}: ${plural(t.writes, "write")} in ${plural(t.requests, "request")}`);
    return `${plural(s.connections, "connection")} (${s.open} open), ${plural(s.requests, "request")}, ${plural(s.writes, "write")}${labels.length ? ` [${labels.join("; ")}]` : ""}`;
  }

  private newConnection(sink: Sink, label: string, immediate: boolean): Connection {
    const conn = new Connection(sink, this.caller(), this.maxOutputBytes, ++this.connCounter, label, immediate);
    this.conns.add(conn);
    this.total(label).connections++;
    return conn;
  }

  private total(label: string): XsLabelStats {
    let t = this.totals.get(label);
    if (!t) this.totals.set(label, (t = { connections: 0, requests: 0, writes: 0 }));
    return t;
  }

  private count(conn: Connection, type: number): void {
    const c = conn.stats;
    const t = this.total(c.label);
    c.requests++;
    t.requests++;
    if (!WRITE_TYPES.has(type)) return;
    c.writes++;
    t.writes++;
    const name = typeName(type);
    c.writesByType[name] = (c.writesByType[name] ?? 0) + 1;
  }

  private accept(s: net.Socket, label: string): void {
    const conn = this.newConnection(s, label, false);
    s.on("data", (chunk: Buffer) => this.receive(conn, chunk));
    s.on("error", () => {
      /* 'close' follows */
    });
    s.on("close", () => this.drop(conn));
  }

  private caller(): Caller {
    return { domid: this.clientDomid, privileged: this.clientDomid === 0 };
  }

  private receive(conn: Connection, chunk: Buffer): void {
    if (this.stall || conn.sink.destroyed) return;
    const { frames, error } = conn.decoder.push(chunk);
    for (const f of frames) this.handle(conn, f);
    // Oversize or garbage: xenstored kills the connection (docs/misc/xenstore.txt).
    if (error) conn.sink.destroy();
  }

  /**
   * A connection without a socket, answering synchronously: the same decoder and dispatch as
   * socket clients, so tests and fuzzers can drive the request parser directly.
   */
  openSession(): XenStoreSession {
    const out: Buffer[] = [];
    let destroyed = false;
    const sink: Sink = {
      write: (b) => void out.push(b),
      destroy: () => {
        if (destroyed) return;
        destroyed = true;
        this.drop(conn);
      },
      get destroyed() {
        return destroyed;
      },
      writableLength: 0,
    };
    const conn = this.newConnection(sink, SESSION_LABEL, true);
    return {
      push: (bytes) => {
        this.receive(conn, bytes);
        return Buffer.concat(out.splice(0));
      },
      get closed() {
        return destroyed;
      },
      get buffered() {
        return conn.decoder.buffered;
      },
      close: () => sink.destroy(),
    };
  }

  private drop(conn: Connection): void {
    if (!this.conns.delete(conn)) return;
    conn.stats.open = false;
    this.closedStats.push(conn.stats);
    if (this.closedStats.length > CLOSED_KEPT) this.closedStats.shift();
    for (const w of conn.watches.values()) this.unindex(w);
    conn.watches.clear();
    conn.txs.clear();
  }

  private handle(conn: Connection, f: XsFrame): void {
    this.count(conn, f.type);
    let reply: Buffer | string;
    try {
      reply = this.dispatch(conn, f);
      if (reply.length > XENSTORE_PAYLOAD_MAX) throw new XenStoreError("E2BIG", typeName(f.type));
    } catch (e) {
      // Anything not a protocol-level refusal becomes EINVAL, as core.c does for odd errors.
      const errno = e instanceof XenStoreError ? e.errno : "EINVAL";
      conn.send(XS.ERROR, f.reqId, f.txId, joinStrings([errno]));
      return;
    }
    conn.send(f.type, f.reqId, f.txId, reply);
    if (f.type === XS.WATCH) {
      // Fires once right after registration, with the path as given.
      const [wpath, token] = strings(f.payload);
      this.sendEvent(conn, wpath, token);
    }
  }

  private dispatch(conn: Connection, f: XsFrame): Buffer | string {
    const op = typeName(f.type);
    const caller = conn.caller;
    switch (f.type) {
      case XS.READ: {
        const path = this.path1(conn, f, op);
        return readNode(this.store.view(this.tx(conn, f)), caller, path, op).value;
      }
      case XS.WRITE: {
        const nul = f.payload.indexOf(0);
        if (nul < 0) throw new XenStoreError("EINVAL", op);
        const path = this.canon(conn, f.payload.toString("utf8", 0, nul), op);
        this.store.mutate(this.tx(conn, f), caller, { op: "write", path, value: f.payload.toString("latin1", nul + 1) });
        return OK;
      }
      case XS.MKDIR: {
        const path = this.path1(conn, f, op);
        this.store.mutate(this.tx(conn, f), caller, { op: "mkdir", path });
        return OK;
      }
      case XS.RM: {
        const path = this.path1(conn, f, op);
        this.store.mutate(this.tx(conn, f), caller, { op: "rm", path });
        return OK;
      }
      case XS.DIRECTORY: {
        const path = this.path1(conn, f, op);
        return this.childBlob(readNode(this.store.view(this.tx(conn, f)), caller, path, op));
      }
      case XS.DIRECTORY_PART:
        if (!this.directoryPart) throw new XenStoreError("ENOSYS", op);
        return this.directoryPartReply(conn, f);
      case XS.GET_PERMS: {
        const arg = oneArg(f.payload, op);
        if (isSpecial(arg)) return joinStrings(formatPerms(this.specialPerms(arg)));
        const path = this.canon(conn, arg, op);
        return joinStrings(formatPerms(readNode(this.store.view(this.tx(conn, f)), caller, path, op).perms));
      }
      case XS.SET_PERMS: {
        const [arg, ...permStrings] = strings(f.payload);
        if (arg === undefined || permStrings.length === 0) throw new XenStoreError("EINVAL", op);
        let perms: XsPerms;
        try {
          perms = parsePerms(permStrings);
        } catch {
          throw new XenStoreError("EINVAL", op, arg);
        }
        if (isSpecial(arg)) {
          if (!caller.privileged) throw new XenStoreError("EACCES", op, arg);
          this.store.specialPerms.set(arg, perms);
          return OK;
        }
        const path = this.canon(conn, arg, op);
        this.store.mutate(this.tx(conn, f), caller, { op: "perms", path, perms });
        return OK;
      }
      case XS.WATCH:
        return this.addWatch(conn, f);
      case XS.UNWATCH: {
        const [wpath, token] = strings(f.payload);
        if (wpath === undefined || token === undefined) throw new XenStoreError("EINVAL", op);
        const abs = isSpecial(wpath) ? wpath : this.canon(conn, wpath, op);
        const key = `${abs}\0${token}`;
        const reg = conn.watches.get(key);
        if (!reg) throw new XenStoreError("ENOENT", op, wpath);
        conn.watches.delete(key);
        this.unindex(reg);
        return OK;
      }
      case XS.RESET_WATCHES:
        for (const w of conn.watches.values()) this.unindex(w);
        conn.watches.clear();
        conn.txs.clear();
        return OK;
      case XS.TRANSACTION_START: {
        if (f.txId !== 0) throw new XenStoreError("EBUSY", op);
        if (conn.txs.size >= MAX_TRANSACTIONS_PER_CONN) throw new XenStoreError("ENOSPC", op);
        nextTxId = (nextTxId + 1) >>> 0 || 1;
        conn.txs.set(nextTxId, this.store.startTransaction(nextTxId));
        return joinStrings([String(nextTxId)]);
      }
      case XS.TRANSACTION_END: {
        const tx = conn.txs.get(f.txId);
        if (!tx) throw new XenStoreError("ENOENT", op);
        const arg = oneArg(f.payload, op);
        if (arg !== "T" && arg !== "F") throw new XenStoreError("EINVAL", op);
        conn.txs.delete(f.txId);
        if (arg === "T") this.store.commit(tx);
        return OK;
      }
      case XS.GET_DOMAIN_PATH:
        return joinStrings([domainPath(parseDomid(oneArg(f.payload, op), op))]);
      case XS.IS_DOMAIN_INTRODUCED:
        return joinStrings([this.store.isDomainIntroduced(parseDomid(oneArg(f.payload, op), op)) ? "T" : "F"]);
      case XS.INTRODUCE: {
        if (!caller.privileged) throw new XenStoreError("EACCES", op);
        const [domid] = strings(f.payload);
        this.store.introduceDomain(parseDomid(domid ?? "", op));
        return OK;
      }
      case XS.RELEASE: {
        if (!caller.privileged) throw new XenStoreError("EACCES", op);
        this.store.releaseDomain(parseDomid(oneArg(f.payload, op), op));
        return OK;
      }
      default:
        throw new XenStoreError("ENOSYS", op);
    }
  }

  private directoryPartReply(conn: Connection, f: XsFrame): Buffer {
    const op = "DIRECTORY_PART";
    // Exactly "<path>\0<offset>\0" (core.c: two NUL-terminated strings), read in place: every
    // directory of a snapshot's walk comes here (~30 000 per 1000-guest read).
    const payload = f.payload;
    const nul1 = payload.indexOf(0);
    const nul2 = nul1 < 0 ? -1 : payload.indexOf(0, nul1 + 1);
    if (nul1 < 0 || nul2 !== payload.length - 1) throw new XenStoreError("EINVAL", op);
    const offText = payload.toString("latin1", nul1 + 1, nul2);
    if (!/^\d+$/.test(offText)) throw new XenStoreError("EINVAL", op);
    const path = this.canon(conn, payload.toString("utf8", 0, nul1), op);
    const node = readNode(this.store.view(this.tx(conn, f)), conn.caller, path, op);
    const blob = this.childBlob(node);
    const off = Number(offText);
    if (off > blob.length) throw new XenStoreError("EINVAL", op, path);
    const gen = String(node.gen);
    // Whole names only, leaving room for the final extra NUL that marks the last chunk (xs.c).
    const room = XENSTORE_PAYLOAD_MAX - (gen.length + 1) - 1;
    let end = off;
    if (blob.length - off <= room) end = blob.length;
    else {
      while (end < blob.length) {
        const next = blob.indexOf(0, end) + 1;
        if (next === 0 || next - off > room) break;
        end = next;
      }
    }
    if (end === off && off < blob.length) throw new XenStoreError("E2BIG", op, path);
    const last = end === blob.length;
    // One buffer: "<gen>\0", the names, and the extra NUL of the last chunk.
    const out = Buffer.allocUnsafe(gen.length + 1 + (end - off) + (last ? 1 : 0));
    out.write(gen, 0, "latin1");
    out[gen.length] = 0;
    blob.copy(out, gen.length + 1, off, end);
    if (last) out[out.length - 1] = 0;
    return out;
  }

  /**
   * `child\0child\0…` of a node. The last one is kept: a reader walking a big directory with
   * DIRECTORY_PART asks for the same listing chunk after chunk, and a node that changed has a
   * new gen. Not kept per node: ~30 000 directories would each hold a Buffer after one snapshot.
   */
  private childBlob(node: XsNode): Buffer {
    const last = this.lastListing;
    if (last && last.node === node && last.gen === node.gen) return last.blob;
    const blob = joinStrings(childNames(node));
    this.lastListing = { node, gen: node.gen, blob };
    return blob;
  }

  private addWatch(conn: Connection, f: XsFrame): Buffer {
    const op = "WATCH";
    const [wpath, token] = strings(f.payload);
    if (wpath === undefined || token === undefined) throw new XenStoreError("EINVAL", op);
    const special = isSpecial(wpath);
    const abs = special ? wpath : this.canon(conn, wpath, op);
    const key = `${abs}\0${token}`;
    if (conn.watches.has(key)) throw new XenStoreError("EEXIST", op, wpath);
    if (conn.watches.size >= MAX_WATCHES_PER_CONN) throw new XenStoreError("E2BIG", op, wpath);
    const reg: WatchReg = {
      conn,
      path: abs,
      token,
      relPrefix: !special && wpath[0] !== "/" ? `${domainPath(conn.caller.domid)}/` : null,
    };
    conn.watches.set(key, reg);
    let set = this.watchIndex.get(abs);
    if (!set) this.watchIndex.set(abs, (set = new Set()));
    set.add(reg);
    return OK;
  }

  private unindex(reg: WatchReg): void {
    const set = this.watchIndex.get(reg.path);
    if (!set) return;
    set.delete(reg);
    if (set.size === 0) this.watchIndex.delete(reg.path);
  }

  /** Route one change to every watch on the path, an ancestor, or (for removals) a descendant. */
  private fire(ev: ChangeEvent): void {
    if (this.watchIndex.size === 0) return;
    if (isSpecial(ev.path)) {
      for (const reg of this.watchIndex.get(ev.path) ?? []) this.deliver(reg, ev.path);
      return;
    }
    for (let p = ev.path; ; p = parentOf(p)) {
      for (const reg of this.watchIndex.get(p) ?? []) this.deliver(reg, ev.path);
      if (p === "/") break;
    }
    if (ev.kind === "rm") {
      // Watches below a removed subtree fire with their own path (docs/misc/xenstore.txt).
      for (const [wpath, regs] of this.watchIndex) {
        if (wpath !== ev.path && !isSpecial(wpath) && isSubpath(ev.path, wpath)) {
          for (const reg of regs) this.deliver(reg, wpath);
        }
      }
    }
  }

  private deliver(reg: WatchReg, epath: string): void {
    const shown = reg.relPrefix && epath.startsWith(reg.relPrefix) ? epath.slice(reg.relPrefix.length) : epath;
    this.sendEvent(reg.conn, shown, reg.token);
  }

  private sendEvent(conn: Connection, path: string, token: string): void {
    const payload = joinStrings([path, token]);
    if (payload.length <= XENSTORE_PAYLOAD_MAX) conn.send(XS.WATCH_EVENT, 0, 0, payload);
  }

  private specialPerms(name: string): XsPerms {
    return this.store.specialPerms.get(name) ?? { owner: 0, defaultAccess: "none", entries: [{ domid: 0, access: "none" }] };
  }

  private tx(conn: Connection, f: XsFrame): XsTransactionState | null {
    if (f.txId === 0) return null;
    const tx = conn.txs.get(f.txId);
    if (!tx) throw new XenStoreError("ENOENT", typeName(f.type));
    return tx;
  }

  private canon(conn: Connection, path: string, op: string): string {
    const abs = canonicalize(path, conn.caller.domid);
    if (!abs) throw new XenStoreError("EINVAL", op, path);
    return abs;
  }

  private path1(conn: Connection, f: XsFrame, op: string): string {
    return this.canon(conn, oneArg(f.payload, op), op);
  }
}

/** Payload that must be exactly one NUL-terminated string (core.c onearg). */
function oneArg(payload: Buffer, op: string): string {
  const nul = payload.indexOf(0);
  if (nul < 0 || nul !== payload.length - 1) throw new XenStoreError("EINVAL", op);
  return payload.toString("utf8", 0, nul);
}

/** NUL-terminated strings; a final unterminated fragment is ignored (it is not a whole argument). */
function strings(payload: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let nul = payload.indexOf(0); nul >= 0; nul = payload.indexOf(0, start)) {
    out.push(payload.toString("utf8", start, nul));
    start = nul + 1;
  }
  return out;
}

function parseDomid(s: string, op: string): number {
  if (!/^\d{1,5}$/.test(s) || Number(s) > 0xffff) throw new XenStoreError("EINVAL", op, s);
  return Number(s);
}
