/**
 * XenStore client. Read-only twice over: no method sends WRITE, MKDIR, RM or SET_PERMS, and every
 * request passes the allowlist (allowlist.ts) before a byte is written. It can read, list, get
 * permissions, open transactions (ended without writes) and watch.
 *
 * Requests are pipelined: each gets a fresh req_id and replies are matched by it, so a tree walk
 * can keep many requests in flight on one connection (docs/misc/xenstore.txt: replies must be
 * matched by req_id, in-order answering must not be relied on).
 *
 * Layering (as qemu.qmp separates protocol.py from qmp_client.py): the connection, the table of
 * waiting requests with their deadlines and the bounded watch queues are the generic layer in
 * ../protocol; the stream comes from a transport (../transport: a unix socket here, an SSH
 * channel later); this file keeps the XenStore semantics — req_ids, transactions, DIRECTORY_PART,
 * watches and their re-registration after a reconnect.
 */
import type { Duplex } from "node:stream";
import { describePeerBytes, peerBytesOf } from "@/lib/devmodel/protocol/peer-bytes";
import { logPeerBytes } from "@/lib/devmodel/protocol/peer-log";
import { PendingRequests } from "@/lib/devmodel/protocol/requests";
import { FramedStream, type StreamEnd } from "@/lib/devmodel/protocol/stream";
import { XENSTORE_RECONNECT_INITIAL_MS, XENSTORE_RECONNECT_MAX_MS, XENSTORE_TIMEOUT_MS, checkTimeout } from "@/lib/devmodel/timeouts";
import { openStream, TransportTimeoutError, unixSocketTransport, type StreamTransport } from "@/lib/devmodel/transport";
import type { XsPerms } from "@/lib/devmodel/types";
import { isReadOnlyType } from "./allowlist";
import { XenStoreConnectionError, XenStoreError, XenStoreProtocolError, XenStoreRefusedError, XenStoreTimeoutError, hasErrno } from "./errors";
import { parsePerms } from "./perms";
import { resolveSocketPath } from "./socket-path";
import { XsWatch, type XsWatchEvent } from "./watch";
import {
  FrameDecoder,
  XS,
  encodeFrame,
  encodePathFrame,
  encodePathFrameInto,
  firstString,
  isKnownType,
  joinStrings,
  pathFrameLength,
  splitStrings,
  splitStringsIn,
  typeName,
  type XsFrame,
} from "./wire";

export interface XenStoreReconnectOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface XenStoreConnectOptions {
  /** Socket path of a local xenstored; default resolveSocketPath(process.env). Unused with `transport`. */
  path?: string;
  /** How to reach xenstored (unix socket, SSH channel, in-process pair); default the local socket at `path`. */
  transport?: StreamTransport;
  /** Per-request timeout (ms); default XENSTORE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Bound on opening the connection (ms), first and after each loss; default `timeoutMs`. */
  connectTimeoutMs?: number;
  /** Reconnect with exponential backoff when the server goes away; re-registers active watches. */
  reconnect?: boolean | XenStoreReconnectOptions;
}

/** An open transaction. Bound to the connection it was opened on: it dies with that connection. */
export interface XsTransaction {
  readonly id: number;
  /** @internal which connection (generation) the id belongs to. */
  readonly connection: number;
}

export type { XsWatchEvent };
export { XsWatch };

/** What the client keeps about a request until its reply. */
interface XsRequest {
  type: number;
  path: string | undefined;
  /** The frame, until it is written (requests made while reconnecting wait for the connection). */
  frame: Buffer | null;
  /** Generation of the connection it was written on; 0 while it waits for one. */
  sentOn: number;
  /** readTo/directoryTo: who gets the reply (decoded at once), and its tag; null for a promise request. */
  sink: XsReplySink<unknown> | null;
  tag: unknown;
  /** The transaction id and connection generation it was made with (a slow directory re-asks in them). */
  txId: number;
  gen: number;
}

/**
 * Gets the replies of readTo/directoryTo: one call per request, with the value or the error (a
 * tree walk sends ~60 000 requests per 1000-guest snapshot; a promise or closures per request
 * are most of the allocations of a snapshot, and what survives into V8's old space).
 */
export interface XsReplySink<T> {
  onRead(tag: T, err: Error | null, value: string | null): void;
  onDirectory(tag: T, err: Error | null, names: string[] | null): void;
}

