/**
 * The backup file: one portable format that both engines write and read, gzip-compressed
 * JSON lines.
 *
 *   {"dmboard":"backup","format":1,"createdAt":…,"provider":"sqlite","migrations":["0001_init"],"omitted":["session",…]}
 *   {"table":"Meeting","columns":[["body","text"],["date","datetime"],…]}     per table, parents first
 *   ["…","2017-05-10T00:00:00.000Z",…]                                          one line per row, primary key order
 *   {"end":"Meeting","rows":1234,"sha256":"…"}                                  count and checksum of those lines
 *   {"complete":true,"tables":22,"header":"<sha256 of the first line>"}         last line: nothing was cut off
 *
 * Values are portable (values.ts), columns in name order. Written to a temporary file
 * created with mode 0600 (it holds password and API token hashes), synced, then renamed:
 * a backup that exists is whole.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { OMITTED_TABLES } from "./catalog";
import { BackupError } from "./errors";
import { rowLine, TableDigest, type Source, type SourceTable, type TableSum } from "./source";
import { COLUMN_TYPES, type ColumnType, type Value } from "./values";

export const FORMAT = 1;

export interface BackupHeader {
  dmboard: "backup";
  format: number;
  createdAt: string;
  provider: string;
  migrations: string[];
  omitted: string[];
}

export interface BackupSummary {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  provider: string;
  migrations: string[];
  omitted: string[];
}

/** Writes `source` to `file` (which must not exist yet). */
export async function writeBackup(source: Source, file: string, now = new Date()): Promise<BackupSummary> {
  if (fs.existsSync(file)) throw new BackupError("EXISTS", `${file} already exists; choose another name (a backup never overwrites a file)`);
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.partial`);
  const header: BackupHeader = {
    dmboard: "backup",
    format: FORMAT,
    createdAt: now.toISOString(),
    provider: source.provider,
    migrations: source.migrations,
    omitted: Object.keys(OMITTED_TABLES),
  };
  const headerLine = JSON.stringify(header);
  const gzip = zlib.createGzip({ level: 6 });
  const out = fs.createWriteStream(tmp, { flags: "wx", mode: 0o600 });
  const done = pipeline(gzip, out);
  done.catch(() => {}); // awaited below; an early failure must not be unhandled meanwhile
  const write = async (text: string) => {
    if (!gzip.write(text)) await Promise.race([once(gzip, "drain"), done]);
  };
  let tables = 0;
  let rows = 0;
  try {
    await write(headerLine + "\n");
    for await (const t of source.tables()) {
      await write(JSON.stringify({ table: t.name, columns: t.columns.map((c) => [c.name, c.type]) }) + "\n");
      for await (const batch of t.batches) {
        await write(batch.map((r) => rowLine(r) + "\n").join(""));
        rows += batch.length;
      }
      const sum = t.expected();
      await write(JSON.stringify({ end: t.name, rows: sum.rows, sha256: sum.sha256 }) + "\n");
      tables++;
    }
    gzip.end(JSON.stringify({ complete: true, tables, header: sha256(headerLine) }) + "\n");
    await done;
    const fd = fs.openSync(tmp, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    gzip.destroy();
    await done.catch(() => {});
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { file, bytes: fs.statSync(file).size, tables, rows, provider: source.provider, migrations: source.migrations, omitted: header.omitted };
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** No line of a backup comes near this (a meeting's Markdown is bounded far below). */
const MAX_LINE = 64 * 1024 * 1024;
const BATCH = 1000;

/** Lines of a (gzipped or plain) file; a damaged gzip stream is a clear CORRUPT error. */
async function* lines(file: string): AsyncGenerator<string> {
  const fd = fs.openSync(file, "r");
  const magic = Buffer.alloc(2);
  const n = fs.readSync(fd, magic, 0, 2, 0);
  fs.closeSync(fd);
  const input = fs.createReadStream(file);
  const gz = n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const stream = gz ? input.pipe(zlib.createGunzip()) : input;
  if (gz) input.on("error", (err) => stream.destroy(err));
  stream.setEncoding("utf8");
  let rest = "";
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      yield* parts;
      if (rest.length > MAX_LINE) throw new BackupError("CORRUPT", `${file}: a line longer than ${MAX_LINE / 2 ** 20} MB; not a dmboard backup, or damaged`);
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_")) throw new BackupError("CORRUPT", `${file} is damaged (gzip: ${(err as Error).message}); nothing was loaded`);
    throw err;
  } finally {
    stream.destroy();
  }
  if (rest.length) yield rest;
}

function parse(line: string, file: string, lineNo: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new BackupError("CORRUPT", `${file}, line ${lineNo}: not valid JSON; the file is damaged`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface BackupFile extends Source {
  header: BackupHeader;
  close(): Promise<void>;
}

/**
 * Opens a backup for reading: checks the header now, and every table's count and
 * checksum (and the last line) as its rows are read.
 */
export async function openBackup(file: string): Promise<BackupFile> {
  if (!fs.existsSync(file)) throw new BackupError("NOT_A_BACKUP", `no file at ${file}`);
  const it = lines(file);
  let lineNo = 0;
  const next = async (): Promise<string | null> => {
    const r = await it.next();
    if (r.done) return null;
    lineNo++;
    return r.value;
  };
  const first = await next();
  const header =
    first === null
      ? null
      : (() => {
          try {
            return JSON.parse(first) as unknown;
          } catch {
            return null;
          }
        })();
  if (!isObject(header) || header.dmboard !== "backup") {
    await it.return(undefined);
    throw new BackupError("NOT_A_BACKUP", `${file} is not a dmboard backup (written by \`npm run backup\`)`);
  }
  if (typeof header.format !== "number" || header.format > FORMAT) {
    await it.return(undefined);
    throw new BackupError(
      "NEWER_SCHEMA",
      `${file} was written by a newer dmboard (backup format ${String(header.format)}; this version reads format ${FORMAT}). Upgrade dmboard, then restore.`,
    );
  }
  if (!Array.isArray(header.migrations) || !header.migrations.every((m) => typeof m === "string") || typeof header.provider !== "string") {
    await it.return(undefined);
    throw new BackupError("CORRUPT", `${file}: the header is damaged`);
  }
  const headerSum = sha256(first!);
  const h = header as unknown as BackupHeader;

  async function* tables(): AsyncGenerator<SourceTable> {
    let count = 0;
    for (;;) {
      const line = await next();
      if (line === null) throw new BackupError("CORRUPT", `${file} is truncated (it ends after ${count} tables, without its last line); nothing was loaded`);
      const ctl = parse(line, file, lineNo);
      if (isObject(ctl) && ctl.complete === true) {
        if (ctl.tables !== count || ctl.header !== headerSum)
          throw new BackupError("CORRUPT", `${file}: the last line does not match the header or the tables read; the file is damaged`);
        if ((await next()) !== null) throw new BackupError("CORRUPT", `${file}: data after the last line; the file is damaged`);
        return;
      }
      if (!isObject(ctl) || typeof ctl.table !== "string" || !Array.isArray(ctl.columns))
        throw new BackupError("CORRUPT", `${file}, line ${lineNo}: expected a table; the file is damaged`);
      const name = ctl.table;
      const columns = ctl.columns.map((c) => {
        if (!Array.isArray(c) || typeof c[0] !== "string" || !COLUMN_TYPES.includes(c[1]))
          throw new BackupError("CORRUPT", `${file}, line ${lineNo}: table ${name} has a damaged column list`);
        return { name: c[0] as string, type: c[1] as ColumnType };
      });
      let sum: TableSum | null = null;
      async function* batches(): AsyncGenerator<Value[][]> {
        let batch: Value[][] = [];
        for (;;) {
          const l = await next();
          if (l === null) throw new BackupError("CORRUPT", `${file} is truncated (inside table ${name}); nothing was loaded`);
          const v = parse(l, file, lineNo);
          if (Array.isArray(v)) {
            batch.push(v as Value[]);
            if (batch.length >= BATCH) {
              yield batch;
              batch = [];
            }
            continue;
          }
          if (!isObject(v) || v.end !== name || typeof v.rows !== "number" || typeof v.sha256 !== "string")
            throw new BackupError("CORRUPT", `${file}, line ${lineNo}: expected a row or the end of table ${name}; the file is damaged`);
          sum = { rows: v.rows, sha256: v.sha256 };
          if (batch.length) yield batch;
          return;
        }
      }
      yield {
        name,
        columns,
        batches: batches(),
        expected: () => {
          if (!sum) throw new BackupError("CORRUPT", `${file}: table ${name} was not read to its end`);
          return sum;
        },
      };
      count++;
    }
  }

  return {
    header: h,
    provider: h.provider === "postgresql" ? "postgresql" : "sqlite",
    migrations: h.migrations,
    tables,
    close: async () => {
      await it.return(undefined);
    },
  };
}

/** Reads a whole backup and checks every table's checksum, without a database. */
export async function verifyBackup(file: string): Promise<{ header: BackupHeader; tables: ({ name: string } & TableSum)[] }> {
  const b = await openBackup(file);
  const out: ({ name: string } & TableSum)[] = [];
  try {
    for await (const t of b.tables()) {
      const d = new TableDigest();
      for await (const batch of t.batches) for (const row of batch) d.add(rowLine(row));
      const got = d.result();
      const want = t.expected();
      if (got.rows !== want.rows || got.sha256 !== want.sha256)
        throw new BackupError(
          "CORRUPT",
          `${file}: table ${t.name} does not match its checksum (${got.rows} rows read, ${want.rows} recorded); the file is damaged`,
        );
      out.push({ name: t.name, ...got });
    }
  } finally {
    await b.close();
  }
  return { header: b.header, tables: out };
}
