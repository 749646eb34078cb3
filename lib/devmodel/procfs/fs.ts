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
  /**
   * Optional: `readFile` done now, where this file system cannot block on it (this machine's
   * procfs, tmpfs); `undefined` where it could (the caller then uses `readFile`). Throws what
   * `readFile` would reject with. A snapshot of 1000 guests reads ~5 files per device model: a
   * promise and a deadline each showed in the profile.
   */
  readFileNow?(rel: string, opts?: { maxBytes?: number }): string | undefined;
  /** Optional: `readlink` done now, as `readFileNow`. */
  readlinkNow?(rel: string): string | undefined;
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

/** An absolute path, a ".." component, an empty component ("a//b", a trailing "/"). */
const LEAVES_ROOT = /^\/|\/\/|\/$|(?:^|\/)\.\.(?:\/|$)/;

/**
 * `rel` joined under `root`, refusing absolute paths and "..". `prefix` is `rootPrefix(root)`
 * (a snapshot joins ~6 paths per process: no `path.join` each time).
 */
function under(root: string, prefix: string, rel: string, op: string): string {
  if (rel === "") return root;
  if (LEAVES_ROOT.test(rel)) throw new ProcFsError("EINVAL", op, rel, "not a path under the procfs root");
  return prefix + rel;
}

/** `root` normalised, ending in "/": what `path.join(root, rel)` puts before a plain `rel`. */
function rootPrefix(root: string): string {
  const n = path.normalize(root);
  return n.endsWith("/") ? n : `${n}/`;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY;

/**
 * File systems whose reads cannot hang (their files are generated in memory): procfs, tmpfs,
 * ramfs (statfs f_type). Under such a root, reads are done synchronously; anywhere else (a
 * disk, NFS, FUSE) they go through libuv's thread pool, where the deadline can free the caller.
 */
const MEMORY_FS_TYPES = new Set([0x9fa0, 0x01021994, 0x858458f6]);
/**
 * Files the kernel generates by reading the target process's memory under its mmap lock: a
 * stuck process can stall the read for a long time (the classic hanging `ps`), so never sync.
 */
const TARGET_MEMORY_FILES = new Set(["cmdline", "environ"]);
/** Root (absolute) → whether it is on a memory file system; probed once per root. */
const memoryRoots = new Map<string, boolean>();
const probing = new Set<string>();
/** Scratch buffer of synchronous reads (one at a time by definition); grows up to the cap. */
let scratch = Buffer.allocUnsafe(16 * 1024);

/**
 * This machine's procfs (or a directory laid out like one, such as the simulator's).
 *
 * Speed: a snapshot of 1000 guests reads ~5 files per device model. On procfs those files
 * (status, limits, the root and ns links) answer in microseconds and a libuv round trip costs
 * more than the read, so they are read synchronously — opened non-blocking and checked with
 * fstat first, so a FIFO or device is still refused without blocking (`readFileNow` and
 * `readlinkNow` offer that to callers without a promise). A cmdline's reads go through libuv
 * (its open, fstat and close are synchronous there too); everything on a file system that may
 * block is read asynchronously through callback fs calls (cheaper per call than fs/promises'
 * FileHandle).
 */
export class LocalProcFs implements ProcFs {
  readonly id: string;
  private readonly abs: string;
  private inMemory: boolean;
  private readonly prefix: string;

  constructor(readonly root: string) {
    this.abs = path.resolve(root);
    this.prefix = rootPrefix(root);
    this.id = `local:${this.abs}`;
    const known = memoryRoots.get(this.abs);
    this.inMemory = known ?? false;
    if (known === undefined && !probing.has(this.abs)) {
      // Asynchronous: statfs of a hung mount must not block either. Until it answers, async reads.
      probing.add(this.abs);
      fs.statfs(this.abs, (e, st) => {
        probing.delete(this.abs);
        const v = !e && MEMORY_FS_TYPES.has(st.type);
        if (memoryRoots.size > 256) memoryRoots.clear();
        memoryRoots.set(this.abs, v);
        this.inMemory = v;
      });
    }
  }

  /** Whether reads other than cmdline are done synchronously (the root is on procfs, tmpfs or ramfs). */
  get readsSynchronously(): boolean {
    return this.inMemory;
  }

  readFileNow(rel: string, opts: { maxBytes?: number } = {}): string | undefined {
    if (!this.inMemory || TARGET_MEMORY_FILES.has(path.basename(rel))) return undefined;
    return readRegularFileSync(under(this.root, this.prefix, rel, "read"), opts.maxBytes ?? PROCFS_MAX_FILE_BYTES);
  }

  readlinkNow(rel: string): string | undefined {
    if (!this.inMemory) return undefined;
    const file = under(this.root, this.prefix, rel, "readlink");
    const target = fs.readlinkSync(file);
    if (Buffer.byteLength(target) > PROCFS_MAX_LINK_BYTES) throw new ProcFsError("EFBIG", "readlink", file, "target too long");
    return target;
  }

  readFile(rel: string, opts: { maxBytes?: number } = {}): Promise<string> {
    const max = opts.maxBytes ?? PROCFS_MAX_FILE_BYTES;
    let file: string;
    try {
      const now = this.readFileNow(rel, opts);
      if (now !== undefined) return Promise.resolve(now);
      file = under(this.root, this.prefix, rel, "read");
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.inMemory) {
      // cmdline on procfs: only the reads take the target's mmap lock (get_mm_cmdline →
      // access_remote_vm); open, fstat and close do not, so they are done here and only the
      // reads go to libuv's threads (5 thread-pool round trips per file → 2).
      let fd: number;
      let size: number;
      try {
        fd = fs.openSync(file, OPEN_FLAGS);
      } catch (e) {
        return Promise.reject(e);
      }
      try {
        const st = fs.fstatSync(fd);
        if (!st.isFile()) throw new ProcFsError("ENOTREG", "read", file, "not a regular file");
        size = st.size;
      } catch (e) {
        fs.closeSync(fd);
        return Promise.reject(e);
      }
      return new Promise((resolve, reject) =>
        readRest(fd, size, file, max, (err, text) => {
          fs.closeSync(fd);
          if (err) reject(err);
          else resolve(text!);
        }),
      );
    }
    return new Promise((resolve, reject) => {
      fs.open(file, OPEN_FLAGS, (e, fd) => {
        if (e) return reject(e);
        const done = (err: Error | null, text?: string) => fs.close(fd, () => (err ? reject(err) : resolve(text!)));
        fs.fstat(fd, (e2, st) => {
          if (e2) return done(e2);
          if (!st.isFile()) return done(new ProcFsError("ENOTREG", "read", file, "not a regular file"));
          readRest(fd, st.size, file, max, done);
        });
      });
    });
  }

  readlink(rel: string): Promise<string> {
    try {
      const now = this.readlinkNow(rel);
      if (now !== undefined) return Promise.resolve(now);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const file = under(this.root, this.prefix, rel, "readlink");
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
      const dir = under(this.root, this.prefix, rel, "readdir");
      fs.readdir(dir, (e, names) => {
        if (e) return reject(e);
        if (names.length > max) return reject(new ProcFsError("EFBIG", "readdir", dir, `more than ${max} entries`));
        resolve(names);
      });
    });
  }

  stat(rel: string): Promise<ProcStat> {
    return new Promise((resolve, reject) => {
      fs.lstat(under(this.root, this.prefix, rel, "stat"), (e, st) => {
        if (e) return reject(e);
        const type = st.isFile() ? "file" : st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "other";
        resolve({ type, size: st.size });
      });
    });
  }
}