/** Settled sink requests kept for reuse: about what a snapshot's walk has in flight at once. */
const MAX_FREE_REQUESTS = 16_384;
/** DIRECTORY_PART restarts when the directory changes under us; give up after this many. */
const MAX_DIRECTORY_PART_RESTARTS = 16;
/** An errno name as xenstored sends it (xsd_errors[]); anything else in an XS_ERROR reply is not one. */
const ERRNO_RE = /^E[A-Z0-9]{1,15}$/;

let tokenCounter = 0;

export class XenStoreClient {
  readonly transport: StreamTransport;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  private readonly reconnectOpts: Required<XenStoreReconnectOptions> | null;

  private conn: FramedStream<XsFrame> | null = null;
  /** Increments on each successful connect; transactions and per-connection facts are tied to it. */
  private generation = 0;
  private readonly requests = new PendingRequests<number, XsRequest>((r, ms) => new XenStoreTimeoutError(typeName(r.type), r.path, ms));
  /** Requests made while there is no connection, sent when it is back (their deadlines run meanwhile). */
  private unsent: number[] = [];
  /**
   * Settled readTo/directoryTo requests, reused: a walk keeps thousands in flight across turns of
   * the event loop, so a fresh object each was promoted into V8's old space (~5 MB per
   * 1000-guest snapshot) and the old space's growth sets the process's peak RSS.
   */
  private readonly freeRequests: XsRequest[] = [];
  private nextReqId = 0;
  private watches = new Set<XsWatch>();
  private readonly watchListeners = new Set<(w: XsWatch) => void>();
  private readonly watchRetries = new Map<XsWatch, NodeJS.Timeout>();
  private closedByUser = false;
  private opening: AbortController | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private dirPart: boolean | null = null;
  private reconnectCount = 0;

  /** The settle functions of every readTo/directoryTo request (one pair per client, not per request). */
  private readonly sinkResolve = (frame: unknown, r: XsRequest) => this.settleSink(r, null, frame as XsFrame);
  private readonly sinkReject = (err: Error, r: XsRequest) => this.settleSink(r, err, null);

  private constructor(opts: XenStoreConnectOptions) {
    this.transport = opts.transport ?? unixSocketTransport(opts.path ?? resolveSocketPath());
    this.timeoutMs = checkTimeout(opts.timeoutMs ?? XENSTORE_TIMEOUT_MS, "XenStore timeoutMs");
    this.connectTimeoutMs = checkTimeout(opts.connectTimeoutMs ?? this.timeoutMs, "XenStore connectTimeoutMs");
    const defaults = { initialDelayMs: XENSTORE_RECONNECT_INITIAL_MS, maxDelayMs: XENSTORE_RECONNECT_MAX_MS };
    this.reconnectOpts = opts.reconnect === true ? defaults : opts.reconnect ? { ...defaults, ...opts.reconnect } : null;
  }

  /**
   * Connect; rejects with XenStoreConnectionError if there is no xenstored, XenStoreTimeoutError
   * (op "connect") if the transport did not open within the connect timeout.
   */
  static async connect(opts: XenStoreConnectOptions = {}): Promise<XenStoreClient> {
    const c = new XenStoreClient(opts);
    await c.open();
    return c;
  }

  /** Where xenstored is (the transport's address: a socket path for a local host). */
  get path(): string {
    return this.transport.address;
  }

  get connected(): boolean {
    return this.conn !== null;
  }

  /** How many times the connection was re-established after a loss. */
  get reconnects(): number {
    return this.reconnectCount;
  }

  /** Whether the server answered DIRECTORY_PART on this connection (null: not asked yet). */
  get directoryPartSupported(): boolean | null {
    return this.dirPart;
  }

  get inFlight(): number {
    return this.requests.size;
  }

  // ---------------------------------------------------------------- operations

  async readBuffer(path: string, tx?: XsTransaction): Promise<Buffer> {
    return this.request(XS.READ, joinStrings([path]), path, tx);
  }

  /** Value as UTF-8 text. Values are arbitrary bytes: use readBuffer when that matters. */
  async read(path: string, tx?: XsTransaction): Promise<string> {
    return (await this.readBuffer(path, tx)).toString("utf8");
  }

  /** read(), but null instead of ENOENT. */
  async tryRead(path: string, tx?: XsTransaction): Promise<string | null> {
    try {
      return await this.read(path, tx);
    } catch (e) {
      if (hasErrno(e, "ENOENT")) return null;
      throw e;
    }
  }

