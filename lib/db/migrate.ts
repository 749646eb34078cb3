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
 */
export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

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

function verify(applied: Map<string, string>, migrations: Migration[]): Migration[] {
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

function migrateSqlite(config: DbConfig, migrations: Migration[]): MigrationResult {
  ensureSqliteDir(config);
  const db = new Database(config.url);
  try {
    // WAL: readers never block the writer; persistent in the file once set.
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.exec(`CREATE TABLE IF NOT EXISTS "_dmboard_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`);
    const rows = db.prepare(`SELECT name, checksum FROM "_dmboard_migrations"`).all() as { name: string; checksum: string }[];
    const pending = verify(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
    const record = db.prepare(`INSERT INTO "_dmboard_migrations" (name, checksum, appliedAt) VALUES (?, ?, ?)`);
    for (const m of pending) {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.name, m.checksum, new Date().toISOString());
      })();
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  } finally {
    db.close();
  }
}

async function migratePostgres(config: DbConfig, migrations: Migration[]): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    // One runner at a time, even if two app instances start together.
    await client.query("SELECT pg_advisory_lock(7262001)");
    await client.query(`CREATE TABLE IF NOT EXISTS "_dmboard_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "_dmboard_migrations"`);
    const pending = verify(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_dmboard_migrations" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`);
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: rows.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock(7262001)").catch(() => {});
    await client.end();
  }
}
