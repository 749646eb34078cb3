/**
 * Loads a source (a backup file or a live database) into an empty database, all or
 * nothing: one write transaction applies the migrations up to the source's schema
 * version, inserts every table (parents first, in batches), checks each table against the
 * count and checksum the source vouches for, reads every table back and checks it again,
 * brings derived state up to date (the search index through its triggers on SQLite,
 * generated tsvector columns on PostgreSQL, sequences, planner statistics), applies the
 * migrations that came after the source's version, and only then commits. Anything
 * wrong rolls the whole of it back: the target is left as it was.
 */
import { loadMigrations, pendingMigrations } from "@/lib/db/migrate";
import { where, type Column, type Table } from "./catalog";
import type { Conn } from "./conn";
import { BackupError } from "./errors";
import { matchColumns, rowLine, TableDigest, type Source, type TableSum } from "./source";
import { isPortable } from "./values";

export interface LoadedTable extends TableSum {
  name: string;
}

export interface LoadReport {
  tables: LoadedTable[];
  rows: number;
  /** The source's schema version, and the target's after the load (later migrations applied). */
  migrations: { source: string[]; target: string[] };
  sequences: number;
}

/** The source's schema must be this code's, or an earlier state of it. */
export function checkSchemaVersion(source: string[], known: string[]): void {
  if (!source.length) throw new BackupError("CORRUPT", "the backup records no schema version (no applied migrations): it is not a complete dmboard backup");
  const unknown = source.filter((n) => !known.includes(n));
  if (unknown.length) {
    throw new BackupError(
      "NEWER_SCHEMA",
      `the backup is from a newer dmboard: its schema has ${unknown.join(", ")}, which this version does not know (it knows up to ${known.at(-1)}). Upgrade dmboard, then restore.`,
    );
  }
  if (source.some((n, i) => known[i] !== n)) {
    throw new BackupError("NEWER_SCHEMA", `the backup's migrations (${source.join(", ")}) are not a history this dmboard knows (${known.join(", ")})`);
  }
}

export async function load(target: Conn, source: Source, opts: { root: string; onTable?: (t: LoadedTable) => void }): Promise<LoadReport> {
  const known = loadMigrations(target.provider, opts.root);
  checkSchemaVersion(
    source.migrations,
    known.map((m) => m.name),
  );
  await target.beginWrite();
  try {
    const applied = await target.appliedMigrations();
    pendingMigrations(applied, known); // an applied migration edited since: refuse
    const foreign = [...applied.keys()].filter((n) => !known.some((m) => m.name === n));
    const appliedNames = known.filter((m) => applied.has(m.name)).map((m) => m.name);
    if (foreign.length || appliedNames.length > source.migrations.length || appliedNames.some((n, i) => source.migrations[i] !== n)) {
      throw new BackupError(
        "TARGET_AHEAD",
        `${target.display} already has a newer schema (${[...applied.keys()].sort().at(-1)}) than the source (${source.migrations.at(-1)}): load into a new, empty database (for PostgreSQL: createdb; for SQLite: a file that does not exist yet)`,
      );
    }
    const nonEmpty = await target.nonEmptyTables();
    if (nonEmpty.length) {
      const list = nonEmpty.map((t) => `${t.name} (${t.rows})`).join(", ");
      throw new BackupError(
        "NOT_EMPTY",
        `${target.display} is not empty: ${list}. A restore or copy only loads into an empty database, so nothing is ever overwritten or merged; create a new one (for PostgreSQL: createdb; for SQLite: a file that does not exist yet) and load there.`,
      );
    }
    for (const m of known.slice(appliedNames.length, source.migrations.length)) await target.applyMigration(m);

    const targetTables = new Map((await target.tables()).map((t) => [t.name, t]));
    const loaded: { table: Table; columns: Column[]; sum: TableSum }[] = [];
    for await (const st of source.tables()) {
      const table = targetTables.get(st.name);
      if (!table) throw new BackupError("SHAPE", `the source has a table ${st.name} that the schema ${source.migrations.at(-1)} does not have`);
      const columns = matchColumns(table, st.columns);
      if (!columns) {
        throw new BackupError(
          "SHAPE",
          `table ${st.name}: the source's columns (${st.columns.map((c) => `${c.name} ${c.type}`).join(", ")}) differ from the schema's (${table.columns.map((c) => `${c.name} ${c.type}`).join(", ")})`,
        );
      }
      const digest = new TableDigest();
      for await (const batch of st.batches) {
        for (const row of batch) {
          if (row.length !== columns.length)
            throw new BackupError("CORRUPT", `table ${st.name}, row ${digest.rows + 1}: ${row.length} values for ${columns.length} columns`);
          for (let i = 0; i < columns.length; i++) {
            if (!isPortable(columns[i].type, row[i]))
              throw new BackupError("CORRUPT", `${where(st.name, columns[i].name)}, row ${digest.rows + 1}: not a ${columns[i].type} value`);
          }
          digest.add(rowLine(row));
        }
        await target.insert(table, columns, batch);
      }
      const got = digest.result();
      const expected = st.expected();
      if (got.rows !== expected.rows || got.sha256 !== expected.sha256) {
        throw new BackupError(
          "CORRUPT",
          `table ${st.name}: the rows do not match their checksum (${got.rows} rows read, ${expected.rows} recorded): the file is damaged; nothing was loaded`,
        );
      }
      loaded.push({ table, columns, sum: got });
    }

    // Read every table back from the target: what it now holds is what the source held.
    const report: LoadedTable[] = [];
    for (const l of loaded) {
      const digest = new TableDigest();
      for await (const batch of target.rows(l.table, l.columns)) for (const row of batch) digest.add(rowLine(row));
      const back = digest.result();
      if (back.rows !== l.sum.rows || back.sha256 !== l.sum.sha256) {
        throw new BackupError(
          "MISMATCH",
          `table ${l.table.name}: the target holds ${back.rows} rows with checksum ${back.sha256.slice(0, 12)}…, the source ${l.sum.rows} with ${l.sum.sha256.slice(0, 12)}…; nothing was loaded`,
        );
      }
      const t = { name: l.table.name, ...back };
      report.push(t);
      opts.onTable?.(t);
    }
    const { sequences } = await target.afterLoad(loaded.map((l) => l.table));
    for (const m of known.slice(source.migrations.length)) await target.applyMigration(m);
    await target.commit();
    return {
      tables: report,
      rows: report.reduce((n, t) => n + t.rows, 0),
      migrations: { source: source.migrations, target: known.map((m) => m.name) },
      sequences,
    };
  } catch (err) {
    await target.rollback();
    throw err;
  }
}
