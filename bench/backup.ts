/**
 * Backup and move benchmark (issue 15): the meetings benchmark's database (10,000 meetings,
 * 100,000 action items) on SQLite, then the time and size of a backup, of `db:copy` into
 * PostgreSQL (verification included), of a restore of the backup into PostgreSQL, and of
 * the copy back to a SQLite file.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { backupDatabase, copyDatabase, restoreBackup } from "@/lib/backup/commands";
import { emptyTestDb, setupTestDb } from "../tests/db/harness";
import { generateMeetingsData } from "./meetings-data";
import type { Row } from "./run";

const ROOT = path.resolve(import.meta.dirname, "..");
const r1 = (x: number) => Math.round(x * 10) / 10;
const mib = (bytes: number) => r1(bytes / 2 ** 20);

async function pgSize(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>("SELECT pg_database_size(current_database()) AS n");
    return Number(rows[0].n);
  } finally {
    await c.end();
  }
}

const sqliteSize = (file: string) => [file, `${file}-wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
}

export async function benchBackup(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const meetings = opts.quick ? 1000 : 10_000;
  const items = opts.quick ? 10_000 : 100_000;
  const rows: Row[] = [];
  process.env.DMBOARD_TEST_PROVIDER = "sqlite";
  const src = await setupTestDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-bench-backup-"));
  const targets: { cleanup: () => Promise<void> }[] = [];
  try {
    await generateMeetingsData(src.db, { meetings, items });
    await src.db.$disconnect();
    const data = `${meetings} meetings, ${items} items`;
    rows.push({ name: "backup.sqlite.size", value: mib(sqliteSize(src.config.url)), unit: "MiB", note: `the SQLite database: ${data}` });

    const file = path.join(dir, "bench.jsonl.gz");
    const [summary, backupS] = await timed(() => backupDatabase(src.config, file));
    rows.push({ name: "backup.sqlite.time", value: r1(backupS), unit: "s", note: `npm run backup: ${summary!.rows} rows` });
    rows.push({ name: "backup.file.size", value: mib(summary!.bytes), unit: "MiB", note: "gzipped portable backup" });

    const pgCopy = await emptyTestDb("postgresql");
    targets.push(pgCopy);
    const [copy, copyS] = await timed(() => copyDatabase(src.config, pgCopy.config, { root: ROOT }));
    rows.push({
      name: "copy.sqlite→postgresql.time",
      value: r1(copyS),
      unit: "s",
      note: `npm run db:copy: ${copy.rows} rows, one transaction, read back and verified`,
    });
    rows.push({ name: "copy.sqlite→postgresql.rate", value: Math.round(copy.rows / copyS), unit: "rows/s" });
    rows.push({
      name: "copy.postgresql.size",
      value: mib(await pgSize(pgCopy.config.url)),
      unit: "MiB",
      note: "pg_database_size of the copy (tables, indexes, tsvectors)",
    });

    const pgRestore = await emptyTestDb("postgresql");
    targets.push(pgRestore);
    const [, restoreS] = await timed(() => restoreBackup(file, pgRestore.config, { root: ROOT }));
    rows.push({ name: "restore.file→postgresql.time", value: r1(restoreS), unit: "s", note: "npm run restore of the SQLite backup into PostgreSQL, verified" });

    const back = await emptyTestDb("sqlite");
    targets.push(back);
    const [, backS] = await timed(() => copyDatabase(pgCopy.config, back.config, { root: ROOT }));
    rows.push({ name: "copy.postgresql→sqlite.time", value: r1(backS), unit: "s", note: "npm run db:copy the other way (search index rebuilt by triggers)" });
  } finally {
    for (const t of targets) await t.cleanup().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    await src.cleanup();
    delete process.env.DMBOARD_TEST_PROVIDER;
  }
  return rows;
}
