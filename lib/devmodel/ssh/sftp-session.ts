/**
 * An SFTP session on the `sftp` subsystem channel of a connection: the requests a procfs read
 * needs (sftp-wire.ts), many in flight at once, and every request of one turn in one channel
 * write, hence one SSH packet (FramedStream): a host's ~130 file reads go out in a few dozen
 * packets instead of ~600. No deadline here: the procfs layer bounds every operation
 * (withDeadlines); when the channel ends, every waiting request fails at once.
 */
import type { Duplex } from "node:stream";
import { FramedStream, type StreamEnd } from "@/lib/devmodel/protocol/stream";
import { encodeInit, encodeRequest, SftpDecoder, SSH_FX_EOF, SSH_FX_OK, SSH_FXF_READ, SSH_FXP, type SftpAttrs, type SftpReply } from "./sftp-wire";

/** SFTP status codes as the errnos the rest of devmodel reports. */
const STATUS_ERRNO: Record<number, string> = { 2: "ENOENT", 3: "EACCES", 4: "EIO", 5: "EPROTO", 6: "ECONNRESET", 7: "ECONNRESET", 8: "EOPNOTSUPP" };

/** A failed SFTP request, with the errno-like code of its status (ENOENT, EACCES, …). */
export class SftpStatusError extends Error {
  override readonly name = "SftpStatusError";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Waiter = { resolve: (r: SftpReply) => void; reject: (e: Error) => void };
const MAX_ID = 0xffffffff;

export class SftpSession {
  private readonly framed: FramedStream<SftpReply>;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 0;
  private ended: Error | null = null;
  private version: Waiter | null = null;
  /** Requests sent (for tests and the bench). */
  requests = 0;
  /** Called once when the channel ends, whoever ended it. */
  onEnd: (() => void) | null = null;

  private constructor(stream: Duplex, where: string) {
    this.framed = new FramedStream(stream, new SftpDecoder(), {
      frame: (f) => this.onReply(f),
      ended: (how) => this.onEnded(how, where),
    });
  }

  /** The session on `stream` (the subsystem channel), once the server has answered INIT within `timeoutMs`. */
  static async start(stream: Duplex, where: string, timeoutMs: number): Promise<SftpSession> {
    const s = new SftpSession(stream, where);
    let timer: NodeJS.Timeout | undefined;
    const reply = await new Promise<SftpReply>((resolve, reject) => {
      s.version = { resolve, reject };
      timer = setTimeout(() => {
        reject(new SftpStatusError("ETIMEDOUT", `ssh ${where}: no SFTP version within ${timeoutMs} ms`));
        void s.close();
      }, timeoutMs);
      s.framed.write(encodeInit());
    }).finally(() => clearTimeout(timer));
    if (reply.type !== SSH_FXP.VERSION || reply.version < 3) {
      await s.close();
      throw new SftpStatusError("EPROTO", `ssh ${where}: SFTP server speaks version ${(reply as { version?: number }).version ?? "?"}, not 3`);
    }
    return s;
  }

  get open(): boolean {
    return this.ended === null;
  }

  private onReply(f: SftpReply): void {
    if (f.type === SSH_FXP.VERSION) {
      const v = this.version;
      this.version = null;
      v?.resolve(f);
      return;
    }
    const w = this.waiting.get(f.id);
    if (!w) return; // an answer nobody waits for: ignored
    this.waiting.delete(f.id);
    w.resolve(f);
  }

  private onEnded(how: StreamEnd, where: string): void {
    const why = how.kind === "local" ? "closed" : how.kind === "eof" ? "ended by the server" : `failed: ${how.error.message}`;
    this.ended = new SftpStatusError(how.kind === "local" ? "ECANCELED" : "ECONNRESET", `ssh ${where}: SFTP session ${why}`);
    for (const w of this.waiting.values()) w.reject(this.ended);
    this.waiting.clear();
    this.version?.reject(this.ended);
    this.version = null;
    this.onEnd?.();
  }

