/**
 * Requests waiting for their reply, each with a deadline (qemu.qmp's `_pending` map plus the
 * `wait_for` around each execute). The protocol decides the key (XenStore's req_id, QMP's id),
 * what it keeps per request (`ctx`) and which error a missed deadline becomes; this class only
 * guarantees that every request settles: with its reply, with the deadline's error, or with the
 * error the connection ended with.
 *
 * One timer serves the whole table: it is armed for the earliest deadline and, when it fires,
 * expires everything due and re-arms for the next. A snapshot keeps thousands of requests in
 * flight; a timer object per request would be thousands of timers created and cancelled.
 */
import { checkTimeout } from "@/lib/devmodel/timeouts";

/**
 * One waiting request. A class (methods on the prototype): a snapshot makes ~60 000 of these.
 * Mutable so that `recycle` can hand it to a later request: a request waits across turns of
 * the event loop, long enough to outlive two scavenges, so a fresh entry per request was
 * promoted into V8's old space and made its garbage grow by ~4 MB per 1000-guest snapshot.
 */
class Entry<C> {
  constructor(
    public ctx: C,
    public deadline: number,
    public timeoutMs: number,
    /** Called with the request's ctx too, so one function can serve every request (addCallback). */
    private onResolve: (value: unknown, ctx: C) => void,
    private onReject: (err: Error, ctx: C) => void,
  ) {}
  reset(ctx: C, deadline: number, timeoutMs: number, onResolve: (value: unknown, ctx: C) => void, onReject: (err: Error, ctx: C) => void): this {
    this.ctx = ctx;
    this.deadline = deadline;
    this.timeoutMs = timeoutMs;
    this.onResolve = onResolve;
    this.onReject = onReject;
    return this;
  }
  resolve(value: unknown): void {
    this.onResolve(value, this.ctx);
  }
  reject(err: Error): void {
    this.onReject(err, this.ctx);
  }
}

/** Unused entries kept for reuse: about what a snapshot has in flight at once (128 domains × ~60). */
const MAX_FREE_ENTRIES = 16_384;
const noop = () => undefined;

/** What a settled request hands back to the protocol that matched a reply to it. */
export interface PendingRequest<C> {
  readonly ctx: C;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** Timers may fire up to a millisecond early by our clock; treat those as due. */
const EARLY_MS = 1;

export class PendingRequests<K, C> {
  private readonly entries = new Map<K, Entry<C>>();
  private timer: NodeJS.Timeout | null = null;
  private armedFor = Infinity;
  private readonly free: Entry<C>[] = [];

  /** `expired(ctx, timeoutMs)`: the error a request that missed its deadline rejects with. */
  constructor(private readonly expired: (ctx: C, timeoutMs: number) => Error) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** The oldest request still waiting (QMP answers in order: an id-less error is its reply). */
  oldest(): K | undefined {
    const first = this.entries.keys().next();
    return first.done ? undefined : first.value;
  }

  ctx(key: K): C | undefined {
    return this.entries.get(key)?.ctx;
  }

  /**
   * Register `key` and return the promise its reply settles. `timeoutMs` must be a usable bound
   * (see checkTimeout): a request never waits without one.
   */
  add<T = unknown>(key: K, ctx: C, timeoutMs: number): Promise<T> {
    checkTimeout(timeoutMs, "request timeout");
    if (this.entries.has(key)) throw new Error(`request ${String(key)} is already pending`);
    const deadline = performance.now() + timeoutMs;
    return new Promise<T>((resolve, reject) => {
      this.entries.set(key, new Entry<C>(ctx, deadline, timeoutMs, resolve as (v: unknown) => void, reject));
      if (deadline < this.armedFor) this.arm(deadline);
    });
  }

  /**
   * `add` without a promise: `resolve`/`reject` are called directly, with the request's `ctx`
   * (tree walks keep tens of thousands of requests in flight; a promise and its continuation, or
   * closures, per request show in the profile: pass the same two functions for every request).
   */
  addCallback(key: K, ctx: C, timeoutMs: number, resolve: (value: unknown, ctx: C) => void, reject: (err: Error, ctx: C) => void): void {
    checkTimeout(timeoutMs, "request timeout");
    if (this.entries.has(key)) throw new Error(`request ${String(key)} is already pending`);
    const deadline = performance.now() + timeoutMs;
    const e = this.free.pop()?.reset(ctx, deadline, timeoutMs, resolve, reject) ?? new Entry(ctx, deadline, timeoutMs, resolve, reject);
    this.entries.set(key, e);
    if (deadline < this.armedFor) this.arm(deadline);
  }

  /**
   * The caller is done with what `take` returned (it settled it and keeps no reference): the
   * entry may serve a later addCallback. Optional; an entry not recycled is garbage as before.
   */
  recycle(p: PendingRequest<C>): void {
    if (this.free.length >= MAX_FREE_ENTRIES || !(p instanceof Entry)) return;
    this.free.push(p.reset(null as C, 0, 0, noop, noop));
  }

  /** Remove `key` and hand it to the caller to settle (a reply arrived). Undefined if not waiting. */
  take(key: K): PendingRequest<C> | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    if (this.entries.size === 0) this.disarm();
    return e;
  }

  resolve(key: K, value: unknown): boolean {
    const e = this.take(key);
    e?.resolve(value);
    return e !== undefined;
  }

  reject(key: K, err: Error): boolean {
    const e = this.take(key);
    e?.reject(err);
    return e !== undefined;
  }

  /** Reject every waiting request (the connection ended), or those `which` selects. */
  failAll(err: Error, which?: (ctx: C) => boolean): void {
    const failed: Entry<C>[] = [];
    for (const [k, e] of this.entries) {
      if (which && !which(e.ctx)) continue;
      this.entries.delete(k);
      failed.push(e);
    }
    if (this.entries.size === 0) this.disarm();
    for (const e of failed) e.reject(err);
  }

  private arm(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = deadline;
    // Timers run before the poll phase: a reply that arrived while the loop was busy (a long
    // synchronous stretch elsewhere) would lose to its own deadline. One poll phase of grace
    // (setImmediate runs after it) lets replies already received be read first.
    const t = setTimeout(
      () =>
        setImmediate(() => {
          if (this.timer === t) this.sweep(); // not disarmed or re-armed meanwhile
        }),
      Math.max(1, Math.ceil(deadline - performance.now())),
    );
    this.timer = t;
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Infinity;
  }

  private sweep(): void {
    this.timer = null;
    this.armedFor = Infinity;
    const now = performance.now() + EARLY_MS;
    const due: Entry<C>[] = [];
    let next = Infinity;
    for (const [k, e] of this.entries) {
      if (e.deadline <= now) {
        this.entries.delete(k);
        due.push(e);
      } else if (e.deadline < next) next = e.deadline;
    }
    if (next !== Infinity) this.arm(next);
    for (const e of due) e.reject(this.expired(e.ctx, e.timeoutMs));
  }
}
