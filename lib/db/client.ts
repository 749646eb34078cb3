import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/generated/postgres/client";
import { ensureSqliteDir, resolveDbConfig, type DbConfig } from "./config";

/**
 * Both generated clients expose the same models (they come from one schema), so the
 * app is typed against the SQLite one and never needs to know which is in use.
 */
export type Db = SqliteClient;

export function createDb(config: DbConfig = resolveDbConfig()): Db {
  if (config.provider === "postgresql") {
    const adapter = new PrismaPg({ connectionString: config.url, max: 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  ensureSqliteDir(config);
  // timeout = busy_timeout: concurrent writers wait instead of failing with SQLITE_BUSY.
  const adapter = new PrismaBetterSQLite3({ url: config.url, timeout: 5000 });
  return new SqliteClient({ adapter });
}

const globalForDb = globalThis as unknown as { dmboardDb?: Db; dmboardDbProvider?: DbConfig["provider"] };

/** The process-wide client (kept across hot reloads in development). */
export function getDb(): Db {
  if (!globalForDb.dmboardDb) {
    const config = resolveDbConfig();
    globalForDb.dmboardDb = createDb(config);
    globalForDb.dmboardDbProvider = config.provider;
  }
  return globalForDb.dmboardDb;
}

export function dbProvider(): DbConfig["provider"] {
  getDb();
  return globalForDb.dmboardDbProvider!;
}

export async function closeDb(): Promise<void> {
  await globalForDb.dmboardDb?.$disconnect();
  globalForDb.dmboardDb = undefined;
}
