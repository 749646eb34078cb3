import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, restoreBackup } from "@/lib/backup/commands";
import { verifyBackup } from "@/lib/backup/format";
import { createDb, type Db } from "@/lib/db/client";
import type { DbConfig, Provider } from "@/lib/db/config";
import { loadMigrations, migrate } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { search } from "@/lib/search/search";
import { emptyTestDb, setupTestDb, testProvider, type TestDb } from "../harness";
import { expectSameRecord, ROOT, seedRecord } from "./fixtures";

/** A backup of the run's provider, restored into both; and every way a restore must refuse. */
const other = (p: Provider): Provider => (p === "sqlite" ? "postgresql" : "sqlite");

const gunzip = (file: string) => zlib.gunzipSync(fs.readFileSync(file)).toString("utf8").split("\n").filter(Boolean);
const gzipTo = (file: string, lines: string[]) => fs.writeFileSync(file, zlib.gzipSync(lines.join("\n") + "\n"));
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function cli(script: string, args: string[], config: DbConfig) {
  const r = spawnSync(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: config.provider === "sqlite" ? `file:${config.url}` : config.url, LOG_LEVEL: "warn" },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe(`backup of ${testProvider()}, restore`, () => {
  let src: TestDb;
  let dir: string;
  let file: string;
  const targets: { config: DbConfig; cleanup: () => Promise<void> }[] = [];
  const clients: Db[] = [];
  const target = async (provider: Provider) => {
    const t = await emptyTestDb(provider);
    targets.push(t);
    return t.config;
  };
  const open = (config: DbConfig) => {
    const db = createDb(config);
    clients.push(db);
    return db;
  };

  beforeAll(async () => {
    src = await setupTestDb();
    await seedRecord(src, { meetings: 200, items: 1000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-backup-"));
    file = path.join(dir, "record.jsonl.gz");
    const r = cli("backup", [file], src.config);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tables, \d+ rows/);
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) await c.$disconnect();
    for (const t of targets) await t.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
    await src.cleanup();
  });

  it("writes the file readable by its owner only, with the schema version inside and no sessions", async () => {
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const v = await verifyBackup(file);
    expect(v.header.migrations).toEqual(loadMigrations(src.provider, ROOT).map((m) => m.name));
    expect(v.header.provider).toBe(src.provider);
    expect(v.tables.map((t) => t.name)).not.toContain("session");
    expect(v.tables.find((t) => t.name === "account")?.rows).toBe(3);
    expect(fs.readdirSync(dir)).toEqual(["record.jsonl.gz"]); // no temporary file left
  });

  for (const kind of ["same", "other"] as const) {
    it(`restores into an empty ${kind === "same" ? testProvider() : other(testProvider())} database: every table equal, search works`, async () => {
      const config = await target(kind === "same" ? src.provider : other(src.provider));
      const r = cli("restore", [file], config);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/restored and verified: \d+ tables/);
      const db = open(config);
      await expectSameRecord(src.db, db);
      expect((await search("physmap", {}, db)).length).toBeGreaterThan(0);
    });
  }

  it("refuses a non-empty target and leaves it as it was", async () => {
    const config = await target(other(src.provider));
    await restoreBackup(file, config, { root: ROOT });
    const db = open(config);
    await db.meeting.deleteMany({ where: { id: { startsWith: "bm" } } });
    const before = await db.meeting.count();
    const r = cli("restore", [file], config);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/restore refused: .* is not empty: .*Meeting \(\d+\).*create a new one/);
    expect(await db.meeting.count()).toBe(before);
  });

  it("refuses a target that holds only reference data (a server started on it once)", async () => {
    const config = await target(src.provider);
    await migrate(config, ROOT);
    await seedReferenceData(open(config));
    await expect(restoreBackup(file, config, { root: ROOT })).rejects.toMatchObject({ code: "NOT_EMPTY", message: expect.stringMatching(/Topic \(\d+\)/) });
  });

  it("refuses a backup from a newer schema, with what to do", async () => {
    const lines = gunzip(file);
    const header = JSON.parse(lines[0]);
    header.migrations.push("9999_from_the_future");
    lines[0] = JSON.stringify(header);
    const trailer = JSON.parse(lines.at(-1)!);
    lines[lines.length - 1] = JSON.stringify({ ...trailer, header: sha256(lines[0]) });
    const newer = path.join(dir, "newer.jsonl.gz");
    gzipTo(newer, lines);
    const config = await target(src.provider);
    const r = cli("restore", [newer], config);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/restore refused: the backup is from a newer dmboard: its schema has 9999_from_the_future.*Upgrade dmboard/);
    if (config.provider === "sqlite") expect(fs.existsSync(config.url)).toBe(false);
  });

  it("refuses a corrupted file (a changed row fails its table's checksum) and loads nothing", async () => {
    const lines = gunzip(file);
    const i = lines.findIndex((l) => l.startsWith("[") && l.includes("physmap"));
    lines[i] = lines[i].replace("physmap", "fizzmap");
    const bad = path.join(dir, "changed.jsonl.gz");
    gzipTo(bad, lines);
    await expect(verifyBackup(bad)).rejects.toMatchObject({ code: "CORRUPT" });
    const config = await target(other(src.provider));
    await expect(restoreBackup(bad, config, { root: ROOT })).rejects.toMatchObject({
      code: "CORRUPT",
      message: expect.stringMatching(/do not match their checksum/),
    });
    if (config.provider === "postgresql") {
      const db = open(config);
      // All or nothing: not even the migrations stayed.
      expect(await db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_tables WHERE tablename = 'Meeting'`)).toEqual([]);
    } else expect(fs.existsSync(config.url)).toBe(false);
  });

  it("refuses a truncated file, a damaged gzip stream, and a file that is not a backup", async () => {
    const bytes = fs.readFileSync(file);
    const cut = path.join(dir, "cut.jsonl.gz");
    gzipTo(cut, gunzip(file).slice(0, -5));
    await expect(verifyBackup(cut)).rejects.toMatchObject({ code: "CORRUPT", message: expect.stringMatching(/truncated/) });
    const flipped = path.join(dir, "flipped.jsonl.gz");
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)] ^= 0xff;
    fs.writeFileSync(flipped, copy);
    await expect(verifyBackup(flipped)).rejects.toMatchObject({ code: "CORRUPT" });
    const other = path.join(dir, "notes.txt");
    fs.writeFileSync(other, "hello\n");
    const r = cli("restore", [other], await target(src.provider));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is not a dmboard backup/);
  });

  it("never overwrites an existing file", async () => {
    const r = cli("backup", [file], src.config);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already exists/);
    await expect(backupDatabase(src.config, file)).rejects.toMatchObject({ code: "EXISTS" });
  });
});
