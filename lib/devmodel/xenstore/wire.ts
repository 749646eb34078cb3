/**
 * XenStore wire format (xen.git xen/include/public/io/xs_wire.h, docs/misc/xenstore.txt):
 * a 16-byte header of four uint32 (type, req_id, tx_id, len) in host order — little-endian on
 * every host we target — followed by `len` payload bytes, len <= XENSTORE_PAYLOAD_MAX.
 * Shared by the client and the simulated server so both speak exactly the same bytes.
 */
import { withPeerBytes } from "@/lib/devmodel/protocol/peer-bytes";
import { XenStoreError, XenStoreProtocolError } from "./errors";

export const XS = {
  CONTROL: 0,
  DIRECTORY: 1,
  READ: 2,
  GET_PERMS: 3,
  WATCH: 4,
  UNWATCH: 5,
  TRANSACTION_START: 6,
  TRANSACTION_END: 7,
  INTRODUCE: 8,
  RELEASE: 9,
  GET_DOMAIN_PATH: 10,
  WRITE: 11,
  MKDIR: 12,
  RM: 13,
  SET_PERMS: 14,
  WATCH_EVENT: 15,
  ERROR: 16,
  IS_DOMAIN_INTRODUCED: 17,
  RESUME: 18,
  SET_TARGET: 19,
  RESET_WATCHES: 21,
  DIRECTORY_PART: 22,
  GET_FEATURE: 23,
  SET_FEATURE: 24,
  GET_QUOTA: 25,
  SET_QUOTA: 26,
} as const;
export type XsTypeName = keyof typeof XS;

/** Number of defined message types (XS_TYPE_COUNT); 20 (the removed XS_RESTRICT) is a hole. */
export const XS_TYPE_COUNT = 27;
export const HEADER_SIZE = 16;
export const XENSTORE_PAYLOAD_MAX = 4096;
export const XENSTORE_ABS_PATH_MAX = 3072;
export const XENSTORE_REL_PATH_MAX = 2048;

const TYPE_NAMES: ReadonlyMap<number, XsTypeName> = new Map((Object.entries(XS) as [XsTypeName, number][]).map(([k, v]) => [v, k]));

