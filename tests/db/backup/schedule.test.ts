import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openConn } from "@/lib/backup/conn";
import { verifyBackup } from "@/lib/backup/format";
import {
  backupStatus,
  listBackups,
  runScheduledBackup,
  scheduleSetting,
  startBackupSchedule,
  stopBackupSchedule,
  type ScheduleConfig,
} from "@/lib/backup/schedule";
import { seedReferenceData } from "@/lib/db/seed";
import { setupTestDb, testProvider, useAsProcessDb, type TestDb } from "../harness";

const H = 3_600_000;

describe("scheduled backup settings", () => {
  const sqlite = { provider: "sqlite" as const, url: "/srv/dmboard/dmboard.db", display: "x" };
  const postgres = { provider: "postgresql" as const, url: "postgresql://x@y/z", display: "x" };
  const env = (e: Record<string, string>) => ({
    ...process.env,
    DMBOARD_DATA_DIR: "/srv/dmboard",
    DMBOARD_BACKUP_EVERY: "",
    DMBOARD_BACKUP_KEEP: "",
    DMBOARD_BACKUP_DIR: "",
    ...e,
  });

  it("are on by default for SQLite: daily, keep 7, in <DMBOARD_DATA_DIR>/backups", () => {
    expect(scheduleSetting(env({}), sqlite)).toEqual({ on: true, schedule: { everyMs: 24 * H, keep: 7, dir: "/srv/dmboard/backups" } });
  });

  it("are off by default on PostgreSQL, and on when asked", () => {
    expect(scheduleSetting(env({}), postgres)).toMatchObject({ on: false, reason: expect.stringMatching(/PostgreSQL/) });
    expect(scheduleSetting(env({ DMBOARD_BACKUP_EVERY: "6h", DMBOARD_BACKUP_KEEP: "3", DMBOARD_BACKUP_DIR: "/backups" }), postgres)).toEqual({
      on: true,
      schedule: { everyMs: 6 * H, keep: 3, dir: "/backups" },
    });
  });

  it("say why when set wrong, instead of guessing", () => {
    expect(scheduleSetting(env({ DMBOARD_BACKUP_EVERY: "off" }), sqlite)).toEqual({ on: false, reason: "DMBOARD_BACKUP_EVERY=off" });
    expect(scheduleSetting(env({ DMBOARD_BACKUP_EVERY: "daily" }), sqlite)).toMatchObject({
      on: false,
      error: true,
      reason: expect.stringMatching(/"daily" is not a duration/),
    });
    expect(scheduleSetting(env({ DMBOARD_BACKUP_EVERY: "1m" }), sqlite)).toMatchObject({ on: false, error: true });
    expect(scheduleSetting(env({ DMBOARD_BACKUP_KEEP: "0" }), sqlite)).toMatchObject({
      on: false,
      error: true,
      reason: expect.stringMatching(/DMBOARD_BACKUP_KEEP/),
    });
  });
});

describe(`scheduled backups of ${testProvider()}`, () => {
  let t: TestDb;
  let undo: () => Promise<void>;
  let schedule: ScheduleConfig;
  beforeAll(async () => {
    t = await setupTestDb();
    await seedReferenceData(t.db);
    undo = await useAsProcessDb(t); // DATABASE_URL and a temporary DMBOARD_DATA_DIR
    schedule = { everyMs: H, keep: 2, dir: path.join(process.env.DMBOARD_DATA_DIR!, "backups") };
  });
  afterAll(async () => {
    await stopBackupSchedule();
    await undo();
    await t.cleanup();
  });

  it("keeps the newest N, each readable by its owner only, in a directory of its own", async () => {
    for (const at of ["2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z"]) {
      const r = await runScheduledBackup(schedule, t.config, new Date(at));
      expect(r.status).toBe("done");
    }
    const kept = listBackups(schedule.dir);
    expect(kept.map((b) => b.name)).toEqual(["dmboard-20260301T120000Z.jsonl.gz", "dmboard-20260301T110000Z.jsonl.gz"]);
    for (const b of kept) expect(fs.statSync(b.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(schedule.dir).mode & 0o777).toBe(0o700);
    expect((await verifyBackup(kept[0].file)).header.createdAt).toBe("2026-03-01T12:00:00.000Z");
  });

  it("never runs two at once in one process", async () => {
    const [a, b] = await Promise.all([
      runScheduledBackup(schedule, t.config, new Date("2026-03-02T10:00:00Z")),
      runScheduledBackup(schedule, t.config, new Date("2026-03-02T10:00:01Z")),
    ]);
    expect(a.status).toBe("done");
    expect(b).toEqual({ status: "skipped", reason: "a backup is already running in this process" });
  });

  it("skips while another instance holds the backup lock of this database", async () => {
    const other = await openConn(t.config);
    const release = await other.tryExclusive();
    expect(release).not.toBeNull();
    try {
      const r = await runScheduledBackup(schedule, t.config, new Date("2026-03-03T10:00:00Z"));
      expect(r).toEqual({ status: "skipped", reason: "another instance is backing up this database" });
    } finally {
      await release!();
      await other.close();
    }
    expect((await runScheduledBackup(schedule, t.config, new Date("2026-03-03T10:00:00Z"))).status).toBe("done");
  });

  it("records a failure for the admin page, and clears it on the next good run", async () => {
    const file = path.join(process.env.DMBOARD_DATA_DIR!, "not-a-directory");
    fs.writeFileSync(file, "");
    const blocked = { ...schedule, dir: path.join(file, "backups") };
    const r = await runScheduledBackup(blocked, t.config, new Date("2026-03-04T10:00:00Z"));
    expect(r.status).toBe("failed");
    expect(backupStatus().lastFailure?.error).toMatch(/ENOTDIR|EEXIST/);
    await runScheduledBackup(schedule, t.config, new Date("2026-03-04T10:00:00Z"));
    expect(backupStatus().lastFailure).toBeNull();
  });

  it("runs from the server's timer when one is due, and the status shows it", async () => {
    fs.rmSync(schedule.dir, { recursive: true, force: true });
    expect(backupStatus().last).toBeNull();
    process.env.DMBOARD_BACKUP_EVERY = "1h";
    let s: ReturnType<typeof backupStatus>;
    try {
      startBackupSchedule({ firstCheckMs: 10, checkEveryMs: 50 });
      while (listBackups(schedule.dir).length === 0) await new Promise((r) => setTimeout(r, 50));
      await stopBackupSchedule();
      s = backupStatus();
    } finally {
      delete process.env.DMBOARD_BACKUP_EVERY;
    }
    expect(s.setting.on).toBe(true);
    expect(s.last?.bytes).toBeGreaterThan(100);
    expect(s.kept).toBe(1);
    expect(s.nextDueAt!.getTime() - s.last!.at.getTime()).toBe(H);
  });
});
