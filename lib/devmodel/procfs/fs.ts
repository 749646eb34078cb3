/**
 * The file-system seam below procfs inspection. Inspection reads a handful of files, links and
 * directories under a procfs root and never anything else, so that is all this interface offers;
 * locally it is the node:fs calls below, over SSH it will be SFTP — the inspection code does not
 * change.
 *
 * Every operation is bounded (issue 10, item 9): a configured root is a path an admin typed, and
 * whatever sits there — a FIFO, a device, a multi-gigabyte file, a hung network mount — must not
 * block the server. So readFile refuses anything but a regular file (opened non-blocking, so a
 * FIFO cannot block the open either), every read stops at a size cap, and every operation has a
 * deadline (`withDeadlines`).
 *
 * Paths are relative to the root ("1234/status", "" for the root itself) and may not climb out
 * of it.
 */
import fs from "node:fs";
import path from "node:path";
import { PendingRequests } from "@/lib/devmodel/protocol/requests";
import { PROCFS_TIMEOUT_MS, checkTimeout } from "@/lib/devmodel/timeouts";

/** Largest file read (a QEMU's cmdline is a few KiB; status and limits under 2 KiB). */
export const PROCFS_MAX_FILE_BYTES = 256 * 1024;
/** Most names listed from one directory (a dom0 runs thousands of processes, not 100 000). */
export const PROCFS_MAX_ENTRIES = 100_000;
/** Longest link target (PATH_MAX). */
export const PROCFS_MAX_LINK_BYTES = 4096;

export interface ProcStat {
  type: "file" | "directory" | "symlink" | "other";
  size: number;
}

export interface ProcFs {
  /** Which file system this is, for caches: two hosts' /proc must not share an entry. */
  readonly id: string;
  /** The root as shown to users and in a snapshot's `source`. */
  readonly root: string;
  /** A regular file as UTF-8; EFBIG past `maxBytes`, ENOTREG for anything that is not a regular file. */
  readFile(rel: string, opts?: { maxBytes?: number }): Promise<string>;
  readlink(rel: string): Promise<string>;
  /** Names in a directory; EFBIG past `maxEntries`. */
  readdir(rel: string, opts?: { maxEntries?: number }): Promise<string[]>;
  /** What `rel` is (without following a final symlink). */
  stat(rel: string): Promise<ProcStat>;
}

/**
 * A refusal or a bound of the procfs layer. `code` reads like an errno so inspection reports it
 * the same way ("status: ENOTREG"): ENOTREG (not a regular file), EFBIG (over the size cap),
 * ETIMEDOUT (past the deadline), EINVAL (a path that leaves the root).
 */