  /** Does the node exist? (What xenstore-exists does: a READ, ENOENT → false.) */
  async exists(path: string, tx?: XsTransaction): Promise<boolean> {
    return (await this.tryRead(path, tx)) !== null;
  }

  /** Child names of `path`, in the server's order. */
  async directory(path: string, tx?: XsTransaction): Promise<string[]> {
    if (this.dirPart !== false) {
      const gen = this.generation;
      try {
        return await this.directoryPart(path, tx);
      } catch (e) {
        // oxenstored and older C xenstored do not know DIRECTORY_PART; remember per connection.
        if (!hasErrno(e, "ENOSYS")) throw e;
        if (gen === this.generation) this.dirPart = false;
      }
    }
    return splitStrings(await this.request(XS.DIRECTORY, joinStrings([path]), path, tx));
  }

  /**
   * read() for tree walks, without a promise or a closure per request: `sink.onRead(tag, …)` gets
   * the value or the error, never inside this call. The same request, allowlist and deadline as read().
   */
  readTo<T>(path: string, tx: XsTransaction | undefined, sink: XsReplySink<T>, tag: T): void {
    this.requestTo(XS.READ, path, null, tx, sink, tag);
  }

  /**
   * directory() for tree walks, as readTo: one DIRECTORY_PART (or DIRECTORY) request; a listing
   * that needs more chunks, or a server without DIRECTORY_PART, goes through directory().
   */
  directoryTo<T>(path: string, tx: XsTransaction | undefined, sink: XsReplySink<T>, tag: T): void {
    if (this.dirPart === false) this.requestTo(XS.DIRECTORY, path, null, tx, sink, tag);
    else this.requestTo(XS.DIRECTORY_PART, path, "0", tx, sink, tag);
  }

  /**
   * A readTo/directoryTo request settled: decode for its sink. `reply` is the frame, whose bytes
   * are read in place (no Buffer view per reply); null with an error. False when `r` is still in
   * use (a slow directory re-asks with it), true when it may be reused.
   */
  private settleSink(r: XsRequest, err: Error | null, reply: XsFrame | null): boolean {
    const sink = r.sink!;
    if (err) {
      if (r.type === XS.READ) sink.onRead(r.tag, err, null);
      else if (r.type === XS.DIRECTORY_PART && hasErrno(err, "ENOSYS") && r.gen === this.generation) {
        this.dirPart = false;
        this.directorySlow(r);
        return false;
      } else sink.onDirectory(r.tag, err, null);
      return true;
    }
    const { chunk, start, end } = reply!;
    if (r.type === XS.READ) sink.onRead(r.tag, null, chunk.toString("utf8", start, end));
    else if (r.type === XS.DIRECTORY) sink.onDirectory(r.tag, null, splitStringsIn(chunk, start, end));
    else {
      // DIRECTORY_PART at offset 0: "<gen>\0" then the names; one whole chunk ends with an extra NUL (xs.c).
      this.dirPart = true;
      const nul = chunk.indexOf(0, start);
      const body = nul < 0 || nul >= end ? -1 : nul + 1;
      if (body >= 0 && end > body && chunk[end - 1] === 0 && (end - body === 1 || chunk[end - 2] === 0)) {
        sink.onDirectory(r.tag, null, splitStringsIn(chunk, body, end - 1));
      } else {
        this.directorySlow(r); // several chunks, or not the protocol: the careful path says which
        return false;
      }
    }
    return true;
  }

  private directorySlow(r: XsRequest): void {
    const tx = r.txId === 0 ? undefined : { id: r.txId, connection: r.gen };
    this.directory(r.path!, tx).then(
      (names) => r.sink!.onDirectory(r.tag, null, names),
      (e: unknown) => r.sink!.onDirectory(r.tag, e as Error, null),
    );
  }

