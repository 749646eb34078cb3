import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ensureSqliteDir, type DbConfig } from "./config";

/**
 * Applies prisma/migrations/<provider>/* in order, each in one transaction, recording
 * name and checksum in _dmboard_migrations. Our own runner because Prisma's `migrate
 * deploy` fails on PostgreSQL 15 with the JS engine (Prisma bug 27403) and with P1014
 * on a fresh SQLite file.
 *
 * The steps (bookkeeping table, one migration) are exported on their own for a restore,
 * which applies them inside its one all-or-nothing transaction (lib/backup/load.ts).
 */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** The bookkeeping table: the applied migrations' names are the schema version. */
export const MIGRATIONS_TABLE = "_dmboard_migrations";

/** pg_advisory_lock key held while migrating (or restoring) a PostgreSQL database. */
export const MIGRATION_LOCK = 7262001;

export function loadMigrations(provider: DbConfig["provider"], root = process.cwd()): Migration[] {
  const dir = path.join(root, "prisma", "migrations", provider);
  return fs
    .readdirSync(dir)
    .filter((d) => fs.existsSync(path.join(dir, d, "migration.sql")))
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** The migrations not applied yet; throws if an applied one was changed since. */
export function pendingMigrations(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const m of migrations) {
    const sum = applied.get(m.name);
    if (sum && sum !== m.checksum) {
      throw new Error(`migration ${m.name} was changed after it was applied (checksum mismatch); refusing to continue`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

export async function migrate(config: DbConfig, root = process.cwd()): Promise<MigrationResult> {
  const migrations = loadMigrations(config.provider, root);
  return config.provider === "sqlite" ? migrateSqlite(config, migrations) : migratePostgres(config, migrations);
}

// ── SQLite ───────────────────────────────────────────────────────────────────

/** Creates the bookkeeping table if needed; the applied migrations, name → checksum. */
export function sqliteAppliedMigrations(db: Database.Database): Map<string, string> {
  db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
  const rows = db.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

/** Runs one migration and records it, inside the caller's transaction. */
export function applySqliteMigration(db: Database.Database, m: Migration): void {
  db.exec(m.sql);
  db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, appliedAt) VALUES (?, ?, ?)`).run(m.name, m.checksum, new Date().toISOString());
}

function migrateSqlite(config: DbConfig, migrations: Migration[]): MigrationResult {
  ensureSqliteDir(config);
  const db = new Database(config.url);
  try {
    // WAL: readers never block the writer; persistent in the file once set.
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    const applied = sqliteAppliedMigrations(db);
    const pending = pendingMigrations(applied, migrations);
    for (const m of pending) db.transaction(() => applySqliteMigration(db, m))();
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    db.close();
  }
}

// ── PostgreSQL ───────────────────────────────────────────────────────────────

/** Creates the bookkeeping table if needed; the applied migrations, name → checksum. */
export async function postgresAppliedMigrations(client: pg.ClientBase): Promise<Map<string, string>> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

/** Runs one migration and records it, inside the caller's transaction. */
export async function applyPostgresMigration(client: pg.ClientBase, m: Migration): Promise<void> {
  try {
    await client.query(m.sql);
    await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
  } catch (err) {
    throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
  }
}

async function migratePostgres(config: DbConfig, migrations: Migration[]): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    // One runner at a time, even if two app instances start together.
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    const applied = await postgresAppliedMigrations(client);
    const pending = pendingMigrations(applied, migrations);
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await applyPostgresMigration(client, m);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size };
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => {});
    await client.end();
  }
}
