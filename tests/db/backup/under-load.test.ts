import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, restoreBackup } from "@/lib/backup/commands";
import { createDb, type Db } from "@/lib/db/client";
import type { DbConfig } from "@/lib/db/config";
import { seedReferenceData } from "@/lib/db/seed";
import { aliasRows } from "@/lib/people/names";
import { generateMeetingsData } from "../../../bench/meetings-data";
import { emptyTestDb, setupTestDb, testProvider, type TestDb } from "../harness";
import { ROOT } from "./fixtures";

/**
 * A backup taken while another process writes in a loop (each write: a meeting, two items,
 * their owners and audit events, in one transaction). The restore must be consistent
 * (every write whole or absent, foreign keys hold) and hold exactly the first k writes.
 */
class Writer {
  readonly proc: ChildProcess;
  written = -1;
  private waiters: { n: number; resolve: () => void }[] = [];
  readonly exited: Promise<number | null>;
  stderr = "";

  constructor(config: DbConfig) {
    this.proc = spawn(process.execPath, ["--import", "tsx", "tests/db/backup/writer.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: config.provider === "sqlite" ? `file:${config.url}` : config.url, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buf = "";
    this.proc.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) this.written = Number(l);
      this.waiters = this.waiters.filter((w) => (this.written >= w.n ? (w.resolve(), false) : true));
    });
    this.proc.stderr!.setEncoding("utf8").on("data", (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.proc.on("exit", (code) => resolve(code)));
  }

  /** Resolves once write n has committed (the writer prints after each commit). */
  until(n: number): Promise<void> {
    if (this.written >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ n, resolve });
      void this.exited.then(() => reject(new Error(`writer exited at ${this.written}: ${this.stderr}`)));
    });
  }
}

describe(`backup of ${testProvider()} while a writer inserts`, () => {
  let src: TestDb;
  let dst: { config: DbConfig; cleanup: () => Promise<void> };
  let restored: Db;
  let writer: Writer;
  let dir: string;
  const seen = { beforeBackup: 0, afterBackup: 0 };

  beforeAll(async () => {
    src = await setupTestDb();
    await seedReferenceData(src.db);
    await src.db.series.create({ data: { name: "Writer", slug: "writer" } });
    for (const [name, alias] of [
      ["Paul Durrant", "Paul"],
      ["Andrew Cooper", "Andrew"],
    ]) {
      await src.db.person.create({ data: { displayName: name, aliases: { create: aliasRows(name, alias) } } });
    }
    // Enough rows that the backup takes a while next to the writer.
    await generateMeetingsData(src.db, { meetings: 500, items: 5000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-backup-load-"));
    writer = new Writer(src.config);
    await writer.until(20);
    seen.beforeBackup = writer.written + 1; // writes 0..written have committed
    const file = path.join(dir, "under-load.jsonl.gz");
    await backupDatabase(src.config, file);
    seen.afterBackup = writer.written + 1;
    await writer.until(seen.afterBackup + 10); // the writer was never blocked for good
    writer.proc.kill("SIGTERM");
    expect(await writer.exited).toBe(0);
    dst = await emptyTestDb(src.provider);
    await restoreBackup(file, dst.config, { root: ROOT });
    restored = createDb(dst.config);
  }, 240_000);
  afterAll(async () => {
    writer?.proc.kill("SIGKILL");
    await restored?.$disconnect();
    await dst?.cleanup();
    await src?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("holds a prefix of the writes: 0 … k-1, k between the writes seen before and after the backup", async () => {
    const titles = (await restored.meeting.findMany({ where: { title: { startsWith: "writer " } }, select: { title: true } })).map((m) =>
      Number(m.title.slice("writer ".length)),
    );
    const k = titles.length;
    expect(titles.sort((a, b) => a - b)).toEqual(Array.from({ length: k }, (_, i) => i));
    expect(k).toBeGreaterThanOrEqual(seen.beforeBackup);
    expect(k).toBeLessThanOrEqual(seen.afterBackup + 1); // at most one commit not yet printed
    // The source went on: the backup is a moment, not the end.
    expect(await src.db.meeting.count({ where: { title: { startsWith: "writer " } } })).toBeGreaterThan(k);
  });

  it("no torn writes: every restored write has its items, owners, attendee and audit events", async () => {
    const meetings = await restored.meeting.findMany({
      where: { title: { startsWith: "writer " } },
      include: { attendees: true, itemsCreated: { include: { owners: true } } },
    });
    expect(meetings.length).toBeGreaterThan(0);
    for (const m of meetings) {
      const n = m.title.slice("writer ".length);
      expect(m.attendees, m.title).toHaveLength(1);
      expect(m.itemsCreated.map((i) => i.text).sort(), m.title).toEqual([`Andrew to check ${n}`, `Paul to write ${n}`]);
      for (const i of m.itemsCreated) expect(i.owners, i.text).toHaveLength(1);
    }
    const events = await restored.auditEvent.count({ where: { actorId: "writer" } });
    expect(events).toBe(meetings.length * 3);
  });

  it("foreign keys hold in the restored database", async () => {
    if (dst.config.provider === "sqlite") {
      const db = new Database(dst.config.url, { readonly: true });
      try {
        expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      } finally {
        db.close();
      }
    } else {
      // PostgreSQL checked every row on insert; no constraint was left unvalidated.
      const rows = await restored.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM pg_constraint WHERE contype = 'f' AND NOT convalidated`);
      expect(Number(rows[0].n)).toBe(0);
      const fks = await restored.$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM pg_constraint WHERE contype = 'f'`);
      expect(Number(fks[0].n)).toBeGreaterThan(10);
    }
  });
});