  private async directoryPart(path: string, tx?: XsTransaction): Promise<string[]> {
    let gencnt: string | null = null;
    let offset = 0;
    let names: string[] = [];
    for (let restarts = 0; ;) {
      const reply = await this.request(XS.DIRECTORY_PART, joinStrings([path, String(offset)]), path, tx);
      this.dirPart = true;
      const nul = reply.indexOf(0);
      if (nul < 0) throw new XenStoreProtocolError(`DIRECTORY_PART ${path}: reply without generation count`);
      const gen = reply.toString("utf8", 0, nul);
      const body = reply.subarray(nul + 1);
      if (gencnt === null) gencnt = gen;
      else if (gen !== gencnt) {
        // The directory changed between chunks: offsets are meaningless now, start over.
        if (++restarts > MAX_DIRECTORY_PART_RESTARTS) throw new XenStoreError("EAGAIN", "DIRECTORY_PART", path);
        gencnt = null;
        offset = 0;
        names = [];
        continue;
      }
      // Each chunk is whole NUL-terminated names; the last one carries one extra NUL (xs.c).
      const last = body.length > 0 && body[body.length - 1] === 0 && (body.length === 1 || body[body.length - 2] === 0);
      const namesPart = last ? body.subarray(0, body.length - 1) : body;
      if (!last && (namesPart.length === 0 || namesPart[namesPart.length - 1] !== 0)) {
        throw new XenStoreProtocolError(`DIRECTORY_PART ${path}: chunk at offset ${offset} is not whole names`);
      }
      names.push(...splitStrings(namesPart));
      offset += namesPart.length;
      if (last) return names;
    }
  }

  async getPerms(path: string, tx?: XsTransaction): Promise<XsPerms> {
    const reply = await this.request(XS.GET_PERMS, joinStrings([path]), path, tx);
    try {
      return parsePerms(splitStrings(reply));
    } catch (e) {
      throw this.notTheProtocol(`GET_PERMS ${path}: ${(e as Error).message}`, reply);
    }
  }

  async getDomainPath(domid: number): Promise<string> {
    checkDomid(domid);
    return firstString(await this.request(XS.GET_DOMAIN_PATH, joinStrings([String(domid)]), undefined));
  }

  async isDomainIntroduced(domid: number): Promise<boolean> {
    checkDomid(domid);
    const r = firstString(await this.request(XS.IS_DOMAIN_INTRODUCED, joinStrings([String(domid)]), undefined));
    return r !== "F";
  }

  async transactionStart(): Promise<XsTransaction> {
    const connection = this.generation;
    const r = firstString(await this.request(XS.TRANSACTION_START, joinStrings([""]), undefined));
    const id = Number(r);
    if (!/^\d{1,10}$/.test(r) || id === 0 || id > 0xffffffff) throw this.notTheProtocol("TRANSACTION_START: the reply is not a transaction id", Buffer.from(r));
    return { id, connection };
  }

  /**
   * End a transaction. commit=false sends "F" (abort). commit=true sends "T": as this client never
   * writes, a commit changes nothing but makes the server validate that nothing read in the
   * transaction changed meanwhile (EAGAIN otherwise).
   */
  async transactionEnd(tx: XsTransaction, commit: boolean): Promise<void> {
    await this.request(XS.TRANSACTION_END, joinStrings([commit ? "T" : "F"]), undefined, tx);
  }

