/**
 * The PostgreSQL side of backup, restore and copy, on a pg client of its own.
 *
 * A consistent backup while the server writes: every table is read in one REPEATABLE READ
 * READ ONLY transaction, which sees one snapshot of the whole database (what pg_dump does
 * by default); writers are never blocked. SERIALIZABLE READ ONLY DEFERRABLE would also
 * rule out the read-only serialization anomaly, but may first wait for concurrent
 * serializable writers, and the snapshot is already consistent: every committed
 * transaction is in it whole, or not at all.
 *
 * Rows stream through a cursor in primary key order (COLLATE "C": byte order, as SQLite's
 * BINARY sorts, so both engines list rows and compute checksums in the same order), and
 * are written with one `INSERT … SELECT FROM unnest($1::type[], …)` per batch.
 */
import pg from "pg";
import type { DbConfig } from "@/lib/db/config";
import { applyPostgresMigration, MIGRATION_LOCK, MIGRATIONS_TABLE, postgresAppliedMigrations, type Migration } from "@/lib/db/migrate";
import { byName, ident, isDataTable, orderByDependencies, where, type Column, type Table } from "./catalog";
import type { Conn } from "./conn";
import { toPortable, toPostgresParam, ValueError, type ColumnType, type Value } from "./values";

/** pg_type.typname → portable column types. */
const TYPES: Record<string, ColumnType> = {
  text: "text",
  varchar: "text",
  bpchar: "text",
  int2: "int",
  int4: "int",
  int8: "bigint",
  float4: "float",
  float8: "float",
  bool: "bool",
  timestamp: "datetime",
  timestamptz: "datetime",
};

/** Lock key for scheduled backups (one run across every instance on this database). */
const BACKUP_LOCK = 7262002;

// Timestamps as the server prints them (values.ts reads them as UTC): pg's default parser
// would read `timestamp without time zone` in the local time zone of this process.
const RAW = (s: string) => s;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.TIMESTAMP || oid === pg.types.builtins.TIMESTAMPTZ
      ? RAW
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

let cursors = 0;

export class PostgresConn implements Conn {
  readonly provider = "postgresql" as const;

  private constructor(
    private readonly client: pg.Client,
    readonly display: string,
  ) {}

  static async open(config: DbConfig): Promise<PostgresConn> {
    const client = new pg.Client({ connectionString: config.url, types });
    try {
      await client.connect();
    } catch (err) {
      throw new Error(`cannot connect to ${config.display}: ${(err as Error).message}`, { cause: err });
    }
    client.on("error", () => {}); // a dropped connection fails the next query instead
    await client.query("SET TIME ZONE 'UTC'");
    return new PostgresConn(client, config.display);
  }

  async tables(): Promise<Table[]> {
    const { rows: cols } = await this.client.query<{ table: string; column: string; typname: string; dbtype: string }>(
      `SELECT c.relname AS table, a.attname AS column, t.typname, format_type(a.atttypid, a.atttypmod) AS dbtype
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         JOIN pg_type t ON t.oid = a.atttypid
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum`,
    );
    const { rows: keys } = await this.client.query<{ table: string; kind: string; columns: string[]; parent: string | null }>(
      `SELECT c.relname AS table, k.contype AS kind, p.relname AS parent,
              ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(attnum, i)
                      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.i)::text[] AS columns
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_class p ON p.oid = k.confrelid
        WHERE n.nspname = current_schema() AND k.contype IN ('p', 'f')`,
    );
    const tables = new Map<string, Table>();
    for (const c of cols) {
      if (!isDataTable(c.table)) continue;
      const type = TYPES[c.typname];
      if (!type) throw new ValueError(`${where(c.table, c.column)} has type ${c.dbtype}, which backups do not handle yet`);
      let t = tables.get(c.table);
      if (!t) tables.set(c.table, (t = { name: c.table, columns: [], primaryKey: [], parents: [] }));
      t.columns.push({ name: c.column, type, dbType: c.dbtype });
    }
    for (const k of keys) {
      const t = tables.get(k.table);
      if (!t) continue;
      if (k.kind === "p") t.primaryKey = k.columns;
      else if (k.parent && k.parent !== t.name && !t.parents.includes(k.parent)) t.parents.push(k.parent);
    }
    for (const t of tables.values()) t.columns.sort(byName);
    return orderByDependencies([...tables.values()]);
  }

