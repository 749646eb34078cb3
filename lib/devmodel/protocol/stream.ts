/**
 * One connection as both protocols use it (qemu.qmp's reader and writer tasks): bytes from the
 * stream go through the protocol's decoder and come out as frames; frames written in the same
 * turn leave as one write; and the connection ends exactly once, with the reason it ended, which
 * the protocol turns into the error its waiting requests fail with.
 *
 * The stream is any Duplex a transport opened (see lib/devmodel/transport): a unix socket, an
 * SSH channel, one end of an in-process pair.
 */
import type { Duplex } from "node:stream";
import { STREAM_CLOSE_GRACE_MS } from "@/lib/devmodel/timeouts";

/** A protocol's incremental decoder. After it reports an error the stream is unusable. */
export interface StreamDecoder<F> {
  push(chunk: Buffer): { frames: F[]; error: Error | null };
  /** The peer ended the stream: an error when it stopped in the middle of a frame. */
  end?(): Error | null;
}

/** Why a connection ended. */
export type StreamEnd =
  /** close() was called. */
  | { kind: "local" }
  /** The peer ended or closed the stream. */
  | { kind: "eof" }
  /** The stream failed (ECONNRESET, EPIPE, …). */
  | { kind: "error"; error: Error }
  /** The peer sent bytes the decoder could not frame: nothing after them can be trusted. */
  | { kind: "garbage"; error: Error };

export interface FramedStreamHandlers<F> {
  frame(frame: F): void;
  ended(how: StreamEnd): void;
}

export class FramedStream<F> {
  private outbox: Buffer[] = [];
  private flushQueued = false;
  private done = false;
  private readonly closed: Promise<void>;

  constructor(
    private readonly stream: Duplex,
    private readonly decoder: StreamDecoder<F>,
    private readonly handlers: FramedStreamHandlers<F>,
  ) {
    this.closed = stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once("close", () => resolve()));
    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    stream.on("end", () => {
      const error = this.decoder.end?.() ?? null;
      this.finish(error ? { kind: "garbage", error } : { kind: "eof" });
    });
    stream.on("error", (error: Error) => this.finish({ kind: "error", error }));
    stream.on("close", () => this.finish({ kind: "eof" }));
    if (stream.destroyed) queueMicrotask(() => this.finish({ kind: "eof" }));
  }

  get open(): boolean {
    return !this.done;
  }

  /** Queue bytes; everything queued in one turn leaves in one write (a tree walk issues hundreds). */
  write(bytes: Buffer): void {
    if (this.done) return;
    this.outbox.push(bytes);
    if (this.flushQueued) return;
    this.flushQueued = true;
    process.nextTick(() => this.flush());
  }

  /**
   * End the connection from our side; resolves when the stream is closed, or after a grace
   * period if it never says so (a transport's stream is not ours to trust).
   */
  close(): Promise<void> {
    this.finish({ kind: "local" });
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, STREAM_CLOSE_GRACE_MS);
      t.unref?.();
      void this.closed.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private flush(): void {
    this.flushQueued = false;
    const out = this.outbox;
    this.outbox = [];
    if (this.done || out.length === 0) return;
    this.stream.write(out.length === 1 ? out[0] : Buffer.concat(out));
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    const { frames, error } = this.decoder.push(chunk);
    for (const f of frames) {
      if (this.done) return;
      this.handlers.frame(f);
    }
    if (error) this.finish({ kind: "garbage", error });
  }

  private finish(how: StreamEnd): void {
    if (this.done) return;
    this.done = true;
    this.outbox = [];
    this.stream.destroy();
    this.handlers.ended(how);
  }
}
