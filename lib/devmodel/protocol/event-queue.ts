/**
 * A bounded queue of events read as an async iterator (qemu.qmp's `EventListener`). Events wait
 * here until the reader takes them; when the reader falls behind by `max` events the oldest are
 * dropped and counted: both protocols' events say "something changed, look again", so the newest
 * are the ones worth keeping, and a slow reader must not make the server grow without limit.
 */
export const DEFAULT_EVENT_QUEUE_MAX = 1024;

type Waiter<T> = { resolve(r: IteratorResult<T>): void; reject(e: unknown): void };

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private items: T[] = [];
  private waiters: Waiter<T>[] = [];
  private done = false;
  private failed = false;
  private failure: unknown = undefined;
  /** Events dropped because the queue was full. */
  dropped = 0;

  /** `onClose` runs once when the reader closes the queue (e.g. to unsubscribe at the source). */
  constructor(
    private readonly max: number = DEFAULT_EVENT_QUEUE_MAX,
    private readonly onClose?: () => void | Promise<void>,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("an event queue holds at least one event");
  }

  get closed(): boolean {
    return this.done;
  }

  /** Events received and not taken yet. */
  get queued(): number {
    return this.items.length;
  }

  /** Deliver one event (to a waiting reader, or into the queue). Ignored once ended. */
  push(event: T): void {
    if (this.done) return;
    const w = this.waiters.shift();
    if (w) return w.resolve({ value: event, done: false });
    if (this.items.length >= this.max) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(event);
  }

  /**
   * End the stream from the source's side: normally, or with an error that every pending and
   * future next() rejects with once the queued events are taken.
   */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (error !== undefined) {
      this.failed = true;
      this.failure = error;
    }
    for (const w of this.waiters.splice(0)) {
      if (this.failed) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.done) return this.failed ? Promise.reject(this.failure) : Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** `for await … break` ends up here. */
  async return(): Promise<IteratorResult<T>> {
    await this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The reader is done: drop what is queued, end the iterator, tell the source. Idempotent. */
  async close(): Promise<void> {
    if (this.done) return;
    this.end();
    this.items = [];
    await this.onClosed();
  }

  /** What closing tells the source; subclasses override, others pass `onClose`. */
  protected onClosed(): void | Promise<void> {
    return this.onClose?.();
  }
}