  async nonEmptyTables(): Promise<{ name: string; rows: number }[]> {
    const out: { name: string; rows: number }[] = [];
    for (const t of await this.tables()) {
      const { rows } = await this.client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${ident(t.name)}`);
      const n = Number(rows[0].n);
      if (n > 0) out.push({ name: t.name, rows: n });
    }
    return out;
  }

  async migrations(): Promise<string[]> {
    const { rows: exists } = await this.client.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1`, [MIGRATIONS_TABLE]);
    if (!exists.length) return [];
    const { rows } = await this.client.query<{ name: string }>(`SELECT name FROM ${ident(MIGRATIONS_TABLE)} ORDER BY name COLLATE "C"`);
    return rows.map((r) => r.name);
  }

  async *rows(table: Table, columns: readonly Column[], batchSize = 2000): AsyncGenerator<Value[][]> {
    const orderCols = table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name);
    const order = orderCols
      .map((name) => (table.columns.find((c) => c.name === name)?.type === "text" ? `${ident(name)} COLLATE "C"` : ident(name)))
      .join(", ");
    const cursor = `dmboard_backup_${++cursors}`;
    await this.client.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map((c) => ident(c.name)).join(", ")} FROM ${ident(table.name)} ORDER BY ${order}`,
    );
    let open = true;
    try {
      for (;;) {
        const { rows } = await this.client.query<unknown[]>({ text: `FETCH FORWARD ${batchSize} FROM ${cursor}`, rowMode: "array" });
        if (rows.length) yield rows.map((row) => row.map((raw, i) => portable(table.name, columns[i], raw)));
        if (rows.length < batchSize) break;
      }
      await this.client.query(`CLOSE ${cursor}`);
      open = false;
    } finally {
      // Abandoned midway (an error downstream): close it if the transaction still lives.
      if (open) await this.client.query(`CLOSE ${cursor}`).catch(() => {});
    }
  }

  async insert(table: Table, columns: readonly Column[], rows: Value[][]): Promise<void> {
    if (!rows.length) return;
    const arrays = columns.map((c, i) => rows.map((r) => toPostgresParam(c.type, r[i])));
    const casts = columns.map((c, i) => `$${i + 1}::${c.dbType}[]`).join(", ");
    await this.client.query(`INSERT INTO ${ident(table.name)} (${columns.map((c) => ident(c.name)).join(", ")}) SELECT * FROM unnest(${casts})`, arrays);
  }

  async beginSnapshot(): Promise<void> {
    await this.client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  async beginWrite(): Promise<void> {
    await this.client.query("BEGIN");
    // The migration runner's lock: no `npm start` migrates this database meanwhile.
    await this.client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
  }

  async commit(): Promise<void> {
    await this.client.query("COMMIT");
  }

  async rollback(): Promise<void> {
    await this.client.query("ROLLBACK").catch(() => {});
  }

  async appliedMigrations(): Promise<Map<string, string>> {
    return postgresAppliedMigrations(this.client);
  }

  async applyMigration(m: Migration): Promise<void> {
    await applyPostgresMigration(this.client, m);
  }

  async afterLoad(tables: Table[]): Promise<{ sequences: number }> {
    // Columns fed by a sequence (serial, identity) continue after the largest loaded value.
    // The schema has none today (ids are cuids); a future one must not collide after a restore.
    const names = tables.map((t) => t.name);
    const { rows } = await this.client.query<{ table: string; column: string; seq: string }>(
      `SELECT c.relname AS table, a.attname AS column, pg_get_serial_sequence(format('%I', c.relname), a.attname) AS seq
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = current_schema() AND c.relname = ANY($1::text[])
          AND pg_get_serial_sequence(format('%I', c.relname), a.attname) IS NOT NULL`,
      [names],
    );
    for (const r of rows) {
      await this.client.query(`SELECT setval($1, COALESCE((SELECT max(${ident(r.column)}) FROM ${ident(r.table)}), 0) + 1, false)`, [r.seq]);
    }
    // Fresh planner statistics: the first queries after a copy would otherwise plan for empty tables.
    for (const name of names) await this.client.query(`ANALYZE ${ident(name)}`);
    return { sequences: rows.length };
  }

  async tryExclusive(): Promise<(() => Promise<void>) | null> {
    const { rows } = await this.client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${BACKUP_LOCK}) AS ok`);
    if (!rows[0].ok) return null;
    return async () => {
      await this.client.query(`SELECT pg_advisory_unlock(${BACKUP_LOCK})`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }
}

function portable(table: string, column: Column, raw: unknown): Value {
  try {
    return toPortable(column.type, raw);
  } catch (err) {
    throw new ValueError(`${where(table, column.name)}: ${(err as Error).message}`);
  }
}
