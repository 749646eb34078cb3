/**
 * Reads kept until a write to what they read. A page every user opens (the dashboard)
 * would otherwise count and list over the whole board (100,000 items: tens of ms to
 * seconds of database work) on every view, though its answer changes only when one of a
 * few tables is written. The client (./client.ts) reports every statement it runs here:
 * a write moves on its table's generation, and a kept answer is used only while the
 * generations of the tables it names are the ones it was computed under.
 *
 * A write is counted when its statement runs and again when the next COMMIT or ROLLBACK
 * runs (a view reading between the two still saw the old rows). Two transactions of the
 * same handle committing in turn can still leave an answer stale, as can another process
 * writing the same database (a CLI import): a kept answer is also dropped after
 * `maxAgeMs`, so such writes show within that.
 */

interface Kept {
  stamp: string;
  at: number;
  value: Promise<unknown>;
}

interface HandleState {
  /** Moves on with a write whose table is not recognised: every answer is then stale. */
  all: number;
  tables: Map<string, number>;
  /** Tables written since the last COMMIT / ROLLBACK. */
  dirty: Set<string>;
  kept: Map<string, Kept>;
}

// On globalThis: Next bundles this module more than once (a page and the server action that
// writes are separate chunks), and the client reports to whichever copy created it.
const g = globalThis as unknown as { dmboardKept?: WeakMap<object, HandleState> };
const handles = (g.dmboardKept ??= new WeakMap<object, HandleState>());
const stateOf = (db: object): HandleState => {
  let s = handles.get(db);
  if (!s) handles.set(db, (s = { all: 0, tables: new Map(), dirty: new Set(), kept: new Map() }));
  return s;
};

/** Statements that change nothing. */
const READ = /^\s*(?:SELECT|WITH\s[\s\S]*?\)\s*SELECT|SHOW|EXPLAIN)\b/i;
/** Transaction bookkeeping that changes nothing by itself. */
const NEUTRAL = /^\s*(?:BEGIN|START\s+TRANSACTION|SAVEPOINT|RELEASE|SET|DEALLOCATE)\b/i;
const ENDS = /^\s*(?:COMMIT|ROLLBACK|END)\b/i;
/** The table a write names: `main`.`ActionItem` (SQLite), "public"."ActionItem" (PostgreSQL). */
const WRITE = /^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+(?:[`"]?\w+[`"]?\.)?[`"]?(\w+)[`"]?/i;

const bump = (s: HandleState, table: string) => s.tables.set(table, (s.tables.get(table) ?? 0) + 1);

/** Called by the client for every statement it runs. */
export function noteStatement(db: object, sql: string): void {
  if (READ.test(sql) || NEUTRAL.test(sql)) return;
  const s = stateOf(db);
  if (ENDS.test(sql)) {
    for (const t of s.dirty) bump(s, t);
    s.dirty.clear();
    return;
  }
  const table = WRITE.exec(sql)?.[1];
  if (table) {
    bump(s, table);
    s.dirty.add(table);
  } else s.all++;
}

/** Where the handle's writes to `tables` stand: equal stamps, no write in between. */
export function writeStamp(db: object, tables: readonly string[]): string {
  const s = stateOf(db);
  return [s.all, ...tables.map((t) => s.tables.get(t) ?? 0)].join(".");
}

/** Answers kept per handle (the board keeps one per filter combination): the least recently computed go first. */
const MAX_KEPT = 500;

/** Default age after which a kept answer is recomputed though no write was seen: writes of other processes. */
export const KEPT_MAX_AGE_MS = 30_000;

/**
 * `compute()` once while none of `tables` (the models it reads) is written through `db`,
 * and at most every `maxAgeMs`; concurrent callers share one computation. A failed one is
 * not kept. `key` names the answer: include every argument it depends on.
 */
export function keptUntilWrite<T>(
  db: object,
  key: string,
  tables: readonly string[],
  compute: () => Promise<T>,
  opts: { maxAgeMs?: number; now?: number } = {},
): Promise<T> {
  // A transaction's handle: its statements are reported to its client, and it ends soon anyway.
  if (!("$transaction" in db)) return compute();
  const s = stateOf(db);
  const now = opts.now ?? Date.now();
  // The stamp is taken before reading: a write that lands meanwhile makes the answer stale at once.
  const stamp = writeStamp(db, tables);
  const hit = s.kept.get(key);
  if (hit && hit.stamp === stamp && now - hit.at < (opts.maxAgeMs ?? KEPT_MAX_AGE_MS)) return hit.value as Promise<T>;
  const entry: Kept = { stamp, at: now, value: compute() };
  s.kept.delete(key); // re-inserted last: the map's order is the order of use
  s.kept.set(key, entry);
  if (s.kept.size > MAX_KEPT) s.kept.delete(s.kept.keys().next().value!);
  entry.value.catch(() => {
    if (s.kept.get(key) === entry) s.kept.delete(key);
  });
  return entry.value as Promise<T>;
}
