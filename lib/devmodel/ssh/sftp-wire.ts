/**
 * The few SFTP v3 messages a procfs read needs (draft-ietf-secsh-filexfer-02, which OpenSSH's
 * sftp-server speaks): requests OPEN, CLOSE, READ, LSTAT, STAT, OPENDIR, READDIR, READLINK, and
 * the replies to them. Encoding and an incremental decoder only; sftp-session.ts sends them.
 *
 * Why not ssh2's SFTP client: it sends every request as an SSH packet of its own, and the
 * reader's cost over SSH was per packet (docs/perf-notes.md, "SSH round"); over our own
 * framed stream the requests of one turn leave as one packet.
 */
import type { StreamDecoder } from "@/lib/devmodel/protocol/stream";

export const SSH_FXP = {
  INIT: 1,
  VERSION: 2,
  OPEN: 3,
  CLOSE: 4,
  READ: 5,
  LSTAT: 7,
  OPENDIR: 11,
  READDIR: 12,
  STAT: 17,
  READLINK: 19,
  STATUS: 101,
  HANDLE: 102,
  DATA: 103,
  NAME: 104,
  ATTRS: 105,
} as const;

export const SSH_FX_OK = 0;
export const SSH_FX_EOF = 1;
export const SSH_FXF_READ = 0x1;

const ATTR_SIZE = 0x1;
const ATTR_UIDGID = 0x2;
const ATTR_PERMISSIONS = 0x4;
const ATTR_ACMODTIME = 0x8;
const ATTR_EXTENDED = 0x80000000;

/**
 * Largest message taken from the server: a READ answer is at most what was asked (8 KiB here;
 * sftp-server caps any at 256 KiB), a READDIR answer ~100 names. Past it the stream is garbage.
 */
export const SFTP_MAX_MESSAGE = 512 * 1024;

export interface SftpAttrs {
  size: number | null;
  mode: number | null;
}

export type SftpReply =
  | { type: typeof SSH_FXP.VERSION; version: number }
  | { type: typeof SSH_FXP.STATUS; id: number; code: number; message: string }
  | { type: typeof SSH_FXP.HANDLE; id: number; handle: Buffer }
  | { type: typeof SSH_FXP.DATA; id: number; data: Buffer }
  | { type: typeof SSH_FXP.NAME; id: number; names: { filename: string; attrs: SftpAttrs }[] }
  | { type: typeof SSH_FXP.ATTRS; id: number; attrs: SftpAttrs };

/** One request: `type`, `id`, then each field (a string or Buffer as an SSH string, a number as uint32, a bigint as uint64). */
export function encodeRequest(type: number, id: number, ...fields: (string | Buffer | number | bigint)[]): Buffer {
  const parts = fields.map((f) => (typeof f === "string" ? Buffer.from(f, "utf8") : f));
  let len = 1 + 4;
  for (const f of parts) len += Buffer.isBuffer(f) ? 4 + f.length : typeof f === "bigint" ? 8 : 4;
  const out = Buffer.allocUnsafe(4 + len);
  let p = out.writeUInt32BE(len, 0);
  p = out.writeUInt8(type, p);
  p = out.writeUInt32BE(id, p);
  for (const f of parts) {
    if (Buffer.isBuffer(f)) {
      p = out.writeUInt32BE(f.length, p);
      p += f.copy(out, p);
    } else if (typeof f === "bigint") p = out.writeBigUInt64BE(f, p);
    else p = out.writeUInt32BE(f, p);
  }
  return out;
}

/** INIT carries a version where the others carry an id. */
export const encodeInit = (): Buffer => encodeRequest(SSH_FXP.INIT, 3);

class Reader {
  p = 0;
  constructor(private readonly b: Buffer) {}
  u32(): number {
    if (this.p + 4 > this.b.length) throw new Error("truncated SFTP message");
    const v = this.b.readUInt32BE(this.p);
    this.p += 4;
    return v;
  }
  u64(): number {
    if (this.p + 8 > this.b.length) throw new Error("truncated SFTP message");
    const v = Number(this.b.readBigUInt64BE(this.p));
    this.p += 8;
    return v;
  }
  bytes(): Buffer {
    const n = this.u32();
    if (this.p + n > this.b.length) throw new Error("truncated SFTP message");
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }
  string(): string {
    return this.bytes().toString("utf8");
  }
  attrs(): SftpAttrs {
    const flags = this.u32();
    const a: SftpAttrs = { size: null, mode: null };
    if (flags & ATTR_SIZE) a.size = this.u64();
    if (flags & ATTR_UIDGID) this.p += 8;
    if (flags & ATTR_PERMISSIONS) a.mode = this.u32();
    if (flags & ATTR_ACMODTIME) this.p += 8;
    if (flags & ATTR_EXTENDED) {
      for (let n = this.u32(); n > 0; n--) {
        this.bytes();
        this.bytes();
      }
    }
    if (this.p > this.b.length) throw new Error("truncated SFTP message");
    return a;
  }
}

function parseReply(body: Buffer): SftpReply {
  const type = body[0];
  const r = new Reader(body.subarray(1));
  if (type === SSH_FXP.VERSION) return { type, version: r.u32() }; // extensions ignored
  const id = r.u32();
  switch (type) {
    case SSH_FXP.STATUS: {
      const code = r.u32();
      // The message and language tag are optional in v3 servers' practice.
      let message = "";
      if (r.p < body.length - 1) message = r.string();
      return { type, id, code, message };
    }
    case SSH_FXP.HANDLE:
      return { type, id, handle: r.bytes() };
    case SSH_FXP.DATA:
      return { type, id, data: r.bytes() };
    case SSH_FXP.NAME: {
      const names: { filename: string; attrs: SftpAttrs }[] = [];
      for (let n = r.u32(); n > 0; n--) {
        const filename = r.string();
        r.bytes(); // longname (ls -l), unused
        names.push({ filename, attrs: r.attrs() });
      }
      return { type, id, names };
    }
    case SSH_FXP.ATTRS:
      return { type, id, attrs: r.attrs() };
    default:
      throw new Error(`unexpected SFTP message type ${type}`);
  }
}

/** Frames replies out of the channel's bytes; an oversized or malformed message is an error. */
export class SftpDecoder implements StreamDecoder<SftpReply> {
  private pending: Buffer | null = null;

  push(chunk: Buffer): { frames: SftpReply[]; error: Error | null } {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    const frames: SftpReply[] = [];
    try {
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len < 1 || len > SFTP_MAX_MESSAGE) throw new Error(`SFTP message of ${len} bytes`);
        if (buf.length < 4 + len) break;
        frames.push(parseReply(buf.subarray(4, 4 + len)));
        buf = buf.subarray(4 + len);
      }
    } catch (e) {
      return { frames, error: e as Error };
    }
    // A partial message: kept (copied, so the chunk it came in is not held whole).
    if (buf.length > 0) this.pending = Buffer.from(buf);
    return { frames, error: null };
  }

  end(): Error | null {
    return this.pending ? new Error("SFTP stream ended inside a message") : null;
  }
}
