/**
 * The SQLite side of backup, restore and copy, on a better-sqlite3 connection of its own.
 *
 * A consistent backup while the server writes: one read transaction in WAL mode (the
 * database is always in WAL: lib/db/migrate.ts sets it). The transaction sees the file as
 * of its first read, writers go on appending to the WAL meanwhile, and nothing waits.
 * Chosen over SQLite's online backup API because that API restarts its copy whenever
 * another connection writes (under a steady writer it may never finish), and because it
 * yields a SQLite file, while a backup here is the portable format PostgreSQL reads too.
 *
 * better-sqlite3 is synchronous: rows are read and written in batches with a turn of the
 * event loop between them, so a scheduled backup inside the server never holds it long.
 */
import fs from "node:fs";
import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import lockfile from "proper-lockfile";
import { ensureSqliteDir, type DbConfig } from "@/lib/db/config";
import { applySqliteMigration, MIGRATIONS_TABLE, sqliteAppliedMigrations, type Migration } from "@/lib/db/migrate";
import { log } from "@/lib/log";
import { byName, ident, isDataTable, orderByDependencies, where, type Column, type Table } from "./catalog";
import type { Conn, OpenOptions } from "./conn";
import { toPortable, toSqliteParam, ValueError, type ColumnType, type Value } from "./values";

/** Declared types as Prisma's SQLite migrations write them → portable column types. */
const TYPES: Record<string, ColumnType> = {
  TEXT: "text",
  INTEGER: "int",
  BIGINT: "bigint",
  REAL: "float",
  DOUBLE: "float",
  BOOLEAN: "bool",
  DATETIME: "datetime",
};

export class SqliteConn implements Conn {
  readonly provider = "sqlite" as const;
  private inserts = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    readonly display: string,
    private readonly file: string,
  ) {}

  static async open(config: DbConfig, opts: OpenOptions = {}): Promise<SqliteConn> {
    if (opts.create) ensureSqliteDir(config);
    else if (!fs.existsSync(config.url)) throw new Error(`no database at ${config.display}`);
    const db = new Database(config.url, { fileMustExist: !opts.create });
    try {
      db.pragma("busy_timeout = 5000");
      db.pragma("foreign_keys = ON");
      // A read transaction must never block the server's writers: WAL (persistent once set).
      if (String(db.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") db.pragma("journal_mode = WAL");
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteConn(db, config.display, config.url);
  }

  async tables(): Promise<Table[]> {
    // table_list's type tells ordinary tables from virtual (FTS5) and shadow ones.
    const list = (this.db.prepare(`PRAGMA table_list`).all() as { schema: string; name: string; type: string }[])
      .filter((t) => t.schema === "main" && t.type === "table" && !t.name.startsWith("sqlite_") && isDataTable(t.name))
      .map((t) => t.name);
    const tables = list.map((name): Table => {
      const info = this.db.prepare(`PRAGMA table_xinfo(${ident(name)})`).all() as { name: string; type: string; pk: number; hidden: number }[];
      const columns: Column[] = info
        .filter((c) => c.hidden === 0) // generated columns are derived
        .map((c) => {
          const type = TYPES[c.type.toUpperCase()];
          if (!type) throw new ValueError(`${where(name, c.name)} has type ${c.type}, which backups do not handle yet`);
          return { name: c.name, type, dbType: c.type };
        })
        .sort(byName);
      const primaryKey = info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const fks = this.db.prepare(`PRAGMA foreign_key_list(${ident(name)})`).all() as { table: string }[];
      const parents = [...new Set(fks.map((f) => f.table))].filter((p) => p !== name);
      return { name, columns, primaryKey, parents };
    });
    return orderByDependencies(tables);
  }

  async nonEmptyTables(): Promise<{ name: string; rows: number }[]> {
    const out: { name: string; rows: number }[] = [];
    for (const t of await this.tables()) {
      const n = Number((this.db.prepare(`SELECT COUNT(*) AS n FROM ${ident(t.name)}`).get() as { n: number }).n);
      if (n > 0) out.push({ name: t.name, rows: n });
    }
    return out;
  }

  async migrations(): Promise<string[]> {
    const exists = this.db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(MIGRATIONS_TABLE);
    if (!exists) return [];
    return (this.db.prepare(`SELECT name FROM ${ident(MIGRATIONS_TABLE)} ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  }

  async *rows(table: Table, columns: readonly Column[], batchSize = 1000): AsyncGenerator<Value[][]> {
    const order = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name)).map(ident).join(", ");
    const stmt = this.db.prepare(`SELECT ${columns.map((c) => ident(c.name)).join(", ")} FROM ${ident(table.name)} ORDER BY ${order}`);
    // Safe integers: every INTEGER as a bigint, so nothing past 2^53 is rounded on the way.
    const it = stmt.raw(true).safeIntegers(true).iterate() as IterableIterator<unknown[]>;
    try {
      for (;;) {
        const batch: Value[][] = [];
        while (batch.length < batchSize) {
          const next = it.next();
          if (next.done) break;
          batch.push(next.value.map((raw, i) => portable(table.name, columns[i], raw)));
        }
        if (batch.length) yield batch;
        if (batch.length < batchSize) return;
        await nextTurn();
      }
    } finally {
      it.return?.();
    }
  }

  async insert(table: Table, columns: readonly Column[], rows: Value[][]): Promise<void> {
    const key = `${table.name}\0${columns.map((c) => c.name).join("\0")}`;
    let stmt = this.inserts.get(key);
    if (!stmt) {
      stmt = this.db.prepare(
        `INSERT INTO ${ident(table.name)} (${columns.map((c) => ident(c.name)).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      );
      this.inserts.set(key, stmt);
    }
    for (const row of rows) stmt.run(row.map((v, i) => toSqliteParam(columns[i].type, v)));
    await nextTurn();
  }

  async beginSnapshot(): Promise<void> {
    this.db.exec("BEGIN DEFERRED");
    // The read transaction (and its snapshot) starts at the first read: take it now.
    this.db.prepare(`SELECT COUNT(*) FROM sqlite_schema`).get();
  }

  async beginWrite(): Promise<void> {
    this.db.exec("BEGIN IMMEDIATE");
  }

  async commit(): Promise<void> {
    this.db.exec("COMMIT");
  }

  async rollback(): Promise<void> {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  async appliedMigrations(): Promise<Map<string, string>> {
    return sqliteAppliedMigrations(this.db);
  }

  async applyMigration(m: Migration): Promise<void> {
    applySqliteMigration(this.db, m);
  }

  async afterLoad(): Promise<{ sequences: number }> {
    // Foreign keys were enforced row by row (foreign_keys = ON, parents first); the search
    // index was filled by its triggers; AUTOINCREMENT counters follow explicit ids by themselves.
    return { sequences: 0 };
  }

  async tryExclusive(): Promise<(() => Promise<void>) | null> {
    // Instances sharing a SQLite file share its file system: a lock directory beside it.
    // proper-lockfile refreshes it while held and takes over one left by a dead process.
    try {
      return await lockfile.lock(this.file, {
        lockfilePath: `${this.file}.backup-lock`,
        stale: 30_000,
        update: 10_000,
        onCompromised: (err) => log.warn({ err }, "backup lock lost (the run goes on)"),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ELOCKED") return null;
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      this.db.close();
    }
  }
}

function portable(table: string, column: Column, raw: unknown): Value {
  try {
    return toPortable(column.type, raw);
  } catch (err) {
    throw new ValueError(`${where(table, column.name)}: ${(err as Error).message}`);
  }
}
