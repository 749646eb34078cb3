/**
 * /proc and the QMP socket directory of a remote host, over the connection's SFTP session —
 * nothing runs on the host but sshd's own sftp server. Bounded like the local procfs
 * (procfs/fs.ts): a file that is not regular is refused before it is opened (stat first, so a
 * FIFO cannot block the server's open), every read stops at the size cap, listings at the entry
 * cap, and every operation has a deadline (withDeadlines).
 */
import type { SFTPWrapper, Stats } from "ssh2";
import { withDeadline } from "@/lib/devmodel/protocol/deadline";
import {
  PROCFS_MAX_ENTRIES,
  PROCFS_MAX_FILE_BYTES,
  PROCFS_MAX_LINK_BYTES,
  ProcFsError,
  withDeadlines,
  type ProcFs,
  type ProcStat,
} from "@/lib/devmodel/procfs/fs";
import { pickQmpSockets, type QmpSocketEntry } from "@/lib/devmodel/qmp/socket-names";
import { PROCFS_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import type { SshConnection } from "./connection";

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFSOCK = 0o140000;
/**
 * Read buffers. A procfs file is a few KiB (a QEMU's cmdline, status, limits, stat), so the
 * first read asks for READ_CHUNK and a second READ_CHUNK past it in the same round trip (it
 * says EOF, as procfs gives no size to stop at). The buffer of a read is reused by the next
 * one: allocating a fresh one per file was, with its garbage, a fifth of the reader's time in
 * a full round of 50 hosts (docs/perf-notes.md, "SSH round").
 */
const READ_CHUNK = 8 * 1024;
const SPARE_BUFFERS_MAX = 64;
const spareBuffers: Buffer[] = [];
const takeBuffer = (): Buffer => spareBuffers.pop() ?? Buffer.allocUnsafe(2 * READ_CHUNK);
const giveBuffer = (b: Buffer): void => {
  if (b.length === 2 * READ_CHUNK && spareBuffers.length < SPARE_BUFFERS_MAX) spareBuffers.push(b);
};

/** SFTP status codes (draft-ietf-secsh-filexfer-02) as the errnos the rest of devmodel reports. */
const STATUS_ERRNO: Record<number, string> = { 2: "ENOENT", 3: "EACCES", 4: "EIO", 5: "EPROTO", 6: "ECONNRESET", 7: "ECONNRESET", 8: "EOPNOTSUPP" };

function sftpError(op: string, p: string, e: unknown): Error {
  if (e instanceof ProcFsError) return e;
  const raw = e as Error & { code?: unknown };
  const code = typeof raw?.code === "number" ? (STATUS_ERRNO[raw.code] ?? "EIO") : typeof raw?.code === "string" ? raw.code : "EIO";
  return Object.assign(new Error(`${op} ${p}: ${code}`), { code });
}

function typeOf(mode: number | undefined): ProcStat["type"] {
  const t = (mode ?? 0) & S_IFMT;
  return t === S_IFREG ? "file" : t === S_IFDIR ? "directory" : t === S_IFLNK ? "symlink" : "other";
}

function join(root: string, rel: string, op: string): string {
  if (rel === "") return root;
  if (rel.startsWith("/") || rel.split("/").some((p) => p === ".." || p === "")) throw new ProcFsError("EINVAL", op, rel, "not a path under the procfs root");
  return `${root.endsWith("/") ? root.slice(0, -1) : root}/${rel}`;
}

/**
 * The byte counts of reads (EOF counts as 0) once every one has answered, even when one has
 * failed: their buffer may be reused only then.
 */
async function settled(reads: Promise<number>[]): Promise<number[]> {
  const out = await Promise.allSettled(reads);
  const failed = out.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return out.map((r) => (r as PromiseFulfilledResult<number>).value);
}

const call = <T>(fn: (cb: (err: Error | null | undefined, v: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

/** A procfs read over SFTP (unbounded in time: sftpProcFs wraps it in deadlines). */
export class SftpProcFs implements ProcFs {
  readonly id: string;

  constructor(
    private readonly conn: SshConnection,
    readonly root: string,
  ) {
    this.id = `ssh:${conn.where}:${root}`;
  }

  private async run<T>(op: string, rel: string, fn: (s: SFTPWrapper, p: string) => Promise<T>): Promise<T> {
    const p = join(this.root, rel, op);
    const s = await this.conn.sftp();
    try {
      return await fn(s, p);
    } catch (e) {
      throw sftpError(op, p, e);
    }
  }

  /**
   * stat (a FIFO must not reach sftp-server's blocking open), open, read, close: four requests
   * for a plain file (its size says when it is whole), five for a procfs one (size 0: read on
   * to EOF, which the second read of the first round trip says).
   */
  readFile(rel: string, opts: { maxBytes?: number } = {}): Promise<string> {
    const max = opts.maxBytes ?? PROCFS_MAX_FILE_BYTES;
    return this.run("read", rel, async (s, p) => {
      const st = await call<Stats>((cb) => s.stat(p, cb));
      if (typeOf(st.mode) !== "file") throw new ProcFsError("ENOTREG", "read", p, "not a regular file");
      if (st.size > max) throw new ProcFsError("EFBIG", "read", p, `larger than ${max} bytes`);
      const handle = await call<Buffer>((cb) => s.open(p, "r", cb));
      const buf = takeBuffer();
      const readAt = (off: number, len: number, pos: number): Promise<number> =>
        call<number>((cb) => s.read(handle, buf, off, len, pos, (err, bytes) => cb(err, bytes)));
      try {
        // Bytes read so far, copied out of `buf` (which is read into again) — none for a file
        // that came whole in the first round trip, as procfs files do.
        const chunks: Buffer[] = [];
        let got = 0;
        const take = (from: number, n: number) => {
          got += n;
          if (got > max) throw new ProcFsError("EFBIG", "read", p, `larger than ${max} bytes`);
          chunks.push(Buffer.from(buf.subarray(from, from + n)));
        };
        const text = (lastFrom: number, lastN: number): string => {
          if (chunks.length === 0) {
            if (lastN > max) throw new ProcFsError("EFBIG", "read", p, `larger than ${max} bytes`);
            return buf.toString("utf8", lastFrom, lastFrom + lastN);
          }
          take(lastFrom, lastN);
          return Buffer.concat(chunks, got).toString("utf8");
        };
        for (;;) {
          const rest = st.size - got;
          if (rest > 0 && rest < READ_CHUNK) {
            // A plain file of known size: the rest and a byte more, so that a short answer is its
            // end (a regular file reads short only at EOF).
            const [a] = await settled([readAt(0, rest + 1, got)]);
            if (a <= rest) return text(0, a);
            take(0, a); // it grew meanwhile: on to EOF
            continue;
          }
          // Procfs (size 0) or a large file: two chunks per round trip, the second past the
          // first, so that a file smaller than a chunk ends in one round trip (the second says EOF).
          const [a, b] = await settled([readAt(0, READ_CHUNK, got), readAt(READ_CHUNK, READ_CHUNK, got + READ_CHUNK)]);
          if (a === 0) return text(0, 0);
          if (a < READ_CHUNK) {
            if (b === 0) return text(0, a);
            take(0, a); // a short read that is not the end: the second chunk was read past it
            continue;
          }
          if (b === 0) return text(0, a);
          take(0, a);
          take(READ_CHUNK, b); // a short second chunk: one more round trip says whether that was the end
        }
      } finally {
        s.close(handle, () => undefined);
        giveBuffer(buf);
      }
    });
  }

  readlink(rel: string): Promise<string> {
    return this.run("readlink", rel, async (s, p) => {
      const target = await call<string>((cb) => s.readlink(p, cb));
      if (Buffer.byteLength(target) > PROCFS_MAX_LINK_BYTES) throw new ProcFsError("EFBIG", "readlink", p, "target too long");
      return target;
    });
  }

  readdir(rel: string, opts: { maxEntries?: number } = {}): Promise<string[]> {
    const max = opts.maxEntries ?? PROCFS_MAX_ENTRIES;
    return this.run("readdir", rel, async (s, p) => {
      const list = await call<{ filename: string }[]>((cb) => s.readdir(p, cb));
      if (list.length > max) throw new ProcFsError("EFBIG", "readdir", p, `more than ${max} entries`);
      return list.map((e) => e.filename);
    });
  }

  stat(rel: string): Promise<ProcStat> {
    return this.run("stat", rel, async (s, p) => {
      const st = await call<Stats>((cb) => s.lstat(p, cb));
      return { type: typeOf(st.mode), size: st.size };
    });
  }
}

/** The host's procfs at `root` over SFTP, every operation bounded. */
export function sftpProcFs(conn: SshConnection, root: string, timeoutMs: number = PROCFS_TIMEOUT_MS): ProcFs {
  return withDeadlines(new SftpProcFs(conn, root), timeoutMs);
}

/**
 * The QMP sockets in a remote directory: one SFTP readdir, the same name rules as locally
 * (socket-names.ts); sockets, symlinks and other non-file non-directory entries count.
 * Errors carry ENOENT/EACCES like a local readdir; bounded like a procfs read.
 */
export function listSftpQmpSockets(conn: SshConnection, dir: string, timeoutMs: number = PROCFS_TIMEOUT_MS): Promise<Map<number, QmpSocketEntry>> {
  const work = (async () => {
    const s = await conn.sftp();
    let list: { filename: string; attrs: { mode?: number } }[];
    try {
      list = await call((cb) => s.readdir(dir, cb));
    } catch (e) {
      throw sftpError("readdir", dir, e);
    }
    if (list.length > PROCFS_MAX_ENTRIES) throw new ProcFsError("EFBIG", "readdir", dir, `more than ${PROCFS_MAX_ENTRIES} entries`);
    const names = list
      .filter((e) => {
        const t = (e.attrs.mode ?? 0) & S_IFMT;
        return t === S_IFSOCK || t === S_IFLNK || (t !== S_IFREG && t !== S_IFDIR);
      })
      .map((e) => e.filename);
    return pickQmpSockets(dir, names);
  })();
  return withDeadline(work, timeoutMs, () =>
    Object.assign(new Error(`listing ${conn.where}:${dir} did not finish within ${timeoutMs} ms`), { code: "ETIMEDOUT" }),
  );
}