/**
 * The reads of an open regular file of `size` bytes (0 on procfs: read until a read returns
 * nothing), through libuv, at most `max` bytes; `done` gets the text or the error. Closing the
 * fd is the caller's.
 */
function readRest(fd: number, size: number, file: string, max: number, done: (err: Error | null, text?: string) => void): void {
  // procfs reports size 0 (a QEMU's cmdline is a few KiB: start there and grow); a plain
  // file's size is all that needs room.
  let buf = Buffer.allocUnsafe(Math.min(max + 1, size > 0 ? size : 4096));
  let got = 0;
  const next = (): void => {
    if (got === buf.length) {
      if (buf.length > max) return done(new ProcFsError("EFBIG", "read", file, `larger than ${max} bytes`));
      const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, got);
      buf = bigger;
    }
    fs.read(fd, buf, got, buf.length - got, null, (e, n) => {
      if (e) return done(e);
      got += n;
      if (got > max) return done(new ProcFsError("EFBIG", "read", file, `larger than ${max} bytes`));
      // A plain file of known size is whole once that much is read (as fs.readFile does);
      // procfs says 0 and is read until a read returns nothing.
      if (n === 0 || (size > 0 && got === size)) return done(null, buf.toString("utf8", 0, got));
      next();
    });
  };
  next();
}

/** The synchronous read of LocalProcFs: the same refusals and cap as the asynchronous one. */
function readRegularFileSync(file: string, max: number): string {
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new ProcFsError("ENOTREG", "read", file, "not a regular file");
    let got = 0;
    for (;;) {
      if (got === scratch.length) {
        if (scratch.length > max) throw new ProcFsError("EFBIG", "read", file, `larger than ${max} bytes`);
        const bigger = Buffer.allocUnsafe(Math.min(Math.max(max + 1, scratch.length), scratch.length * 2));
        scratch.copy(bigger, 0, 0, got);
        scratch = bigger;
      }
      const n = fs.readSync(fd, scratch, got, Math.min(scratch.length, max + 1) - got, null);
      if (n === 0) break;
      got += n;
      if (got > max) throw new ProcFsError("EFBIG", "read", file, `larger than ${max} bytes`);
      // A plain file of known size is whole once that much is read (no read for EOF, as the
      // asynchronous path); procfs says 0 and is read until a read returns nothing.
      if (st.size > 0 && got === st.size) break;
    }
    return scratch.toString("utf8", 0, got);
  } finally {
    fs.closeSync(fd);
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
  const waiting = new PendingRequests<number, { op: string; path: string }>((c, ms) => new ProcFsError("ETIMEDOUT", c.op, c.path, `no answer within ${ms} ms`));
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
    // What is done now has finished: no deadline to keep.
    ...(inner.readFileNow && { readFileNow: inner.readFileNow.bind(inner) }),
    ...(inner.readlinkNow && { readlinkNow: inner.readlinkNow.bind(inner) }),
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
