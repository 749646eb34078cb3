import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "@/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "@/generated/postgres/client";
import { ensureSqliteDir, resolveDbConfig, type DbConfig } from "./config";
import { noteStatement, watchWrites } from "./kept";
import { reportQuery } from "./observe";
import type { Db } from "./types";
import { postgresWriteSource, sqliteWriteSource } from "./write-notices";

export type { Db } from "./types";

// Every query's duration is reported (lib/db/observe.ts: the metrics' database latency), and
// every write moves on the handle's write generation (lib/db/kept.ts: reads kept until a write),
// and the handle learns of other processes' writes from ./write-notices.ts.
const log = [{ emit: "event" as const, level: "query" as const }];

/**
 * A client for the configured database, carrying its provider (`db.provider`), so code
 * that must speak each engine's dialect (full-text search, case-insensitive matching)
 * asks the handle instead of being told by every caller. No cast: lib/db/types.ts makes
 * the compiler prove that both generated clients are a `Db`.
 */
export function createDb(config: DbConfig = resolveDbConfig()): Db {
  if (config.provider === "postgresql") {
    const adapter = new PrismaPg({ connectionString: config.url, max: 10 });
    const client = new PostgresClient({ adapter, log });
    const db = Object.assign(client, { provider: "postgresql" as const });
    client.$on("query", (e) => {
      noteStatement(db, e.query);
      reportQuery(e.duration, "postgresql");
    });
    // Kept only while this process listens on the database (the server does: instrumentation.ts).
    watchWrites(db, postgresWriteSource(config.url));
    return db;
  }
  ensureSqliteDir(config);
  // timeout = busy_timeout: concurrent writers wait instead of failing with SQLITE_BUSY.
  const adapter = new PrismaBetterSQLite3({ url: config.url, timeout: 5000 });
  const client = new SqliteClient({ adapter, log });
  const db = Object.assign(client, { provider: "sqlite" as const });
  client.$on("query", (e) => {
    noteStatement(db, e.query);
    reportQuery(e.duration, "sqlite");
  });
  const writes = sqliteWriteSource(config.url);
  watchWrites(db, writes);
  // The source's connection closes with the handle's.
  const disconnect = client.$disconnect.bind(client);
  db.$disconnect = async () => {
    writes.close();
    await disconnect();
  };
  return db;
}

const globalForDb = globalThis as unknown as { dmboardDb?: Db };

/** The process-wide client (kept across hot reloads in development). */
export function getDb(): Db {
  globalForDb.dmboardDb ??= createDb(resolveDbConfig());
  return globalForDb.dmboardDb;
}

export async function closeDb(): Promise<void> {
  await globalForDb.dmboardDb?.$disconnect();
  globalForDb.dmboardDb = undefined;
}
