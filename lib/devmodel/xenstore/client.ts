/**
 * XenStore client over the xenstored unix socket. Read-only by construction: it can read, list,
 * get permissions, open transactions (always ended without committing writes) and watch, but no
 * method sends WRITE, MKDIR, RM or SET_PERMS.
 *
 * Requests are pipelined: each gets a fresh req_id and replies are matched by it, so a tree walk
 * can keep many requests in flight on one connection (docs/misc/xenstore.txt: replies must be
 * matched by req_id, in-order answering must not be relied on).
 */
import net from "node:net";
import type { XsPerms } from "@/lib/devmodel/types";
import {
  XenStoreConnectionError,
  XenStoreError,
  XenStoreProtocolError,
  XenStoreTimeoutError,
  hasErrno,
} from "./errors";
import { parsePerms } from "./perms";
import { resolveSocketPath } from "./socket-path";
import { XsWatch, type XsWatchEvent } from "./watch";
import {
  FrameDecoder,
  XS,
  encodeFrame,
  firstString,
  isKnownType,
  joinStrings,
  splitStrings,
  typeName,
  type XsFrame,
} from "./wire";

export interface XenStoreReconnectOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface XenStoreConnectOptions {
  /** Socket path; default resolveSocketPath(process.env). */
  path?: string;
  /** Per-request timeout (ms); default 5000. */
  timeoutMs?: number;
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

interface Pending {
  type: number;
  path: string | undefined;
  resolve(payload: Buffer): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RECONNECT: Required<XenStoreReconnectOptions> = { initialDelayMs: 100, maxDelayMs: 5000 };
/** DIRECTORY_PART restarts when the directory changes under us; give up after this many. */
const MAX_DIRECTORY_PART_RESTARTS = 16;

let tokenCounter = 0;

export class XenStoreClient {
  readonly path: string;
  readonly timeoutMs: number;
  private readonly reconnectOpts: Required<XenStoreReconnectOptions> | null;

  private sock: net.Socket | null = null;
  private decoder = new FrameDecoder({ acceptType: isKnownType });
  /** Increments on each successful connect; transactions and per-connection facts are tied to it. */
  private generation = 0;
  private pending = new Map<number, Pending>();
  private nextReqId = 1;
  private outbox: Buffer[] = [];
  private flushQueued = false;
  /** Requests issued while reconnecting: sent as soon as a connection is back (their timers run meanwhile). */
  private waitingForConnection: Array<{ send(): void; fail(err: Error): void }> = [];
  private watches = new Set<XsWatch>();
  private closedByUser = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private dirPart: boolean | null = null;
  private reconnectCount = 0;

  private constructor(opts: XenStoreConnectOptions) {
    this.path = opts.path ?? resolveSocketPath();
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.reconnectOpts =
      opts.reconnect === true
        ? { ...DEFAULT_RECONNECT }
        : opts.reconnect
          ? { ...DEFAULT_RECONNECT, ...opts.reconnect }
          : null;
  }

  /** Connect; rejects with XenStoreConnectionError if the socket cannot be opened. */
  static async connect(opts: XenStoreConnectOptions = {}): Promise<XenStoreClient> {
    const c = new XenStoreClient(opts);
    await c.open();
    return c;
  }

