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

/**
 * Size of the buffers frames are encoded into (reserve). Used as Node's own Buffer pool is: each
 * turn's frames are a slice, the next turn continues after it, a full one is replaced.
 */
const BATCH_BYTES = 16384;

export class FramedStream<F> {
  private outbox: Buffer[] = [];
  private flushQueued = false;
  /** Frames encoded in place (reserve): this turn's are bytes `batchStart`…`batchLen` of `batchBuf`. */
  private batchBuf: Buffer | null = null;
  private batchStart = 0;
  private batchLen = 0;
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
    this.seal();
    this.outbox.push(bytes);
    this.queueFlush();
  }

  /**
   * Room for `len` bytes in this turn's write, for a frame encoded in place (no Buffer per frame:
   * a snapshot sends ~60 000 XenStore requests): write them into `batch` at the returned offset,
   * before the turn ends. They leave in order with everything else queued in this turn.
   */
  reserve(len: number): number {
    if (this.done) {
      // Nothing will be written: a scratch buffer, so the caller's encoding has somewhere to go.
      this.batchBuf = Buffer.allocUnsafe(len);
      this.batchStart = this.batchLen = 0;
      return 0;
    }
    if (!this.batchBuf || this.batchLen + len > this.batchBuf.length) {
      this.seal();
      this.batchBuf = Buffer.allocUnsafe(Math.max(len, BATCH_BYTES));
      this.batchStart = this.batchLen = 0;
    }
    const at = this.batchLen;
    this.batchLen += len;
    this.queueFlush();
    return at;
  }

  /** The buffer `reserve` returned an offset into. */
  get batch(): Buffer {
    return this.batchBuf!;
  }

  /** This turn's frames so far join the outbox (before anything queued after them); the rest of the buffer is kept for the next. */
  private seal(): void {
    if (this.batchBuf && this.batchLen > this.batchStart) this.outbox.push(this.batchBuf.subarray(this.batchStart, this.batchLen));
    this.batchStart = this.batchLen;
  }

  private queueFlush(): void {
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
    this.seal();
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
    this.batchBuf = null;
    this.batchStart = this.batchLen = 0;
    this.stream.destroy();
    this.handlers.ended(how);
  }
}
