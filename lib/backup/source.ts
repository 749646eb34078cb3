/**
 * What a restore or copy loads from: a backup file or a live database, seen the same way
 * (tables in dependency order, rows in batches, and the count and checksum the source
 * vouches for), so both go through one loader (load.ts).
 */
import { createHash } from "node:crypto";
import type { Provider } from "@/lib/db/config";
import { OMITTED_TABLES, type Column, type Table } from "./catalog";
import type { Conn } from "./conn";
import type { ColumnType, Value } from "./values";

export interface SourceTable {
  name: string;
  columns: { name: string; type: ColumnType }[];
  batches: AsyncIterable<Value[][]>;
  /** Once the batches are consumed: the row count and checksum the source vouches for. */
  expected(): TableSum;
}

export interface Source {
  provider: Provider;
  /** The schema version: applied migrations by name, in order. */
  migrations: string[];
  tables(): AsyncGenerator<SourceTable>;
}

export interface TableSum {
  rows: number;
  sha256: string;
}

/** One row as a line of a backup file, and as its checksum sees it. */
export const rowLine = (row: Value[]): string => JSON.stringify(row);

/** The checksum of a table: SHA-256 over its rows' lines (each followed by "\n"), in primary key order. */
export class TableDigest {
  private readonly hash = createHash("sha256");
  rows = 0;

  add(line: string): void {
    this.hash.update(line);
    this.hash.update("\n");
    this.rows++;
  }

  result(): TableSum {
    return { rows: this.rows, sha256: this.hash.copy().digest("hex") };
  }
}

/** The tables a backup or copy carries (all but the deliberately omitted ones). */
export const carriedTables = (tables: Table[]) => tables.filter((t) => !(t.name in OMITTED_TABLES));

async function* digested(rows: AsyncIterable<Value[][]>, digest: TableDigest): AsyncGenerator<Value[][]> {
  for await (const batch of rows) {
    for (const row of batch) digest.add(rowLine(row));
    yield batch;
  }
}

/**
 * A live database as a source: opens its consistent read (conn.ts, each engine's notes)
 * and reads the catalog inside it, so schema and rows are of the same moment.
 */
export async function snapshotSource(conn: Conn): Promise<Source & { list: Table[] }> {
  await conn.beginSnapshot();
  const migrations = await conn.migrations();
  const list = carriedTables(await conn.tables());
  return {
    provider: conn.provider,
    migrations,
    list,
    async *tables() {
      for (const t of list) {
        const digest = new TableDigest();
        yield {
          name: t.name,
          columns: t.columns.map((c) => ({ name: c.name, type: c.type })),
          batches: digested(conn.rows(t, t.columns), digest),
          expected: () => digest.result(),
        };
      }
    },
  };
}

/** Row count and checksum of every carried table of a database, at one moment. */
export async function checksumDatabase(conn: Conn): Promise<Map<string, TableSum>> {
  const source = await snapshotSource(conn);
  const out = new Map<string, TableSum>();
  try {
    for await (const t of source.tables()) {
      for await (const _ of t.batches);
      out.set(t.name, t.expected());
    }
  } finally {
    await conn.rollback();
  }
  return out;
}

/** Columns of `table` named like `wanted`, in that order (the source's); null if the sets differ. */
export function matchColumns(table: Table, wanted: { name: string; type: ColumnType }[]): Column[] | null {
  if (table.columns.length !== wanted.length) return null;
  const out: Column[] = [];
  for (const w of wanted) {
    const c = table.columns.find((x) => x.name === w.name);
    if (!c || c.type !== w.type) return null;
    out.push(c);
  }
  return out;
}
