/**
 * The three operations behind `npm run backup`, `npm run restore` and `npm run db:copy`
 * (and the scheduled backups): each opens its connections, runs, and closes them.
 */
import fs from "node:fs";
import type { DbConfig } from "@/lib/db/config";
import { openConn } from "./conn";
import { BackupError } from "./errors";
import { openBackup, writeBackup, type BackupHeader, type BackupSummary } from "./format";
import { load, type LoadedTable, type LoadReport } from "./load";
import { snapshotSource } from "./source";

export interface BackupOptions {
  /** Skip (resolve null) when another run holds the backup lock (scheduled backups). */
  exclusive?: boolean;
  now?: Date;
}

/** A consistent backup of the database at `config` into `file` (which must not exist). */
export async function backupDatabase(config: DbConfig, file: string, opts: BackupOptions = {}): Promise<BackupSummary | null> {
  const conn = await openConn(config);
  try {
    const release = opts.exclusive ? await conn.tryExclusive() : async () => {};
    if (!release) return null;
    try {
      const source = await snapshotSource(conn);
      try {
        return await writeBackup(source, file, opts.now);
      } finally {
        await conn.rollback(); // ends the read-only transaction
      }
    } finally {
      await release();
    }
  } finally {
    await conn.close();
  }
}

export interface LoadOptions {
  /** The checkout's root: where prisma/migrations is. */
  root: string;
  onTable?: (t: LoadedTable) => void;
}

/** A SQLite target that did not exist before a failed load is removed again, not left empty. */
async function withTarget<T>(config: DbConfig, fn: (target: Awaited<ReturnType<typeof openConn>>) => Promise<T>): Promise<T> {
  const created = config.provider === "sqlite" && !fs.existsSync(config.url);
  const target = await openConn(config, { create: true });
  try {
    return await fn(target);
  } catch (err) {
    await target.close();
    if (created) for (const f of [config.url, `${config.url}-wal`, `${config.url}-shm`]) fs.rmSync(f, { force: true });
    throw err;
  } finally {
    await target.close();
  }
}

/** Loads the backup `file` into the empty database at `config`. */
export async function restoreBackup(file: string, config: DbConfig, opts: LoadOptions): Promise<LoadReport & { header: BackupHeader }> {
  const backup = await openBackup(file);
  try {
    const report = await withTarget(config, (target) => load(target, backup, opts));
    return { ...report, header: backup.header };
  } finally {
    await backup.close();
  }
}

/** Copies the database at `from` (as of one moment) into the empty database at `to`, then verifies it. */
export async function copyDatabase(from: DbConfig, to: DbConfig, opts: LoadOptions): Promise<LoadReport> {
  if (from.provider === to.provider && from.url === to.url) throw new BackupError("SAME_DATABASE", `source and target are the same database (${to.display})`);
  const source = await openConn(from);
  try {
    const snapshot = await snapshotSource(source);
    return await withTarget(to, (target) => load(target, snapshot, opts));
  } finally {
    await source.close();
  }
}
