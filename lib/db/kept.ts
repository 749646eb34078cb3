/**
 * Reads kept until a write to what they read. A page every user opens (the dashboard)
 * would otherwise count and list over the whole board (100,000 items: tens of ms to
 * seconds of database work) on every view, though its answer changes only when one of a
 * few tables is written. A kept answer is used only while the writes to the tables it
 * names stand where they stood when it was computed; two sources say where they stand:
 *
 * - This handle's own writes: the client (./client.ts) reports every statement it runs
 *   here, and a write moves on its table's generation at once, and again at the next
 *   COMMIT or ROLLBACK (a view reading between the two still saw the old rows).
 * - Everybody else's (./write-notices.ts, attached by the client): on PostgreSQL the
 *   NOTIFY every commit to these tables sends (other instances, CLIs, and this handle's
 *   own overlapping transactions, whose COMMITs the first source cannot tell apart); on
 *   SQLite `PRAGMA data_version`, read synchronously on a connection of the source's own
 *   (it moves with every other connection's commit). A source that cannot vouch for
 *   the tables (PostgreSQL while not listening) keeps nothing.
 *
 * `maxAgeMs` remains a safety net only, for what neither source sees: a write that
 * bypasses the triggers (session_replication_role = replica, DDL), a LISTEN socket that
 * died without an error before its next ping. It is not how other processes' writes show.
 */
import { createHash } from "node:crypto";

interface Kept {
  stamp: string;
  at: number;
  value: Promise<unknown>;
}

/**
 * Where other processes' writes to `tables` stand: equal stamps, no write in between.
 * Null: not known now (keep nothing). Asked before every kept read, so cheap.
 */
export interface WriteSource {
  stamp(tables: readonly string[]): string | null | Promise<string | null>;
}

interface HandleState {
  /** Moves on with a write whose table is not recognised: every answer is then stale. */
  all: number;
  tables: Map<string, number>;
  /** Tables written since the last COMMIT / ROLLBACK. */
  dirty: Set<string>;
  kept: Map<string, Kept>;
  /** Other processes' writes (none: only this handle's are seen). */
  source?: WriteSource;
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

/** Statements that change nothing (`PRAGMA data_version` among them: asking it is no write). */
const READ = /^\s*(?:SELECT|WITH\s[\s\S]*?\)\s*SELECT|SHOW|EXPLAIN|PRAGMA\s+data_version)\b(?!\s*=)/i;
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

/** Tell the handle where other processes' writes stand (./write-notices.ts; the client attaches it). */
export function watchWrites(db: object, source: WriteSource): void {
  stateOf(db).source = source;
}

/** Where the handle's writes to `tables` stand: equal stamps, no write in between. */
export function writeStamp(db: object, tables: readonly string[]): string {
  const s = stateOf(db);
  return [s.all, ...tables.map((t) => s.tables.get(t) ?? 0)].join(".");
}

/** Answers kept per handle (the board keeps one per filter combination): the least recently computed go first. */
const MAX_KEPT = 500;

/**
 * Default age after which a kept answer is recomputed though no write was seen: a safety
 * net (see the head comment), so long enough to cost nothing.
 */
export const KEPT_MAX_AGE_MS = 5 * 60_000;

/**
 * A key part naming a read by its arguments (a Prisma `where`, say): their JSON, or its
 * digest when long (a filter narrowed to 500 item ids would otherwise make a 14 kB key).
 */
export function keptKey(args: unknown): string {
  const json = JSON.stringify(args);
  return json.length <= 256 ? json : `sha256:${createHash("sha256").update(json).digest("base64url")}`;
}

export interface KeptOptions<T> {
  maxAgeMs?: number;
  now?: number;
  /** An answer this refuses is returned but not kept (the session reuse keeps no "signed out"). */
  keepIf?: (value: T) => boolean;
}

/**
 * `compute()` once while none of `tables` (the models it reads) is written, by this handle
 * or (through its WriteSource) anybody else, and at most every `maxAgeMs`; concurrent
 * callers share one computation. A failed one is not kept. `key` names the answer:
 * include every argument it depends on.
 */
export function keptUntilWrite<T>(db: object, key: string, tables: readonly string[], compute: () => Promise<T>, opts: KeptOptions<T> = {}): Promise<T> {
  // A transaction's handle: its statements are reported to its client, and it ends soon anyway.
  if (!("$transaction" in db)) return compute();
  const s = stateOf(db);
  const now = opts.now ?? Date.now();
  if (!s.source) return keep(s, key, tables, "", compute, now, opts);
  let others: string | null | Promise<string | null>;
  try {
    others = s.source.stamp(tables);
  } catch {
    others = null;
  }
  if (others === null) return compute();
  if (typeof others === "string") return keep(s, key, tables, others, compute, now, opts);
  return others.then(
    (o) => (o === null ? compute() : keep(s, key, tables, o, compute, now, opts)),
    () => compute(),
  );
}

function keep<T>(
  s: HandleState,
  key: string,
  tables: readonly string[],
  others: string,
  compute: () => Promise<T>,
  now: number,
  { maxAgeMs, keepIf }: KeptOptions<T>,
): Promise<T> {
  // Both stamps are taken before reading: a write that lands meanwhile makes the answer stale at once.
  const stamp = `${[s.all, ...tables.map((t) => s.tables.get(t) ?? 0)].join(".")}/${others}`;
  const hit = s.kept.get(key);
  if (hit && hit.stamp === stamp && now - hit.at < (maxAgeMs ?? KEPT_MAX_AGE_MS)) return hit.value as Promise<T>;
  const entry: Kept = { stamp, at: now, value: compute() };
  s.kept.delete(key); // re-inserted last: the map's order is the order of use
  s.kept.set(key, entry);
  if (s.kept.size > MAX_KEPT) s.kept.delete(s.kept.keys().next().value!);
  const forget = () => {
    if (s.kept.get(key) === entry) s.kept.delete(key);
  };
  entry.value.then((v) => {
    if (keepIf && !keepIf(v as T)) forget();
  }, forget);
  return entry.value as Promise<T>;
}
