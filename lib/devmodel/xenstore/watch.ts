/**
 * A registered watch as the caller sees it: an async iterator of events plus close().
 * Events queue until consumed; the queue is bounded because xenstored may fire spuriously and a
 * slow consumer must not make us grow without limit — on overflow the oldest events are dropped
 * and counted (watch semantics already say "something under this path changed; re-read").
 */
export interface XsWatchEvent {
  path: string;
  token: string;
}

const DEFAULT_MAX_QUEUED = 4096;

type Waiter = { resolve(r: IteratorResult<XsWatchEvent>): void; reject(e: unknown): void };

export class XsWatch implements AsyncIterableIterator<XsWatchEvent> {
  private queue: XsWatchEvent[] = [];
  private waiters: Waiter[] = [];
  private done = false;
  private failure: unknown = null;
  /** Events dropped because the queue was full. */
  dropped = 0;

  constructor(
    readonly path: string,
    readonly token: string,
    private readonly unregister: (w: XsWatch) => Promise<void>,
    private readonly maxQueued = DEFAULT_MAX_QUEUED,
  ) {}

  get closed(): boolean {
    return this.done;
  }

  /** Events received and not consumed yet. */
  get queued(): number {
    return this.queue.length;
  }

  /** Is `eventPath` this watch's path or below it (xs_path_is_subpath)? Special "@…" paths match exactly or by "/" suffix. */
  matches(eventPath: string, token: string): boolean {
    if (token !== this.token) return false;
    if (eventPath === this.path) return true;
    if (this.path === "/") return eventPath.startsWith("/");
    return eventPath.startsWith(this.path) && eventPath.charCodeAt(this.path.length) === 47; /* "/" */
  }

  /** @internal called by the client for each matching WATCH_EVENT. */
  push(ev: XsWatchEvent): void {
    if (this.done) return;
    const w = this.waiters.shift();
    if (w) return w.resolve({ value: ev, done: false });
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(ev);
  }

  /** @internal end the stream: normally (undefined) or with an error every pending/future next() rejects with. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (error !== undefined) this.failure = error;
    for (const w of this.waiters.splice(0)) {
      if (error !== undefined) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<XsWatchEvent>> {
    const ev = this.queue.shift();
    if (ev) return Promise.resolve({ value: ev, done: false });
    if (this.done) {
      return this.failure !== null ? Promise.reject(this.failure) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** `for await … break` ends up here: unregister on the server too. */
  async return(): Promise<IteratorResult<XsWatchEvent>> {
    await this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** UNWATCH on the server (if still connected) and end the iterator. Idempotent. */
  async close(): Promise<void> {
    if (this.done) return;
    this.end();
    this.queue = [];
    await this.unregister(this);
  }
}
