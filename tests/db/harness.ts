/**
 * A fresh, migrated database for one test file, on the provider the run is for:
 * DMBOARD_TEST_PROVIDER=sqlite (a temp file) or postgresql (a new database created on
 * the server at DMBOARD_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test,
 * dropped afterwards). scripts/test.mjs runs the `db` project once per provider.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import type { DbConfig, Provider } from "@/lib/db/config";

export interface TestDb {
  db: Db;
  provider: Provider;
  config: DbConfig;
  cleanup: () => Promise<void>;
}

export const testProvider = (): Provider => (process.env.DMBOARD_TEST_PROVIDER === "postgresql" ? "postgresql" : "sqlite");

const PG_URL = () => process.env.DMBOARD_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/test";

/**
 * A new database with nothing in it, not even migrations (a restore or copy target), on
 * either provider whatever the run is for.
 */
export async function emptyTestDb(provider: Provider): Promise<{ config: DbConfig; cleanup: () => Promise<void> }> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-db-"));
    return {
      config: { provider, url: path.join(dir, "empty.db"), display: "empty test file" },
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `dmboard_t_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL());
  url.pathname = `/${name}`;
  return {
    config: { provider, url: url.toString(), display: name },
    cleanup: () => dropTestDatabase(name),
  };
}

export async function setupTestDb(): Promise<TestDb> {
  const provider = testProvider();
  const root = path.resolve(import.meta.dirname, "..", "..");
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-db-"));
    const config: DbConfig = { provider, url: path.join(dir, "test.db"), display: "test" };
    await migrate(config, root);
    const db = createDb(config);
    return {
      db,
      provider,
      config,
      cleanup: async () => {
        await db.$disconnect();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `dmboard_t_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_URL() });
  await admin.connect().catch((err) => {
    throw new Error(`PostgreSQL is required for the database tests (${PG_URL()}): ${err.message}`);
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL());
  url.pathname = `/${name}`;
  const config: DbConfig = { provider, url: url.toString(), display: name };
  await migrate(config, root);
  const db = createDb(config);
  return {
    db,
    provider,
    config,
    cleanup: async () => {
      // Bounded: when PostgreSQL aborts a COMMIT, Prisma 6.19's pg adapter may keep that
      // connection checked out, and $disconnect would wait for it forever (DROP … FORCE ends it).
      await Promise.race([db.$disconnect(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      await dropTestDatabase(name);
    },
  };
}

/**
 * Points the process-wide client (getDb, getAuth) at this test database, for code that
 * uses the globals (better-auth, health). Returns a function that undoes it.
 */
export async function useAsProcessDb(t: TestDb): Promise<() => Promise<void>> {
  const { closeDb } = await import("@/lib/db/client");
  const prev = { url: process.env.DATABASE_URL, dir: process.env.DMBOARD_DATA_DIR };
  await closeDb();
  (globalThis as { dmboardAuth?: unknown }).dmboardAuth = undefined;
  process.env.DATABASE_URL = t.provider === "sqlite" ? `file:${t.config.url}` : t.config.url;
  process.env.DMBOARD_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-data-"));
  return async () => {
    await closeDb();
    (globalThis as { dmboardAuth?: unknown }).dmboardAuth = undefined;
    fs.rmSync(process.env.DMBOARD_DATA_DIR!, { recursive: true, force: true });
    if (prev.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = prev.url;
    if (prev.dir === undefined) delete process.env.DMBOARD_DATA_DIR;
    else process.env.DMBOARD_DATA_DIR = prev.dir;
  };
}

/**
 * Drops a test database once the test's own connections have gone. pg-pool's `end()` resolves
 * when its clients are told to end, not when their sockets have closed: a DROP … WITH (FORCE)
 * right after it kills backends still saying goodbye, and their client then raises the FATAL
 * "terminating connection due to administrator command" as an uncaught error in the test
 * process. So wait (bounded) for them to leave; FORCE still ends whatever a test leaked.
 */
async function dropTestDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL() });
  await c.connect();
  try {
    for (let until = Date.now() + 5000; Date.now() < until;) {
      const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
