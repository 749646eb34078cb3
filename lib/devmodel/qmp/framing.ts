/**
 * Incremental decoder for the server → client QMP stream.
 *
 * QEMU writes each message as one JSON object followed by CRLF (qmp-spec.rst);
 * we accept a bare LF too. The decoder never buffers more than `maxMessageBytes`
 * (default 1 MiB, libxl's QMP_MAX_SIZE_RX_BUF): an over-long line is reported once
 * and then skipped up to its terminator, so garbage cannot grow memory.
 * It never throws on input: failures come back as `QmpProtocolError` frames and
 * the caller decides whether they are fatal (the client treats them as fatal).
 * Error messages never quote the peer's bytes; the offending bytes ride along on
 * the error (`peerBytes`, see protocol/peer-bytes.ts) for the server log.
 */
import { withPeerBytes } from "@/lib/devmodel/protocol/peer-bytes";
import { QmpProtocolError } from "./errors";

export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** A JSON object as received; shape is checked later by whoever consumes it. */
export type QmpWireObject = Record<string, unknown>;

export type QmpFrame = { kind: "message"; message: QmpWireObject } | { kind: "error"; error: QmpProtocolError };

const LF = 0x0a;

export class QmpFrameDecoder {
  readonly maxMessageBytes: number;
  /** Pieces of the current, unterminated line (kept as chunks to avoid re-copying). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True after an oversize report, until the end of that line is seen. */
  private skipping = false;

  constructor(opts: { maxMessageBytes?: number } = {}) {
    const max = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError("maxMessageBytes must be a positive integer");
    this.maxMessageBytes = max;
  }

  /** Bytes currently held for an incomplete message (always ≤ maxMessageBytes). */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  /** Feed bytes from the socket; returns every frame they complete, in order. */
  push(chunk: Uint8Array): QmpFrame[] {
    const frames: QmpFrame[] = [];
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (;;) {
      const nl = buf.indexOf(LF);
      if (nl < 0) {
        this.hold(buf, frames);
        return frames;
      }
      const head = buf.subarray(0, nl);
      buf = buf.subarray(nl + 1);
      if (this.skipping) {
        // End of the over-long line: resume normal decoding after it.
        this.skipping = false;
        continue;
      }
      if (this.pendingBytes + head.length > this.maxMessageBytes) {
        const sample = this.pending[0] ?? head;
        this.reset();
        frames.push(oversize(this.maxMessageBytes, sample));
        continue;
      }
      const line = this.pending.length === 0 ? head : Buffer.concat([...this.pending, head]);
      this.reset();
      const frame = parseLine(line);
      if (frame) frames.push(frame);
    }
  }

  /** Call when the stream ended: reports a trailing partial message, if any. */
  end(): QmpFrame[] {
    const rest = Buffer.concat(this.pending);
    const partial = this.pendingBytes > 0 && !isBlank(rest);
    this.reset();
    this.skipping = false;
    return partial
      ? [{ kind: "error", error: withPeerBytes(new QmpProtocolError("a message cut short by the end of the stream", "json"), rest.subarray(0, 512)) }]
      : [];
  }

  private hold(buf: Buffer, frames: QmpFrame[]): void {
    if (buf.length === 0 || this.skipping) return;
    if (this.pendingBytes + buf.length > this.maxMessageBytes) {
      const sample = this.pending[0] ?? buf;
      this.reset();
      this.skipping = true;
      frames.push(oversize(this.maxMessageBytes, sample));
      return;
    }
    this.pending.push(buf);
    this.pendingBytes += buf.length;
  }

  private reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

function oversize(max: number, sample: Buffer): QmpFrame {
  return { kind: "error", error: withPeerBytes(new QmpProtocolError(`a message that exceeds ${max} bytes`, "oversize"), sample.subarray(0, 512)) };
}

/** Space, tab, CR only: blank lines between messages are harmless. */
function isBlank(line: Buffer): boolean {
  for (const b of line) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

function parseLine(line: Buffer): QmpFrame | null {
  if (isBlank(line)) return null;
  const text = line.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "error", error: withPeerBytes(new QmpProtocolError("a line that is not JSON", "json"), line.subarray(0, 512)) };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "error", error: withPeerBytes(new QmpProtocolError("JSON that is not an object", "not-object"), line.subarray(0, 512)) };
  }
  return { kind: "message", message: value as QmpWireObject };
}

/**
 * Short, printable excerpt of a text. Not for error messages about a peer: those summarise
 * (protocol/peer-bytes.ts describePeerBytes) instead of quoting.
 */
export function preview(text: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.slice(0, max).replace(/[\x00-\x1f\x7f-\x9f]/g, "?");
  return JSON.stringify(text.length > max ? clean + "…" : clean);
}
