import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { seedReferenceData } from "@/lib/db/seed";
import { aliasRows } from "@/lib/people/names";
import { FIXTURES } from "./helpers";

/** `npm run import` as a user runs it, against a temporary SQLite database. */
const ROOT = path.resolve(import.meta.dirname, "..", "..");
import { REAL_POST } from "../fixtures/minutes/real-post";

function run(args: string[], dbFile: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: "warn" },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function tableCounts(db: Db) {
  const [meetings, people, items, reviews, audits] = await Promise.all([
    db.meeting.count(),
    db.person.count(),
    db.actionItem.count(),
    db.review.count(),
    db.auditEvent.count(),
  ]);
  return { meetings, people, items, reviews, audits };
}

describe("npm run import", { timeout: 180_000 }, () => {
  let dir: string;
  let dbFile: string;
  let db: Db;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-cli-"));
    dbFile = path.join(dir, "cli.db");
    const config = { provider: "sqlite" as const, url: dbFile, display: "cli test" };
    await migrate(config, ROOT);
    db = createDb(config);
    await seedReferenceData(db);
    for (const [name, alias] of [
      ["Andrew Cooper", "Andrew"],
      ["Ian Jackson", "Ian"],
    ]) {
      await db.person.create({ data: { displayName: name, aliases: { create: aliasRows(name, alias) } } });
    }
  });
  afterAll(async () => {
    await db.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("--dry-run --json prints what would be imported and writes nothing", async () => {
    const before = await tableCounts(db);
    const r = run([REAL_POST, path.join(FIXTURES, "several.mbox"), "--dry-run", "--json"], dbFile);
    const out = JSON.parse(r.stdout);
    expect(out.dryRun).toBe(true);
    expect(out.messages.map((m: { file: string; status: string }) => [path.basename(m.file), m.status])).toEqual([
      ["2017-05-10-qemu-xenserver-xenproject-wg.txt", "would_import"],
      ["several.mbox", "would_import"],
      ["several.mbox", "error"],
      ["several.mbox", "skipped"],
      ["several.mbox", "would_import"],
    ]);
    const real = out.messages[0].minutes;
    expect(real).toMatchObject({
      title: "QEMU XenServer/XenProject Working group meeting 10th May 2017",
      date: "2017-05-10",
      headingDate: "2017-05-05",
      subjectDate: "2017-05-10",
      dateSource: "subject",
    });
    expect(real.attendees).toHaveLength(7);
    expect(real.attendees.slice(0, 3)).toEqual([
      { name: "Paul Durrant", person: null, create: "Paul Durrant" },
      { name: "Andrew Cooper", person: "Andrew Cooper", create: null },
      { name: "Ian Jackson", person: "Ian Jackson", create: null },
    ]);
    expect(real.reviews.map((x: { status: string; outcome: string }) => [x.status, x.outcome])).toEqual([
      ["done", "done"],
      ["no_progress", "no_progress"],
      ["no_progress", "no_progress"],
      ["in_progress", "progress"],
    ]);
    expect(
      real.actionItems.map((a: { owners: { person: string | null; create: string | null }[] }) => a.owners.map((o) => o.person ?? `new:${o.create}`)),
    ).toEqual([["Andrew Cooper"], ["new:Igor Druzhinin"], ["Ian Jackson"], ["new:Jenny Herbert"]]);
    expect(real.warnings.join("\n")).toMatch(/Dates disagree/);
    expect(out.messages[2].reason).toMatch(/^Message 2: /);
    expect(out.messages[3].reason).toMatch(/Not meeting minutes/);
    // One malformed mbox entry is bad input: reported, and the exit code says so.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/errors 1/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("without --dry-run imports, and a second run says already imported and changes nothing", async () => {
    const first = run([REAL_POST], dbFile);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^imported .*10th May 2017 \(2017-05-10\) → meeting \w+/m);
    expect(first.stdout).toMatch(/imported 1, already imported 0/);
    const after = await tableCounts(db);
    expect(after.meetings).toBe(1);
    const second = run([REAL_POST], dbFile);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already imported .*\(nothing changed\)/);
    expect(second.stdout).toMatch(/imported 0, already imported 1/);
    expect(await tableCounts(db)).toEqual(after);
  });

  it("bad input: a clear message and a non-zero exit, nothing written", async () => {
    const before = await tableCounts(db);
    const empty = path.join(dir, "empty.txt");
    fs.writeFileSync(empty, "\n\n");
    const prose = path.join(dir, "prose.txt");
    fs.writeFileSync(prose, "Hello all,\n\nthe meeting is moved to Thursday.\n\nPaul\n");
    const r = run([empty, prose], dbFile);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/empty\.txt: The input is empty/);
    expect(r.stdout).toMatch(/skipped .*prose\.txt: Not meeting minutes/);
    const missing = run([path.join(dir, "nope.txt")], dbFile);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.txt: no such file/);
    const none = run([], dbFile);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: npm run import/);
    expect(await tableCounts(db)).toEqual(before);
  });

  it("a dry run does not create a database that is not there", () => {
    const absent = path.join(dir, "absent", "none.db");
    const r = run([REAL_POST, "--dry-run", "--json"], absent);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).totals.wouldImport).toBe(1);
    expect(fs.existsSync(absent)).toBe(false);
  });
});