  get connected(): boolean {
    return this.sock !== null;
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
    return this.pending.size;
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

  private async directoryPart(path: string, tx?: XsTransaction): Promise<string[]> {
    let gencnt: string | null = null;
    let offset = 0;
    let names: string[] = [];
    for (let restarts = 0; ; ) {
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
    return parsePerms(splitStrings(await this.request(XS.GET_PERMS, joinStrings([path]), path, tx)));
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
    if (!/^\d+$/.test(r) || id === 0 || id > 0xffffffff) {
      throw new XenStoreProtocolError(`TRANSACTION_START: bad transaction id ${JSON.stringify(r)}`);
    }
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
  async withTransaction<T>(
    fn: (tx: XsTransaction) => Promise<T>,
    opts: { validate?: boolean; retries?: number } = {},
  ): Promise<T> {
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
   * change of `path` or below. After a reconnect the watch is registered again (and fires again).
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
    return w;
  }

  private async unwatch(w: XsWatch): Promise<void> {
    if (!this.watches.delete(w)) return;
    if (!this.sock) return;
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
    const err = new XenStoreConnectionError("client closed");
    this.failAll(err);
    for (const w of this.waitingForConnection.splice(0)) w.fail(err);
    for (const w of this.watches) w.end();
    this.watches.clear();
    const s = this.sock;
    this.sock = null;
    if (s) {
      await new Promise<void>((resolve) => {
        s.once("close", () => resolve());
        s.destroy();
      });
    }
  }

  // ---------------------------------------------------------------- transport

  private request(type: number, payload: Buffer, path: string | undefined, tx?: XsTransaction): Promise<Buffer> {
    const op = typeName(type);
    if (this.closedByUser) return Promise.reject(new XenStoreConnectionError("client closed"));
    if (tx && tx.connection !== this.generation) {
      return Promise.reject(new XenStoreConnectionError(`${op}: transaction ${tx.id} belongs to a lost connection`));
    }
    let frameProto: Buffer;
    try {
      // reqId is patched in at send time; building now rejects oversize payloads before any write.
      frameProto = encodeFrame(type, 0, tx ? tx.id : 0, payload, path);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<Buffer>((resolve, reject) => {
      let reqId = -1;
      const timer = setTimeout(() => {
        if (reqId >= 0) this.pending.delete(reqId);
        else this.waitingForConnection = this.waitingForConnection.filter((w) => w !== waiting);
        reject(new XenStoreTimeoutError(op, path, this.timeoutMs));
      }, this.timeoutMs);
      const send = (): void => {
        reqId = this.allocReqId();
        frameProto.writeUInt32LE(reqId, 4);
        this.pending.set(reqId, { type, path, resolve, reject, timer });
        this.enqueue(frameProto);
      };
      const waiting = {
        send,
        fail: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      if (this.sock) send();
      else if (this.reconnectOpts) this.waitingForConnection.push(waiting);
      else {
        clearTimeout(timer);
        reject(new XenStoreConnectionError(`${op}: not connected to ${this.path}`));
      }
    });
  }

  private allocReqId(): number {
    // Skip 0 (used by watch events) and ids still in flight after a 2^32 wrap.
    do {
      this.nextReqId = (this.nextReqId + 1) >>> 0;
    } while (this.nextReqId === 0 || this.pending.has(this.nextReqId));
    return this.nextReqId;
  }

  /** Batch frames written in the same tick into one write: a tree walk issues hundreds at once. */
  private enqueue(frame: Buffer): void {
    this.outbox.push(frame);
    if (this.flushQueued) return;
    this.flushQueued = true;
    process.nextTick(() => {
      this.flushQueued = false;
      const frames = this.outbox;
      this.outbox = [];
      if (this.sock && frames.length > 0) this.sock.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
    });
  }

  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const s = net.createConnection(this.path);
      const onError = (e: Error): void => {
        s.destroy();
        reject(new XenStoreConnectionError(`cannot connect to ${this.path}: ${e.message}`, { cause: e }));
      };
      s.once("error", onError);
      s.once("connect", () => {
        s.off("error", onError);
        if (this.closedByUser) {
          s.destroy();
          return reject(new XenStoreConnectionError("client closed"));
        }
        this.attach(s);
        resolve();
      });
    });
  }

  private attach(s: net.Socket): void {
    this.sock = s;
    this.generation++;
    this.decoder = new FrameDecoder({ acceptType: isKnownType });
    this.dirPart = null;
    s.setNoDelay?.(true);
    s.on("data", (chunk: Buffer) => this.onData(s, chunk));
    s.on("error", () => {
      /* 'close' follows and does the work */
    });
    s.on("close", () => this.onClose(s));
    for (const w of this.waitingForConnection.splice(0)) w.send();
  }

  private onData(s: net.Socket, chunk: Buffer): void {
    if (s !== this.sock) return;
    const { frames, error } = this.decoder.push(chunk);
    for (const f of frames) this.dispatch(f);
    if (error) {
      // Framing is lost: nothing more on this stream can be trusted.
      this.failAll(error);
      s.destroy();
    }
  }

  private dispatch(f: XsFrame): void {
    if (f.type === XS.WATCH_EVENT) {
      const [path, token] = splitStrings(f.payload);
      if (path === undefined || token === undefined) return;
      const ev: XsWatchEvent = { path, token };
      for (const w of this.watches) if (w.matches(path, token)) w.push(ev);
      return;
    }
    const p = this.pending.get(f.reqId);
    if (!p) return; // reply to a request that already timed out
    this.pending.delete(f.reqId);
    clearTimeout(p.timer);
    if (f.type === XS.ERROR) p.reject(new XenStoreError(firstString(f.payload), typeName(p.type), p.path));
    else if (f.type !== p.type) {
      p.reject(new XenStoreProtocolError(`${typeName(p.type)}: reply has type ${typeName(f.type)}`));
    } else p.resolve(f.payload);
  }

  private failAll(err: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }

  private onClose(s: net.Socket): void {
    if (s !== this.sock) return;
    this.sock = null;
    this.dirPart = null;
    this.outbox = [];
    this.failAll(new XenStoreConnectionError(`connection to ${this.path} lost`));
    if (this.closedByUser) return;
    if (!this.reconnectOpts) {
      const err = new XenStoreConnectionError(`connection to ${this.path} lost`);
      for (const w of this.watches) w.end(err);
      this.watches.clear();
      return;
    }
    this.scheduleReconnect();
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
          this.reregisterWatches();
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private reregisterWatches(): void {
    for (const w of this.watches) {
      this.request(XS.WATCH, joinStrings([w.path, w.token]), w.path).catch((e: unknown) => {
        // EEXIST: the server kept it. Anything else: the next loss/reconnect will try again.
        if (hasErrno(e, "EEXIST")) return;
      });
    }
  }
}

function checkDomid(domid: number): void {
  if (!Number.isInteger(domid) || domid < 0 || domid > 0xffff) {
    throw new XenStoreError("EINVAL", "domid", String(domid));
  }
}
