/**
 * What a backup holds: every table of the record, read from the database's own catalog
 * (so a new model is backed up without anyone remembering to list it), minus what is
 * bookkeeping, derived or deliberately left out. tests/db/backup checks the result
 * against prisma/schema.prisma's models.
 */
import { MIGRATIONS_TABLE } from "@/lib/db/migrate";
import type { ColumnType } from "./values";

export interface Column {
  name: string;
  type: ColumnType;
  /** The engine's own type (PostgreSQL: format_type, e.g. "timestamp(3) without time zone"). */
  dbType: string;
}

export interface Table {
  name: string;
  /** Sorted by name: the canonical column order of a backup and of its checksums. */
  columns: Column[];
  /** Primary key columns in key order: rows are read in this order (binary collation). */
  primaryKey: string[];
  /** Tables this one references (foreign keys), itself excluded. */
  parents: string[];
}

/**
 * Tables the engine fills from others: SQLite's search_doc (and the FTS5 index, a virtual
 * table the catalog reading skips already) are written by the triggers on Meeting and
 * ActionItem (prisma/extra/sqlite); restoring those rows rebuilds them. PostgreSQL's
 * derived data are generated columns (search_tsv, title_tsv), skipped by the catalog reading.
 */
export const DERIVED_TABLES: ReadonlySet<string> = new Set(["search_doc"]);

/**
 * Left out of every backup and copy on purpose: live sign-in sessions (bearer secrets that
 * expire within days: after a restore everyone signs in again) and better-auth's
 * short-lived verification values. Password hashes and API token hashes are kept: without
 * them nobody could sign in, and scripts using the read API would break.
 */
export const OMITTED_TABLES: Readonly<Record<string, string>> = {
  session: "sign-in sessions: short-lived bearer secrets; everyone signs in again after a restore",
  verification: "better-auth's short-lived verification values",
  HostLease: "which server instance reads which host now: live coordination that expires within seconds",
  HostLiveState: "the latest read of each host, for the other instances: re-read within one poll interval",
};

/** Not data at all: the schema version, carried in the backup's header instead. */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set([MIGRATIONS_TABLE]);

export const isDataTable = (name: string) => !DERIVED_TABLES.has(name) && !BOOKKEEPING_TABLES.has(name);

export function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Parents before children (a restore inserts in this order, so foreign keys hold at every
 * row), ties broken by name so both engines order the same schema the same way.
 */
export function orderByDependencies(tables: Table[]): Table[] {
  const byTable = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: Table[] = [];
  const visit = (t: Table) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`foreign keys form a cycle through "${t.name}": backups cannot order its rows`);
    visiting.add(t.name);
    for (const p of [...t.parents].sort()) {
      const parent = byTable.get(p);
      if (parent) visit(parent);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of [...tables].sort(byName)) visit(t);
  return out;
}

/** "Meeting"."title" for messages. */
export const where = (table: string, column?: string) => (column ? `${table}.${column}` : table);

/** A double-quoted SQL identifier (both engines). */
export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
