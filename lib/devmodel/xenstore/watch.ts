/**
 * A registered watch as the caller sees it: an async iterator of events plus close(), on the
 * shared bounded queue (protocol/event-queue.ts). xenstored may fire spuriously and a slow
 * consumer must not make us grow without limit: on overflow the oldest events are dropped and
 * counted (watch semantics already say "something under this path changed; re-read").
 *
 * `registered` says whether the server holds the watch right now: false while the client
 * reconnects, and false with `registrationError` set when registering it again after a reconnect
 * failed — the client keeps retrying, and the caller can show that changes may not arrive.
 */
import { EventQueue } from "@/lib/devmodel/protocol/event-queue";

export interface XsWatchEvent {
  path: string;
  token: string;
}

const DEFAULT_MAX_QUEUED = 4096;

export class XsWatch extends EventQueue<XsWatchEvent> {
  /** Whether the server holds this watch now. */
  registered = false;
  /** Why the last attempt to register it again failed (null: registered, or waiting for a connection). */
  registrationError: Error | null = null;

  constructor(
    readonly path: string,
    readonly token: string,
    private readonly unregister: (w: XsWatch) => Promise<void>,
    maxQueued = DEFAULT_MAX_QUEUED,
  ) {
    super(maxQueued);
  }

  /** Is `eventPath` this watch's path or below it (xs_path_is_subpath)? Special "@…" paths match exactly or by "/" suffix. */
  matches(eventPath: string, token: string): boolean {
    if (token !== this.token) return false;
    if (eventPath === this.path) return true;
    if (this.path === "/") return eventPath.startsWith("/");
    return eventPath.startsWith(this.path) && eventPath.charCodeAt(this.path.length) === 47; /* "/" */
  }

  /** UNWATCH on the server (if still connected); runs once, from close() or `for await … break`. */
  protected override onClosed(): Promise<void> {
    return this.unregister(this);
  }
}
