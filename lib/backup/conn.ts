/**
 * One connection to either engine, with exactly what backup, restore and copy need. Below
 * Prisma on purpose: they need a transaction of their own shape (one consistent read of
 * every table; one all-or-nothing load that also applies migrations), the engines'
 * catalogs, and bulk speed.
 */
import type { DbConfig, Provider } from "@/lib/db/config";
import type { Migration } from "@/lib/db/migrate";
import type { Column, Table } from "./catalog";
import type { Value } from "./values";
import { PostgresConn } from "./postgres";
import { SqliteConn } from "./sqlite";

export interface Conn {
  readonly provider: Provider;
  /** Printable, password masked. */
  readonly display: string;
  /** The record's tables (see catalog.ts), parents before children. */
  tables(): Promise<Table[]>;
  /** Every table with rows, and how many (derived and bookkeeping tables aside). */
  nonEmptyTables(): Promise<{ name: string; rows: number }[]>;
  /** Applied migrations by name, in order; [] when the database has none (no bookkeeping table). */
  migrations(): Promise<string[]>;
  /** Rows in primary key order (binary collation), portable values in `columns` order, in batches. */
  rows(table: Table, columns: readonly Column[], batchSize?: number): AsyncGenerator<Value[][]>;
  /** Inserts portable rows (inside the write transaction). */
  insert(table: Table, columns: readonly Column[], rows: Value[][]): Promise<void>;

  /** One read-only transaction that sees the whole database at one moment. */
  beginSnapshot(): Promise<void>;
  /** One write transaction, exclusive against migration runs and other restores. */
  beginWrite(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;

  /** Inside the write transaction: the bookkeeping table (created if missing), name → checksum. */
  appliedMigrations(): Promise<Map<string, string>>;
  /** Inside the write transaction: runs one migration and records it. */
  applyMigration(m: Migration): Promise<void>;
  /** Inside the write transaction, after a load: sequences past the loaded rows, planner statistics. */
  afterLoad(tables: Table[]): Promise<{ sequences: number }>;

  /**
   * A lock that two backup runs (of this or another instance) cannot both hold: null when
   * another holder has it. Released by calling the function returned.
   */
  tryExclusive(): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** SQLite: create the file when missing (a restore or copy target). Default false. */
  create?: boolean;
}

export async function openConn(config: DbConfig, opts: OpenOptions = {}): Promise<Conn> {
  return config.provider === "postgresql" ? PostgresConn.open(config) : SqliteConn.open(config, opts);
}
