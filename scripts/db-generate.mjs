#!/usr/bin/env node
// One schema, two providers. prisma/schema.prisma (SQLite) is the source of truth;
// this script derives the PostgreSQL schema, generates both Prisma clients, writes
// new migrations for both providers, and (--check) proves nothing has drifted.
//
//   node scripts/db-generate.mjs               derive + generate both clients
//   node scripts/db-generate.mjs --new NAME    also write migration NNNN_NAME for both providers
//   node scripts/db-generate.mjs --check       fail if a migration or the schema drifted
//
// Layout: prisma/migrations/<provider>/<NNNN_name>/migration.sql, plus the source
// schema as it stood after each migration in prisma/migrations/history/<NNNN_name>.prisma,
// so each migration can be regenerated and compared. Provider-specific SQL that Prisma
// cannot express (full-text search) lives in prisma/extra/<provider>/<NNNN_name>.sql and
// is appended to that migration.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const SOURCE = path.join(root, "prisma", "schema.prisma");
const MIGRATIONS = path.join(root, "prisma", "migrations");
const HISTORY = path.join(MIGRATIONS, "history");
const EXTRA = path.join(root, "prisma", "extra");
const PROVIDERS = ["sqlite", "postgresql"];
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");

/** The schema text for a provider, derived from the SQLite source. */
export function deriveSchema(source, provider, outputDir) {
  let text = source;
  if (provider === "postgresql") text = text.replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
  if (outputDir) text = text.replace(/output\s*=\s*"[^"]*"/, `output     = "${outputDir}"`);
  return text;
}

function prisma(args, provider) {
  return execFileSync(prismaBin, args, {
    cwd: root,
    env: {
      ...process.env,
      DMBOARD_PRISMA_PROVIDER: provider,
      DATABASE_URL: provider === "postgresql" ? "postgresql://postgres@127.0.0.1:5432/test" : "file:./data/dmboard.db",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-schema-"));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));

function tempSchema(text, provider, name) {
  const file = path.join(tmp, `${name}.${provider}.prisma`);
  fs.writeFileSync(file, deriveSchema(text, provider));
  return file;
}

/** SQL that takes a database from `fromText` (null = empty) to `toText` for one provider. */
function diffSql(fromText, toText, provider, name) {
  const to = tempSchema(toText, provider, `${name}-to`);
  const from = fromText === null ? ["--from-empty"] : ["--from-schema-datamodel", tempSchema(fromText, provider, `${name}-from`)];
  const sql = prisma(["migrate", "diff", ...from, "--to-schema-datamodel", to, "--script"], provider);
  // Prisma prints a notice before the SQL when a config file is loaded; keep the SQL only.
  const body = sql.replace(/^Loaded Prisma config.*\n/m, "").trim();
  const extraFile = path.join(EXTRA, provider, `${name}.sql`);
  const extra = fs.existsSync(extraFile) ? `\n\n-- Provider-specific (prisma/extra/${provider}/${name}.sql)\n${fs.readFileSync(extraFile, "utf8").trim()}` : "";
  return `${body}${extra}\n`;
}

function migrationNames() {
  if (!fs.existsSync(HISTORY)) return [];
  return fs
    .readdirSync(HISTORY)
    .filter((f) => f.endsWith(".prisma"))
    .map((f) => f.slice(0, -".prisma".length))
    .sort();
}

function generateClients() {
  const source = fs.readFileSync(SOURCE, "utf8");
  fs.mkdirSync(path.join(root, "generated"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "generated", "schema.postgres.prisma"),
    "// GENERATED from prisma/schema.prisma by scripts/db-generate.mjs: do not edit.\n" + deriveSchema(source, "postgresql", "./postgres"),
  );
  prisma(["generate"], "sqlite");
  prisma(["generate"], "postgresql");
}

function writeNewMigration(label) {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error("migration name: lower-case letters, digits and _ only");
  const names = migrationNames();
  const source = fs.readFileSync(SOURCE, "utf8");
  const prev = names.length ? fs.readFileSync(path.join(HISTORY, `${names.at(-1)}.prisma`), "utf8") : null;
  const name = `${String(names.length + 1).padStart(4, "0")}_${label}`;
  // A migration may consist of provider-specific SQL alone (triggers, functions): the schema
  // stays, and the other provider gets an empty migration of the same name.
  const extra = PROVIDERS.some((p) => fs.existsSync(path.join(EXTRA, p, `${name}.sql`)));
  if (prev === source && !extra) {
    console.log(`schema unchanged since the last migration and no prisma/extra/<provider>/${name}.sql: nothing to write`);
    return;
  }
  for (const provider of PROVIDERS) {
    const dir = path.join(MIGRATIONS, provider, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), diffSql(prev, source, provider, name));
    console.log(`wrote prisma/migrations/${provider}/${name}/migration.sql`);
  }
  fs.mkdirSync(HISTORY, { recursive: true });
  fs.writeFileSync(path.join(HISTORY, `${name}.prisma`), source);
}

function check() {
  const problems = [];
  const names = migrationNames();
  const source = fs.readFileSync(SOURCE, "utf8");
  if (!names.length) problems.push("no migrations at all");
  else if (fs.readFileSync(path.join(HISTORY, `${names.at(-1)}.prisma`), "utf8") !== source)
    problems.push("prisma/schema.prisma changed since the last migration: run `npm run db:generate -- --new <name>`");
  let prev = null;
  for (const name of names) {
    const text = fs.readFileSync(path.join(HISTORY, `${name}.prisma`), "utf8");
    for (const provider of PROVIDERS) {
      const file = path.join(MIGRATIONS, provider, name, "migration.sql");
      if (!fs.existsSync(file)) {
        problems.push(`${provider}: missing ${name}`);
        continue;
      }
      if (fs.readFileSync(file, "utf8") !== diffSql(prev, text, provider, name))
        problems.push(`${provider}: ${name}/migration.sql differs from what its schema generates`);
    }
    prev = text;
  }
  for (const provider of PROVIDERS) {
    const dir = path.join(MIGRATIONS, provider);
    for (const d of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (!names.includes(d)) problems.push(`${provider}: ${d} has no schema history`);
  }
  if (problems.length) {
    console.error("Schema drift:\n  " + problems.join("\n  "));
    process.exit(1);
  }
  console.log(`schema and ${names.length} migration(s) agree for ${PROVIDERS.join(" and ")}`);
}

const args = process.argv.slice(2);
if (args[0] === "--check") check();
else {
  generateClients();
  if (args[0] === "--new") writeNewMigration(args[1] ?? "");
}