export class ProcFsError extends Error {
  override readonly name = "ProcFsError";
  constructor(
    readonly code: "ENOTREG" | "EFBIG" | "ETIMEDOUT" | "EINVAL",
    readonly op: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${op} ${path}: ${detail}`);
  }
}

/** `rel` joined under `root`, refusing absolute paths and "..". */
function under(root: string, rel: string, op: string): string {
  if (rel === "") return root;
  if (rel.startsWith("/") || rel.split("/").some((p) => p === ".." || p === "")) {
    throw new ProcFsError("EINVAL", op, rel, "not a path under the procfs root");
  }
  return path.join(root, rel);
}

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;

/**
 * This machine's procfs (or a directory laid out like one, such as the simulator's). Callback
 * fs calls rather than fs/promises: a snapshot makes thousands of them and the FileHandle API
 * costs noticeably more per call.
 */
export class LocalProcFs implements ProcFs {
  readonly id: string;
  constructor(readonly root: string) {
    this.id = `local:${path.resolve(root)}`;
  }

  readFile(rel: string, opts: { maxBytes?: number } = {}): Promise<string> {
    const max = opts.maxBytes ?? PROCFS_MAX_FILE_BYTES;
    return new Promise((resolve, reject) => {
      const file = under(this.root, rel, "read");
      fs.open(file, OPEN_FLAGS, (e, fd) => {
        if (e) return reject(e);
        const done = (err: Error | null, text?: string) => fs.close(fd, () => (err ? reject(err) : resolve(text!)));
        fs.fstat(fd, (e2, st) => {
          if (e2) return done(e2);
          if (!st.isFile()) return done(new ProcFsError("ENOTREG", "read", file, "not a regular file"));
          // procfs reports size 0; a plain file's size saves a read when it is right.
          let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(st.size + 1, 8192)));
          let got = 0;
          const next = (): void => {
            if (got === buf.length) {
              if (buf.length > max) return done(new ProcFsError("EFBIG", "read", file, `larger than ${max} bytes`));
              const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
              buf.copy(bigger, 0, 0, got);
              buf = bigger;
            }
            fs.read(fd, buf, got, buf.length - got, null, (e3, n) => {
              if (e3) return done(e3);
              if (n === 0) return done(null, buf.toString("utf8", 0, got));
              got += n;
              next();
            });
          };
          next();
        });
      });
    });
  }

  readlink(rel: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const file = under(this.root, rel, "readlink");
      fs.readlink(file, (e, target) => {
        if (e) return reject(e);
        if (Buffer.byteLength(target) > PROCFS_MAX_LINK_BYTES) return reject(new ProcFsError("EFBIG", "readlink", file, "target too long"));
        resolve(target);
      });
    });
  }

  readdir(rel: string, opts: { maxEntries?: number } = {}): Promise<string[]> {
    const max = opts.maxEntries ?? PROCFS_MAX_ENTRIES;
    return new Promise((resolve, reject) => {
      const dir = under(this.root, rel, "readdir");
      fs.readdir(dir, (e, names) => {
        if (e) return reject(e);
        if (names.length > max) return reject(new ProcFsError("EFBIG", "readdir", dir, `more than ${max} entries`));
        resolve(names);
      });
    });
  }

  stat(rel: string): Promise<ProcStat> {
    return new Promise((resolve, reject) => {
      fs.lstat(under(this.root, rel, "stat"), (e, st) => {
        if (e) return reject(e);
        const type = st.isFile() ? "file" : st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "other";
        resolve({ type, size: st.size });
      });
    });
  }
}

/**
 * `inner` with a deadline on every operation: past `timeoutMs` the call rejects with ETIMEDOUT
 * and its late result is dropped. (A local read stuck in the kernel — a hung NFS mount, a
 * cmdline read waiting on a wedged process's memory — keeps its libuv thread until the kernel
 * lets go; the deadline frees the caller, not the thread.)
 */
export function withDeadlines(inner: ProcFs, timeoutMs: number = PROCFS_TIMEOUT_MS): ProcFs {
  checkTimeout(timeoutMs, "procfs timeoutMs");
  const waiting = new PendingRequests<number, { op: string; path: string }>(
    (c, ms) => new ProcFsError("ETIMEDOUT", c.op, c.path, `no answer within ${ms} ms`),
  );
  let seq = 0;
  const bounded = <T>(op: string, rel: string, run: () => Promise<T>): Promise<T> => {
    const key = ++seq;
    const result = waiting.add<T>(key, { op, path: rel === "" ? inner.root : `${inner.root}/${rel}` }, timeoutMs);
    let started: Promise<T>;
    try {
      started = run();
    } catch (e) {
      started = Promise.reject(e);
    }
    started.then(
      (v) => waiting.resolve(key, v),
      (e: unknown) => waiting.reject(key, e instanceof Error ? e : new Error(String(e))),
    );
    return result;
  };
  return {
    id: inner.id,
    root: inner.root,
    readFile: (rel, opts) => bounded("read", rel, () => inner.readFile(rel, opts)),
    readlink: (rel) => bounded("readlink", rel, () => inner.readlink(rel)),
    readdir: (rel, opts) => bounded("readdir", rel, () => inner.readdir(rel, opts)),
    stat: (rel) => bounded("stat", rel, () => inner.stat(rel)),
  };
}

/** The local procfs at `root`, every operation bounded. */
export function localProcFs(root: string, timeoutMs: number = PROCFS_TIMEOUT_MS): ProcFs {
  return withDeadlines(new LocalProcFs(root), timeoutMs);
}

/** Accept a ProcFs or, as a convenience for local use, a root path. */
export function toProcFs(fsOrRoot: ProcFs | string): ProcFs {
  return typeof fsOrRoot === "string" ? localProcFs(fsOrRoot) : fsOrRoot;
}
