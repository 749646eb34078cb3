/**
 * Portable values: how a backup, a copy and their checksums see a cell, whatever the
 * engine stored. One canonical form per column type, so a row read from SQLite and the
 * same row read from PostgreSQL serialise to the same bytes (and the same checksum).
 *
 *   text      string
 *   int       number (a safe integer)
 *   bigint    string of digits (JSON numbers lose precision past 2^53)
 *   float     number; NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity"
 *   bool      true | false (SQLite stores 1/0)
 *   datetime  ISO 8601 in UTC with milliseconds, "2017-05-10T00:00:00.000Z"
 *             (Prisma keeps DateTime at millisecond precision on both engines)
 */
export type ColumnType = "text" | "int" | "bigint" | "float" | "bool" | "datetime";

export const COLUMN_TYPES: readonly ColumnType[] = ["text", "int", "bigint", "float", "bool", "datetime"];

export type Value = string | number | boolean | null;

export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ValueError";
  }
}

// Date, time, optional fraction, optional zone: what SQLite (ISO, or CURRENT_TIMESTAMP's
// "YYYY-MM-DD HH:MM:SS") and PostgreSQL's text output give. Linear, anchored.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** A timestamp as a database prints it → ISO UTC; one without a zone is UTC (as Prisma stores it). */
export function parseDbTimestamp(s: string): string {
  const m = TIMESTAMP.exec(s);
  if (!m) throw new ValueError(`not a timestamp: ${JSON.stringify(s.slice(0, 40))}`);
  const frac = (m[3] ?? ".000").slice(0, 4).padEnd(4, "0");
  let zone = m[4] ?? "Z";
  if (/^[+-]\d{2}$/.test(zone)) zone += ":00";
  else if (/^[+-]\d{4}$/.test(zone)) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}${frac}${zone}`);
  if (Number.isNaN(t)) throw new ValueError(`not a timestamp: ${JSON.stringify(s.slice(0, 40))}`);
  return new Date(t).toISOString();
}

const describe = (raw: unknown) => `${typeof raw} ${JSON.stringify(typeof raw === "bigint" ? raw.toString() : raw)?.slice(0, 40)}`;

/** A driver's value (better-sqlite3 with safe integers, or pg with raw timestamps) → portable. */
export function toPortable(type: ColumnType, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case "text":
      if (typeof raw === "string") return raw;
      break;
    case "int":
      if (typeof raw === "bigint" && raw <= BigInt(Number.MAX_SAFE_INTEGER) && raw >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(raw);
      if (typeof raw === "number" && Number.isSafeInteger(raw)) return raw;
      break;
    case "bigint":
      if (typeof raw === "bigint") return raw.toString();
      if (typeof raw === "string" && /^-?\d{1,20}$/.test(raw)) return raw;
      if (typeof raw === "number" && Number.isSafeInteger(raw)) return String(raw);
      break;
    case "float":
      if (typeof raw === "number") return Number.isFinite(raw) ? raw : String(raw);
      if (typeof raw === "bigint") return Number(raw);
      break;
    case "bool":
      if (typeof raw === "boolean") return raw;
      if (raw === 0n || raw === 0) return false;
      if (raw === 1n || raw === 1) return true;
      break;
    case "datetime":
      if (typeof raw === "string") return parseDbTimestamp(raw);
      if (typeof raw === "bigint" || typeof raw === "number") return new Date(Number(raw)).toISOString();
      if (raw instanceof Date && !Number.isNaN(raw.getTime())) return raw.toISOString();
      break;
  }
  throw new ValueError(`a ${type} column holds ${describe(raw)}`);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether `v` is a portable value of `type` (a backup file is checked cell by cell). */
export function isPortable(type: ColumnType, v: unknown): v is Value {
  if (v === null) return true;
  switch (type) {
    case "text":
      return typeof v === "string";
    case "int":
      return typeof v === "number" && Number.isSafeInteger(v);
    case "bigint":
      return typeof v === "string" && /^-?\d{1,20}$/.test(v);
    case "float":
      return (typeof v === "number" && Number.isFinite(v)) || v === "NaN" || v === "Infinity" || v === "-Infinity";
    case "bool":
      return typeof v === "boolean";
    case "datetime":
      return typeof v === "string" && ISO_UTC.test(v) && !Number.isNaN(Date.parse(v));
  }
}

/**
 * Portable → a better-sqlite3 parameter. DateTime as @prisma/adapter-better-sqlite3
 * writes it (its default "iso8601" format: toISOString with "+00:00"), so Prisma reads
 * restored rows exactly like its own.
 */
export function toSqliteParam(type: ColumnType, v: Value): string | number | bigint | null {
  if (v === null) return null;
  switch (type) {
    case "bool":
      return v ? 1 : 0;
    case "bigint":
      return BigInt(v as string);
    case "float":
      return typeof v === "string" ? Number(v) : (v as number);
    case "datetime":
      return (v as string).replace("Z", "+00:00");
    default:
      return v as string | number;
  }
}

/** Portable → a pg parameter (an element of the column's array in an unnest insert). */
export function toPostgresParam(type: ColumnType, v: Value): string | number | boolean | null {
  if (v === null) return null;
  if (type === "float" && typeof v === "string") return v; // 'NaN', 'Infinity' are float8 literals
  return v;
}