  private request(type: number, ...fields: (string | Buffer | number | bigint)[]): Promise<SftpReply> {
    if (this.ended) return Promise.reject(this.ended);
    this.nextId = this.nextId === MAX_ID ? 1 : this.nextId + 1;
    const id = this.nextId;
    this.requests++;
    return new Promise<SftpReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.framed.write(encodeRequest(type, id, ...fields));
    });
  }

  /** The reply as `type`, or its status as an error (EOF as null when `eofOk`). */
  private async expect<T extends SftpReply["type"]>(
    what: string,
    reply: Promise<SftpReply>,
    type: T,
    eofOk = false,
  ): Promise<Extract<SftpReply, { type: T }> | null> {
    const r = await reply;
    if (r.type === type) return r as Extract<SftpReply, { type: T }>;
    if (r.type === SSH_FXP.STATUS) {
      if (eofOk && r.code === SSH_FX_EOF) return null;
      if (r.code !== SSH_FX_OK) throw new SftpStatusError(STATUS_ERRNO[r.code] ?? "EIO", `${what}: ${STATUS_ERRNO[r.code] ?? `status ${r.code}`}`);
    }
    throw new SftpStatusError("EPROTO", `${what}: unexpected SFTP reply ${r.type}`);
  }

  async stat(path: string): Promise<SftpAttrs> {
    return (await this.expect(`stat ${path}`, this.request(SSH_FXP.STAT, path), SSH_FXP.ATTRS))!.attrs;
  }

  async lstat(path: string): Promise<SftpAttrs> {
    return (await this.expect(`lstat ${path}`, this.request(SSH_FXP.LSTAT, path), SSH_FXP.ATTRS))!.attrs;
  }

  async readlink(path: string): Promise<string> {
    const r = (await this.expect(`readlink ${path}`, this.request(SSH_FXP.READLINK, path), SSH_FXP.NAME))!;
    if (r.names.length !== 1) throw new SftpStatusError("EPROTO", `readlink ${path}: ${r.names.length} names`);
    return r.names[0].filename;
  }

  /** A handle for reading (no flags but READ: nothing is created, truncated or written). */
  async openRead(path: string): Promise<Buffer> {
    return (await this.expect(`open ${path}`, this.request(SSH_FXP.OPEN, path, SSH_FXF_READ, 0), SSH_FXP.HANDLE))!.handle;
  }

  /** Up to `len` bytes at `offset`; an empty buffer at EOF. */
  async read(handle: Buffer, offset: number, len: number): Promise<Buffer> {
    const r = await this.expect("read", this.request(SSH_FXP.READ, handle, BigInt(offset), len), SSH_FXP.DATA, true);
    if (r && r.data.length > len) throw new SftpStatusError("EPROTO", `read: ${r.data.length} bytes where ${len} were asked`);
    return r ? r.data : Buffer.alloc(0);
  }

  /** Close a handle; not waited for by callers that are done with it (its answer is ignored). */
  async closeHandle(handle: Buffer): Promise<void> {
    await this.expect("close", this.request(SSH_FXP.CLOSE, handle), SSH_FXP.STATUS);
  }

  /** A directory's entries with their attributes; EFBIG-like refusal once more than `maxEntries` come. */
  async readdir(path: string, maxEntries: number, tooMany: () => Error): Promise<{ filename: string; attrs: SftpAttrs }[]> {
    const handle = (await this.expect(`opendir ${path}`, this.request(SSH_FXP.OPENDIR, path), SSH_FXP.HANDLE))!.handle;
    const out: { filename: string; attrs: SftpAttrs }[] = [];
    try {
      for (;;) {
        const r = await this.expect(`readdir ${path}`, this.request(SSH_FXP.READDIR, handle), SSH_FXP.NAME, true);
        if (!r) return out;
        for (const n of r.names) if (n.filename !== "." && n.filename !== "..") out.push(n);
        if (out.length > maxEntries) throw tooMany();
      }
    } finally {
      this.closeHandle(handle).catch(() => undefined);
    }
  }

  close(): Promise<void> {
    return this.framed.close();
  }
}
