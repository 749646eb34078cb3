/**
 * /proc and the QMP socket directory of a remote host, over the connection's SFTP session —
 * nothing runs on the host but sshd's own sftp server. Bounded like the local procfs
 * (procfs/fs.ts): a file that is not regular is refused before it is opened (stat first, so a
 * FIFO cannot block the server's open), every read stops at the size cap, listings at the entry
 * cap, and every operation has a deadline (withDeadlines).
 */
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
import type { SftpSession } from "./sftp-session";

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFSOCK = 0o140000;
/**
 * Read size. A procfs file is a few KiB (a QEMU's cmdline, status, limits, stat), so the first
 * round trip asks for READ_CHUNK and a second READ_CHUNK past it (it says EOF, as procfs gives
 * no size to stop at).
 */
const READ_CHUNK = 8 * 1024;

function sftpError(op: string, p: string, e: unknown): Error {
  if (e instanceof ProcFsError) return e;
  const raw = e as Error & { code?: unknown };
  const code = typeof raw?.code === "string" ? raw.code : "EIO";
  return Object.assign(new Error(`${op} ${p}: ${code}`), { code });
}

function typeOf(mode: number | null): ProcStat["type"] {
  const t = (mode ?? 0) & S_IFMT;
  return t === S_IFREG ? "file" : t === S_IFDIR ? "directory" : t === S_IFLNK ? "symlink" : "other";
}

function join(root: string, rel: string, op: string): string {
  if (rel === "") return root;
  if (rel.startsWith("/") || rel.split("/").some((p) => p === ".." || p === "")) throw new ProcFsError("EINVAL", op, rel, "not a path under the procfs root");
  return `${root.endsWith("/") ? root.slice(0, -1) : root}/${rel}`;
}

/** A procfs read over SFTP (unbounded in time: sftpProcFs wraps it in deadlines). */
export class SftpProcFs implements ProcFs {
  readonly id: string;

  constructor(
    private readonly conn: SshConnection,
    readonly root: string,
  ) {
    this.id = `ssh:${conn.where}:${root}`;
  }

  private async run<T>(op: string, rel: string, fn: (s: SftpSession, p: string) => Promise<T>): Promise<T> {
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
      const st = await s.stat(p);
      if (typeOf(st.mode) !== "file") throw new ProcFsError("ENOTREG", "read", p, "not a regular file");
      const size = st.size ?? 0;
      if (size > max) throw new ProcFsError("EFBIG", "read", p, `larger than ${max} bytes`);
      const handle = await s.openRead(p);
      try {
        const chunks: Buffer[] = [];
        let got = 0;
        const take = (b: Buffer) => {
          got += b.length;
          if (got > max) throw new ProcFsError("EFBIG", "read", p, `larger than ${max} bytes`);
          chunks.push(b);
        };
        const text = () => (chunks.length === 1 ? chunks[0].toString("utf8") : Buffer.concat(chunks, got).toString("utf8"));
        for (;;) {
          const rest = size - got;
          if (rest > 0 && rest < READ_CHUNK) {
            // A plain file of known size: the rest and a byte more, so that a short answer is its
            // end (a regular file reads short only at EOF).
            const a = await s.read(handle, got, rest + 1);
            take(a);
            if (a.length <= rest) return text();
            continue; // it grew meanwhile: on to EOF
          }
          // Procfs (size 0) or a large file: two chunks per round trip, the second past the
          // first, so that a file smaller than a chunk ends in one round trip (the second says EOF).
          const [a, b] = await Promise.all([s.read(handle, got, READ_CHUNK), s.read(handle, got + READ_CHUNK, READ_CHUNK)]);
          take(a);
          if (a.length === 0 || (a.length === READ_CHUNK && b.length === 0)) return text();
          if (a.length < READ_CHUNK) {
            if (b.length === 0) return text();
            continue; // a short read that is not the end: the second chunk was read past it
          }
          take(b); // a short second chunk: one more round trip says whether that was the end
        }
      } finally {
        s.closeHandle(handle).catch(() => undefined);
      }
    });
  }

  readlink(rel: string): Promise<string> {
    return this.run("readlink", rel, async (s, p) => {
      const target = await s.readlink(p);
      if (Buffer.byteLength(target) > PROCFS_MAX_LINK_BYTES) throw new ProcFsError("EFBIG", "readlink", p, "target too long");
      return target;
    });
  }

  readdir(rel: string, opts: { maxEntries?: number } = {}): Promise<string[]> {
    const max = opts.maxEntries ?? PROCFS_MAX_ENTRIES;
    return this.run("readdir", rel, async (s, p) => {
      const list = await s.readdir(p, max, () => new ProcFsError("EFBIG", "readdir", p, `more than ${max} entries`));
      return list.map((e) => e.filename);
    });
  }

  stat(rel: string): Promise<ProcStat> {
    return this.run("stat", rel, async (s, p) => {
      const st = await s.lstat(p);
      return { type: typeOf(st.mode), size: st.size ?? 0 };
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
    let list: { filename: string; attrs: { mode: number | null } }[];
    try {
      list = await s.readdir(dir, PROCFS_MAX_ENTRIES, () => new ProcFsError("EFBIG", "readdir", dir, `more than ${PROCFS_MAX_ENTRIES} entries`));
    } catch (e) {
      throw sftpError("readdir", dir, e);
    }
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