  /**
   * Run `fn` inside a transaction for snapshot reads, then end it with abort "F" (we never write).
   * With { validate: true } it ends with "T" instead and, on EAGAIN, runs `fn` again (up to
   * `retries` times): with C xenstored a transaction only records what it read, and only a commit
   * tells whether those reads were mutually consistent.
   */
  async withTransaction<T>(fn: (tx: XsTransaction) => Promise<T>, opts: { validate?: boolean; retries?: number } = {}): Promise<T> {
    const retries = opts.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const tx = await this.transactionStart();
      let result: T;
      try {
        result = await fn(tx);
      } catch (e) {
        await this.transactionEnd(tx, false).catch(() => undefined);
        throw e;
      }
      try {
        await this.transactionEnd(tx, opts.validate === true);
        return result;
      } catch (e) {
        if (!(opts.validate && hasErrno(e, "EAGAIN") && attempt < retries)) throw e;
      }
    }
  }

  /**
   * Register a watch. The server fires it once right away (docs/misc/xenstore.txt), then on every
   * change of `path` or below. After a reconnect the watch is registered again (and fires again);
   * if that fails it is retried with backoff, and `registered`/`registrationError` say so
   * meanwhile (see onWatchState).
   */
  async watch(path: string, token?: string): Promise<XsWatch> {
    const w = new XsWatch(path, token ?? `dmboard-${process.pid}-${++tokenCounter}`, (x) => this.unwatch(x));
    // Registered before WATCH is sent: the initial event may arrive right behind the OK.
    this.watches.add(w);
    try {
      await this.request(XS.WATCH, joinStrings([path, w.token]), path);
    } catch (e) {
      this.watches.delete(w);
      w.end();
      throw e;
    }
    this.setWatchState(w, true, null);
    return w;
  }

  /**
   * Be told whenever a watch's `registered` or `registrationError` changes (connection lost, a
   * re-registration failed, it succeeded). Returns the unsubscribe function.
   */
  onWatchState(listener: (w: XsWatch) => void): () => void {
    this.watchListeners.add(listener);
    return () => this.watchListeners.delete(listener);
  }

  private async unwatch(w: XsWatch): Promise<void> {
    this.cancelWatchRetry(w);
    if (!this.watches.delete(w)) return;
    if (!this.conn || !w.registered) return;
    try {
      await this.request(XS.UNWATCH, joinStrings([w.path, w.token]), w.path);
    } catch (e) {
      // Gone already (server restarted, connection lost): nothing left to undo.
      if (!(hasErrno(e, "ENOENT") || e instanceof XenStoreConnectionError)) throw e;
    }
  }

  /** Close the connection: pending requests fail, watches end, no reconnect. */
  async close(): Promise<void> {
    if (this.closedByUser) return;
    this.closedByUser = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.opening?.abort();
    for (const t of this.watchRetries.values()) clearTimeout(t);
    this.watchRetries.clear();
    this.unsent = [];
    this.requests.failAll(new XenStoreConnectionError("client closed"));
    for (const w of this.watches) w.end();
    this.watches.clear();
    const c = this.conn;
    this.conn = null;
    if (c) await c.close();
  }

  // ---------------------------------------------------------------- requests

  private request(type: number, payload: Buffer, path: string | undefined, tx?: XsTransaction): Promise<Buffer> {
    // The allowlist comes first: a refused type is never encoded, queued or written.
    if (!isReadOnlyType(type)) return Promise.reject(new XenStoreRefusedError(typeName(type), path));
    const op = typeName(type);
    if (this.closedByUser) return Promise.reject(new XenStoreConnectionError("client closed"));
    if (tx && tx.connection !== this.generation) {
      return Promise.reject(new XenStoreConnectionError(`${op}: transaction ${tx.id} belongs to a lost connection`));
    }
    if (!this.conn && !this.reconnectOpts) {
      return Promise.reject(new XenStoreConnectionError(`${op}: not connected to ${this.path}`));
    }
    const reqId = this.allocReqId();
    let frame: Buffer;
    try {
      // Refuses oversize payloads before anything is written.
      frame = encodeFrame(type, reqId, tx ? tx.id : 0, payload, path);
    } catch (e) {
      return Promise.reject(e);
    }
    const r: XsRequest = { type, path, frame, sentOn: 0, sink: null, tag: null, txId: tx ? tx.id : 0, gen: this.generation };
    const reply = this.requests.add<Buffer>(reqId, r, this.timeoutMs);
    if (this.conn) this.send(this.conn, r);
    else this.unsent.push(reqId);
    return reply;
  }

  /** request() for a sink, for a path and an optional second string (DIRECTORY_PART's offset). */
  private requestTo<T>(type: number, path: string, extra: string | null, tx: XsTransaction | undefined, sink: XsReplySink<T>, tag: T): void {
    let refused: Error | null = null;
    if (!isReadOnlyType(type)) refused = new XenStoreRefusedError(typeName(type), path);
    else if (this.closedByUser) refused = new XenStoreConnectionError("client closed");
    else if (tx && tx.connection !== this.generation) {
      refused = new XenStoreConnectionError(`${typeName(type)}: transaction ${tx.id} belongs to a lost connection`);
    } else if (!this.conn && !this.reconnectOpts) refused = new XenStoreConnectionError(`${typeName(type)}: not connected to ${this.path}`);
    let frameLength = 0;
    if (!refused) {
      try {
        frameLength = pathFrameLength(type, path, extra);
      } catch (e) {
        refused = e as Error;
      }
    }
    const txId = tx ? tx.id : 0;
    // Settled later, as a rejected promise would be: sinks never hear back inside the call.
    if (refused) {
      const r: XsRequest = { type, path, frame: null, sentOn: 0, sink: sink as XsReplySink<unknown>, tag, txId, gen: this.generation };
      const e = refused;
      queueMicrotask(() => this.settleSink(r, e, null));
      return;
    }
    const r = this.freeRequests.pop() ?? { type, path, frame: null, sentOn: 0, sink: null, tag: null, txId, gen: 0 };
    r.type = type;
    r.path = path;
    r.frame = null;
    r.sentOn = 0;
    r.sink = sink as XsReplySink<unknown>;
    r.tag = tag;
    r.txId = txId;
    r.gen = this.generation;
    const reqId = this.allocReqId();
    this.requests.addCallback(reqId, r, this.timeoutMs, this.sinkResolve, this.sinkReject);
    const conn = this.conn;
    if (conn) {
      // Encoded straight into this turn's write.
      const at = conn.reserve(frameLength);
      encodePathFrameInto(conn.batch, at, type, reqId, txId, path, extra);
      r.sentOn = this.generation;
    } else {
      r.frame = encodePathFrame(type, reqId, txId, path, extra);
      this.unsent.push(reqId);
    }
  }

  private send(conn: FramedStream<XsFrame>, r: XsRequest): void {
    r.sentOn = this.generation;
    conn.write(r.frame!);
    r.frame = null;
  }

  private allocReqId(): number {
    // Skip 0 (used by watch events) and ids still in flight after a 2^32 wrap.
    do {
      this.nextReqId = (this.nextReqId + 1) >>> 0;
    } while (this.nextReqId === 0 || this.requests.has(this.nextReqId));
    return this.nextReqId;
  }

  private dispatch(f: XsFrame): void {
    if (f.type === XS.WATCH_EVENT) {
      const [path, token] = splitStrings(f.payload);
      if (path === undefined || token === undefined) return;
      const ev: XsWatchEvent = { path, token };
      for (const w of this.watches) if (w.matches(path, token)) w.push(ev);
      return;
    }
    const p = this.requests.take(f.reqId);
    if (!p) return; // reply to a request that already timed out
    const r = p.ctx;
    let err: Error | null = null;
    if (f.type === XS.ERROR) err = new XenStoreError(this.errnoOf(f.payload, r), typeName(r.type), r.path);
    else if (f.type !== r.type) err = new XenStoreProtocolError(`${typeName(r.type)}: reply has type ${typeName(f.type)}`);
    if (r.sink) {
      if (this.settleSink(r, err, err ? null : f)) this.reuse(r);
    } else if (err) p.reject(err);
    // A copy: the payload is a view into the socket chunk, and a promise's caller may keep it.
    else p.resolve(Buffer.from(f.payload));
    this.requests.recycle(p);
  }

  /** A settled sink request nothing refers to any more (taken from the table, not re-asked). */
  private reuse(r: XsRequest): void {
    if (this.freeRequests.length >= MAX_FREE_REQUESTS) return;
    r.path = undefined;
    r.sink = null;
    r.tag = null;
    this.freeRequests.push(r);
  }

  /** The errno of an XS_ERROR reply; a reply that names none is logged, not shown. */
  private errnoOf(payload: Buffer, r: XsRequest): string {
    const errno = firstString(payload);
    if (ERRNO_RE.test(errno)) return errno;
    this.notTheProtocol(`${typeName(r.type)}: an XS_ERROR reply that names no errno`, payload);
    return "EUNKNOWN";
  }

  /**
   * The peer sent something that is not XenStore: log the bytes for the admin, and return an error
   * whose message only summarises them (viewers read these messages).
   */
  private notTheProtocol(problem: string, bytes: Uint8Array): XenStoreProtocolError {
    logPeerBytes({ protocol: "xenstore", peer: this.path, problem, bytes });
    return new XenStoreProtocolError(`${problem}; the peer sent ${describePeerBytes(bytes)}`);
  }

  // ---------------------------------------------------------------- connection

  private async open(): Promise<void> {
    const ac = new AbortController();
    this.opening = ac;
    let stream: Duplex;
    try {
      stream = await openStream(this.transport, this.connectTimeoutMs, ac.signal);
    } catch (e) {
      if (this.closedByUser) throw new XenStoreConnectionError("client closed");
      if (e instanceof TransportTimeoutError) throw new XenStoreTimeoutError("connect", this.path, this.connectTimeoutMs);
      const msg = e instanceof Error ? e.message : String(e);
      throw new XenStoreConnectionError(`cannot connect to ${this.path}: ${msg}`, { cause: e });
    } finally {
      if (this.opening === ac) this.opening = null;
    }
    if (this.closedByUser) {
      stream.destroy();
      throw new XenStoreConnectionError("client closed");
    }
    this.attach(stream);
  }

  private attach(stream: Duplex): void {
    this.generation++;
    this.dirPart = null;
    const conn: FramedStream<XsFrame> = new FramedStream(stream, new FrameDecoder({ acceptType: isKnownType }), {
      frame: (f) => this.dispatch(f),
      ended: (how) => this.onEnded(conn, how),
    });
    this.conn = conn;
    const waiting = this.unsent;
    this.unsent = [];
    for (const id of waiting) {
      const r = this.requests.ctx(id);
      if (r) this.send(conn, r); // else it timed out while we were reconnecting
    }
  }

  private onEnded(conn: FramedStream<XsFrame>, how: StreamEnd): void {
    if (conn !== this.conn) return;
    this.conn = null;
    this.dirPart = null;
    const lost =
      how.kind === "garbage"
        ? this.garbage(how.error)
        : new XenStoreConnectionError(`connection to ${this.path} lost`, how.kind === "error" ? { cause: how.error } : undefined);
    // Requests written on this connection get no reply now; those still waiting to be written keep
    // waiting for the next connection (within their deadline).
    this.requests.failAll(lost, (r) => r.sentOn !== 0);
    for (const t of this.watchRetries.values()) clearTimeout(t);
    this.watchRetries.clear();
    if (this.closedByUser) return;
    if (!this.reconnectOpts) {
      for (const w of this.watches) w.end(lost);
      this.watches.clear();
      return;
    }
    for (const w of this.watches) this.setWatchState(w, false, null);
    this.scheduleReconnect();
  }

  /** The decoder lost framing: the message says what was wrong and what the bytes look like. */
  private garbage(error: Error): XenStoreProtocolError {
    const bytes = peerBytesOf(error) ?? Buffer.alloc(0);
    const problem = `not the XenStore protocol (${error.message})`;
    logPeerBytes({ protocol: "xenstore", peer: this.path, problem, bytes });
    return new XenStoreProtocolError(`${this.path} does not speak the XenStore protocol (${error.message}): it sent ${describePeerBytes(bytes)}`);
  }

  private scheduleReconnect(): void {
    const o = this.reconnectOpts;
    if (!o || this.closedByUser || this.reconnectTimer) return;
    const delay = Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** this.reconnectAttempt);
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open().then(
        () => {
          this.reconnectAttempt = 0;
          this.reconnectCount++;
          for (const w of this.watches) this.register(w, this.generation, 0);
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
    this.reconnectTimer.unref?.();
  }

  // ---------------------------------------------------------------- watches after a reconnect

  /**
   * Register `w` again on connection `generation`. A failure other than EEXIST (the server kept
   * it) leaves the watch visibly unregistered and is retried with the reconnect backoff until it
   * succeeds, the watch is closed, or the connection goes (the next connection registers it anyway).
   */
  private register(w: XsWatch, generation: number, attempt: number): void {
    this.request(XS.WATCH, joinStrings([w.path, w.token]), w.path).then(
      () => this.setWatchState(w, true, null),
      (e: unknown) => {
        if (hasErrno(e, "EEXIST")) return this.setWatchState(w, true, null);
        if (w.closed || this.closedByUser || generation !== this.generation || !this.conn) return;
        this.setWatchState(w, false, e instanceof Error ? e : new Error(String(e)));
        const o = this.reconnectOpts!;
        const t = setTimeout(
          () => {
            this.watchRetries.delete(w);
            if (!w.closed && this.watches.has(w) && generation === this.generation && this.conn) this.register(w, generation, attempt + 1);
          },
          Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** attempt),
        );
        t.unref?.();
        this.cancelWatchRetry(w);
        this.watchRetries.set(w, t);
      },
    );
  }

  private cancelWatchRetry(w: XsWatch): void {
    const t = this.watchRetries.get(w);
    if (t) clearTimeout(t);
    this.watchRetries.delete(w);
  }

  private setWatchState(w: XsWatch, registered: boolean, error: Error | null): void {
    if (w.closed) return;
    if (w.registered === registered && w.registrationError === error) return;
    w.registered = registered;
    w.registrationError = error;
    for (const l of [...this.watchListeners]) {
      try {
        l(w);
      } catch {
        // A listener's bug must not stop the client.
      }
    }
  }
}

function checkDomid(domid: number): void {
  if (!Number.isInteger(domid) || domid < 0 || domid > 0xffff) {
    throw new XenStoreError("EINVAL", "domid", String(domid));
  }
}
