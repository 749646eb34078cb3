/**
 * `npm run import -- FILE... [--series SLUG] [--dry-run] [--json]`
 *
 * Imports minutes (archive .txt, .eml, mbox) the way the browser does: decode →
 * preview against the database → commit, one transaction per message. `--dry-run`
 * prints what would be imported and writes nothing (not even a new database file:
 * without one it previews against a throwaway copy with the reference data).
 * Exit codes: 0 all good; 1 some input was refused or a message failed; 2 usage.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDb, createDb, getDb, type Db } from "@/lib/db/client";
import { resolveDbConfig, type DbConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { importFiles, type ImportReport, type ReportMessage } from "@/lib/minutes/server";
import { MAX_INPUT_BYTES } from "@/lib/minutes/input";

const ROOT = path.resolve(import.meta.dirname, "..");
const USAGE = "usage: npm run import -- FILE... [--series SLUG] [--dry-run] [--json]";

class UsageError extends Error {}

function readFiles(names: string[]): { name: string; bytes: Buffer }[] {
  return names.map((name) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(name);
    } catch (err) {
      throw new UsageError(`cannot read ${name}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
    }
    if (!st.isFile()) throw new UsageError(`cannot read ${name}: not a file`);
    // decodeInput refuses anything over MAX_INPUT_BYTES with its size; far beyond, do not even read it.
    if (st.size > 16 * MAX_INPUT_BYTES)
      throw new UsageError(`${name} is ${(st.size / 2 ** 20).toFixed(0)} MB; the limit is ${(MAX_INPUT_BYTES / 2 ** 20).toFixed(0)} MB`);
    return { name, bytes: fs.readFileSync(name) };
  });
}

/** A dry run must not create the database: without one, preview against a temporary copy. */
async function dryRunDb(config: DbConfig): Promise<{ db: Db; note: string | null; done: () => Promise<void> }> {
  if (config.provider === "postgresql" || fs.existsSync(config.url)) {
    const db = createDb(config);
    return { db, note: null, done: () => db.$disconnect() };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-import-dry-"));
  const temp: DbConfig = { provider: "sqlite", url: path.join(dir, "dry.db"), display: "temporary" };
  await migrate(temp, ROOT);
  const db = createDb(temp);
  await seedReferenceData(db);
  return {
    db,
    note: `no database at ${config.display}: previewed against an empty one (no people, no open items)`,
    done: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function line(m: ReportMessage): string {
  const where = `${m.file}${m.index > 0 || m.status === "error" ? ` message ${m.index + 1}` : ""}`;
  const what = m.subject ? ` "${m.subject}"` : "";
  switch (m.status) {
    case "imported":
      return `imported          ${where}: ${m.reason} → meeting ${m.meetingId}`;
    case "already_imported":
      return `already imported  ${where}${what} → meeting ${m.meetingId} (nothing changed)`;
    case "would_import": {
      const s = m.minutes!;
      const owners = s.actionItems.map((a) => `${a.owners.map((o) => o.person ?? `${o.create} (new)`).join(", ") || "nobody"}: ${a.text}`);
      return [
        `would import      ${where}: ${s.title} (${s.date})`,
        `  attendees: ${s.attendees.map((a) => a.person ?? `${a.create} (new)`).join(", ")}`,
        ...s.reviews.map((r) => `  reviewed: ${r.text} → ${r.outcome}${r.item ? ` [item: ${r.item}]` : " [new item]"}`),
        ...owners.map((o) => `  action: ${o}`),
        ...s.warnings.map((w) => `  warning: ${w}`),
      ].join("\n");
    }
    case "duplicate":
      return `duplicate         ${where}${what}: ${m.reason}`;
    case "skipped":
      return `skipped           ${where}${what}: ${m.reason}`;
    default:
      return `error             ${where}${what}: ${m.reason}`;
  }
}

function summary(r: ImportReport): string {
  const t = r.totals;
  const head = r.dryRun ? `would import ${t.wouldImport}` : `imported ${t.imported}`;
  return `${head}, already imported ${t.alreadyImported}, duplicates ${t.duplicates}, skipped ${t.skipped}, errors ${t.errors}${r.dryRun ? " (dry run: nothing written)" : ""}`;
}

/** Bad input: a refused file, a failed message, or a file in which no message was minutes. */
function failed(r: ImportReport): boolean {
  if (r.totals.errors > 0) return true;
  return r.files.some((f) => !r.messages.some((m) => m.file === f.file && ["imported", "already_imported", "would_import", "duplicate"].includes(m.status)));
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        series: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!positionals.length) throw new UsageError(`no files given\n${USAGE}`);
  const files = readFiles(positionals);
  const config = resolveDbConfig();
  const dryRun = values["dry-run"];

  let db: Db;
  let done: () => Promise<void>;
  let note: string | null = null;
  if (dryRun) {
    ({ db, note, done } = await dryRunDb(config));
  } else {
    await migrate(config, ROOT);
    db = getDb();
    await seedReferenceData(db);
    done = closeDb;
  }
  try {
    const actor = { userId: null, label: `cli:${os.userInfo().username}` };
    const report = await importFiles(
      files,
      {
        seriesSlug: values.series ?? null,
        dryRun,
        actor,
        onMessage: values.json ? undefined : (m) => (m.status === "error" ? console.error(line(m)) : console.log(line(m))),
      },
      db,
    );
    if (values.json) console.log(JSON.stringify({ ...report, note }, null, 2));
    else {
      if (note) console.error(`note: ${note}`);
      for (const f of report.files) if (f.error) console.error(`error             ${f.file}: ${f.error}`);
      console.log(summary(report));
    }
    if (failed(report)) {
      if (values.json) console.error(`import: ${summary(report)}`);
      return 1;
    }
    return 0;
  } finally {
    await done();
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(`import: ${(err as Error).message}`);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  });