/** "READ" for 2, "TYPE_99" for unknown numbers — used in error messages only. */
export function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE_${type}`;
}

export function isKnownType(type: number): boolean {
  return TYPE_NAMES.has(type);
}

export interface XsHeader {
  type: number;
  reqId: number;
  txId: number;
  len: number;
}

/**
 * One decoded frame. Its payload is bytes `start`…`end` of the chunk it came in: readers that
 * decode at once use the range (no Buffer view per frame: a snapshot decodes ~60 000 replies);
 * `payload` is a view made on first use. Copy it to keep it past the frame's dispatch, so that
 * it does not pin the socket chunk.
 */
export class XsFrame {
  private view: Buffer | null = null;
  constructor(
    readonly type: number,
    readonly reqId: number,
    readonly txId: number,
    readonly chunk: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  get payload(): Buffer {
    return (this.view ??= this.chunk.subarray(this.start, this.end));
  }
}

export function encodeHeader(h: XsHeader, into: Buffer = Buffer.allocUnsafe(HEADER_SIZE), at = 0): Buffer {
  into.writeUInt32LE(h.type >>> 0, at);
  into.writeUInt32LE(h.reqId >>> 0, at + 4);
  into.writeUInt32LE(h.txId >>> 0, at + 8);
  into.writeUInt32LE(h.len >>> 0, at + 12);
  return into;
}

export function decodeHeader(buf: Buffer, at = 0): XsHeader {
  if (buf.length - at < HEADER_SIZE) throw new XenStoreProtocolError(`short header: ${buf.length - at} bytes`);
  return {
    type: buf.readUInt32LE(at),
    reqId: buf.readUInt32LE(at + 4),
    txId: buf.readUInt32LE(at + 8),
    len: buf.readUInt32LE(at + 12),
  };
}

/**
 * One frame as a single buffer. Refuses payloads over the limit *before* anything is written:
 * xenstored kills a connection that sends more (docs/misc/xenstore.txt), so it must never reach it.
 */
export function encodeFrame(type: number, reqId: number, txId: number, payload: Buffer, path?: string): Buffer {
  if (payload.length > XENSTORE_PAYLOAD_MAX) throw new XenStoreError("E2BIG", typeName(type), path);
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  encodeHeader({ type, reqId, txId, len: payload.length }, out, 0);
  payload.copy(out, HEADER_SIZE);
  return out;
}

/**
 * The length of encodePathFrame's frame; refuses (E2BIG) a payload over the limit, before
 * anything is encoded or written.
 */
export function pathFrameLength(type: number, path: string, extra: string | null): number {
  const len = Buffer.byteLength(path, "utf8") + 1 + (extra === null ? 0 : Buffer.byteLength(extra, "utf8") + 1);
  if (len > XENSTORE_PAYLOAD_MAX) throw new XenStoreError("E2BIG", typeName(type), path);
  return HEADER_SIZE + len;
}

/**
 * encodeFrame(type, reqId, txId, joinStrings([path, extra?])) written at `at` of `out`, which has
 * room for pathFrameLength(…) bytes there (a snapshot encodes ~60 000 of these, in place).
 */
export function encodePathFrameInto(out: Buffer, at: number, type: number, reqId: number, txId: number, path: string, extra: string | null): void {
  out.writeUInt32LE(type >>> 0, at);
  out.writeUInt32LE(reqId >>> 0, at + 4);
  out.writeUInt32LE(txId >>> 0, at + 8);
  const pathBytes = out.write(path, at + HEADER_SIZE, "utf8");
  let end = at + HEADER_SIZE + pathBytes;
  out[end++] = 0;
  if (extra !== null) {
    end += out.write(extra, end, "utf8");
    out[end++] = 0;
  }
  out.writeUInt32LE(end - at - HEADER_SIZE, at + 12);
}

/** encodeFrame(type, reqId, txId, joinStrings([path, extra?])) in one buffer, without intermediate ones. */
export function encodePathFrame(type: number, reqId: number, txId: number, path: string, extra: string | null): Buffer {
  const out = Buffer.allocUnsafe(pathFrameLength(type, path, extra));
  encodePathFrameInto(out, 0, type, reqId, txId, path, extra);
  return out;
}

const NUL = Buffer.from([0]);

/** `a\0b\0…` — every part NUL-terminated (the form of paths, tokens, perms, directory replies). */
export function joinStrings(parts: readonly string[]): Buffer {
  const bufs: Buffer[] = [];
  for (const p of parts) bufs.push(Buffer.from(p, "utf8"), NUL);
  return Buffer.concat(bufs);
}

/** `<path>\0<raw bytes>` — WRITE: the value is raw and not NUL-terminated. */
export function pathAndValue(path: string, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from(path, "utf8"), NUL, value]);
}

/**
 * Split a NUL-separated payload. A trailing NUL terminates the last string rather than starting
 * an empty one, so "a\0b\0" → ["a","b"], "" → [], "\0" → [""], "a" → ["a"].
 */
export function splitStrings(buf: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nul = buf.indexOf(0, start);
    if (nul < 0) {
      if (start < buf.length) out.push(buf.toString("utf8", start));
      return out;
    }
    out.push(buf.toString("utf8", start, nul));
    start = nul + 1;
  }
}

/** splitStrings of bytes `start`…`end` of `buf`, without a view of them. */
export function splitStringsIn(buf: Buffer, start: number, end: number): string[] {
  const out: string[] = [];
  for (;;) {
    const nul = buf.indexOf(0, start);
    if (nul < 0 || nul >= end) {
      if (start < end) out.push(buf.toString("utf8", start, end));
      return out;
    }
    out.push(buf.toString("utf8", start, nul));
    start = nul + 1;
  }
}

/** Text of a one-string reply ("OK\0", "12\0", "/local/domain/3\0"): everything before the first NUL. */
export function firstString(buf: Buffer): string {
  const nul = buf.indexOf(0);
  return buf.toString("utf8", 0, nul < 0 ? buf.length : nul);
}

export interface FrameDecoderOptions {
  /** Largest accepted payload; default XENSTORE_PAYLOAD_MAX. */
  maxPayload?: number;
  /** Which type numbers are acceptable; others poison the stream. Default: any. */
  acceptType?: (type: number) => boolean;
}

export type DecodeResult = { frames: XsFrame[]; error: XenStoreProtocolError | null };

/**
 * Incremental decoder for a byte stream of frames. It holds at most one partial frame
 * (< HEADER_SIZE + maxPayload bytes), so a hostile peer cannot make it grow. After the first
 * error it is poisoned: the stream has lost framing and nothing after it can be trusted.
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private failed: XenStoreProtocolError | null = null;
  private readonly maxPayload: number;
  private readonly acceptType: ((type: number) => boolean) | undefined;

  constructor(opts: FrameDecoderOptions = {}) {
    this.maxPayload = opts.maxPayload ?? XENSTORE_PAYLOAD_MAX;
    this.acceptType = opts.acceptType;
  }

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.pending.length;
  }

  get error(): XenStoreProtocolError | null {
    return this.failed;
  }

  push(chunk: Buffer): DecodeResult {
    if (this.failed) return { frames: [], error: this.failed };
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: XsFrame[] = [];
    let at = 0;
    while (buf.length - at >= HEADER_SIZE) {
      const type = buf.readUInt32LE(at);
      const len = buf.readUInt32LE(at + 12);
      if (len > this.maxPayload) return this.fail(frames, `payload length ${len} exceeds ${this.maxPayload}`, buf, at);
      if (this.acceptType && !this.acceptType(type)) return this.fail(frames, `unexpected message type ${type}`, buf, at);
      if (buf.length - at - HEADER_SIZE < len) break;
      const start = at + HEADER_SIZE;
      // Not a copy (a snapshot decodes ~60 000 replies, most turned into a string at once):
      // whoever keeps a payload past the frame's dispatch copies it (XenStoreClient does for
      // promise requests).
      frames.push(new XsFrame(type, buf.readUInt32LE(at + 4), buf.readUInt32LE(at + 8), buf, start, start + len));
      at = start + len;
    }
    this.pending = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
    return { frames, error: null };
  }

  /** Poison the decoder. The bytes from the bad header on ride along (not in the message) for the log. */
  private fail(frames: XsFrame[], msg: string, buf: Buffer, at: number): DecodeResult {
    this.failed = withPeerBytes(new XenStoreProtocolError(msg), buf.subarray(at, at + 512));
    this.pending = Buffer.alloc(0);
    return { frames, error: this.failed };
  }
}
