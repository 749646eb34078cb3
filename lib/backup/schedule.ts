/**
 * Scheduled backups, run by the server process (instrumentation.ts starts them, as it
 * starts the collector). On by default for SQLite (the embedded default keeps the group's
 * whole record in one file on one disk); off on PostgreSQL unless asked for (its own
 * backups, pg_dump or the provider's, are the usual tool; this one still works there).
 *
 *   DMBOARD_BACKUP_EVERY  24h   how often: 30m, 6h, 1d …; "off" disables
 *   DMBOARD_BACKUP_KEEP   7     how many backups are kept (the oldest go)
 *   DMBOARD_BACKUP_DIR    <DMBOARD_DATA_DIR>/backups
 *
 * Every minute the newest backup in the directory says whether one is due. One run at a
 * time in this process (a flag), and across instances (conn.tryExclusive: a lock beside
 * the SQLite file, or a PostgreSQL advisory lock): a run that finds the lock held is
 * skipped, and the next check sees the other instance's file.
 */
import fs from "node:fs";
import path from "node:path";
import { dataDir, resolveDbConfig, type DbConfig } from "@/lib/db/config";
import { log } from "@/lib/log";
import { backupDatabase } from "./commands";
import type { BackupSummary } from "./format";

export interface ScheduleConfig {
  everyMs: number;
  keep: number;
  dir: string;
}

export type ScheduleSetting = { on: true; schedule: ScheduleConfig } | { on: false; reason: string; error?: boolean };

const DURATION = /^(\d{1,5})\s*([mhd]|min)$/;
const UNIT_MS: Record<string, number> = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
export const BACKUP_FILE = /^dmboard-(\d{8}T\d{6}Z)\.jsonl\.gz$/;

export function parseEvery(text: string): number | null {
  const m = DURATION.exec(text.trim().toLowerCase());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return ms >= 5 * 60_000 ? ms : null; // more often than every 5 minutes is a mistake
}

/** The setting from the environment; an invalid one is reported, never guessed around. */
export function scheduleSetting(env: NodeJS.ProcessEnv = process.env, db: DbConfig = resolveDbConfig(env)): ScheduleSetting {
  const every = env.DMBOARD_BACKUP_EVERY?.trim();
  if (every === "off") return { on: false, reason: "DMBOARD_BACKUP_EVERY=off" };
  if (!every && db.provider === "postgresql")
    return { on: false, reason: "on PostgreSQL scheduled backups are off unless DMBOARD_BACKUP_EVERY is set (or use pg_dump)" };
  const everyMs = every ? parseEvery(every) : UNIT_MS.d;
  if (everyMs === null)
    return {
      on: false,
      error: true,
      reason: `DMBOARD_BACKUP_EVERY="${every}" is not a duration of at least 5 minutes such as 30m, 6h or 1d; scheduled backups are off until it is fixed`,
    };
  const keepText = env.DMBOARD_BACKUP_KEEP?.trim();
  const keep = keepText ? Number(keepText) : 7;
  if (!Number.isInteger(keep) || keep < 1 || keep > 1000)
    return { on: false, error: true, reason: `DMBOARD_BACKUP_KEEP="${keepText}" is not a number from 1 to 1000; scheduled backups are off until it is fixed` };
  const dir = path.resolve(/*turbopackIgnore: true*/ env.DMBOARD_BACKUP_DIR?.trim() || path.join(dataDir(env), "backups"));
  return { on: true, schedule: { everyMs, keep, dir } };
}

export interface BackupFile {
  file: string;
  name: string;
  at: Date;
  bytes: number;
}

/** The directory's backups, newest first (only files named like ours). */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((name) => {
      const m = BACKUP_FILE.exec(name);
      if (!m) return [];
      const s = m[1];
      const at = new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);
      const file = path.join(dir, name);
      try {
        return [{ file, name, at, bytes: fs.statSync(file).size }];
      } catch {
        return []; // removed meanwhile
      }
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.name < b.name ? 1 : -1));
}

export const backupName = (at: Date) => `dmboard-${at.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z.jsonl.gz`;

export type RunResult =
  { status: "done"; summary: BackupSummary; removed: string[] } | { status: "skipped"; reason: string } | { status: "failed"; error: string };

interface State {
  running: Promise<RunResult> | null;
  lastFailure: { at: Date; error: string } | null;
  timers: NodeJS.Timeout[];
}

// On globalThis: Next bundles instrumentation and each page separately, and the admin
// page must see the runs of the scheduler instrumentation started.
const g = globalThis as unknown as { dmboardBackups?: State };
const state = (): State => (g.dmboardBackups ??= { running: null, lastFailure: null, timers: [] });

/** One backup now into the schedule's directory, then the oldest beyond `keep` removed. */
export function runScheduledBackup(schedule: ScheduleConfig, db: DbConfig = resolveDbConfig(), now = new Date()): Promise<RunResult> {
  const s = state();
  if (s.running) return Promise.resolve({ status: "skipped", reason: "a backup is already running in this process" });
  const run = (async (): Promise<RunResult> => {
    fs.mkdirSync(schedule.dir, { recursive: true, mode: 0o700 });
    let name = backupName(now);
    if (fs.existsSync(path.join(schedule.dir, name))) name = backupName(new Date(now.getTime() + 1000));
    const summary = await backupDatabase(db, path.join(schedule.dir, name), { exclusive: true, now });
    if (!summary) return { status: "skipped", reason: "another instance is backing up this database" };
    const removed = listBackups(schedule.dir)
      .slice(schedule.keep)
      .map((b) => {
        fs.rmSync(b.file, { force: true });
        return b.name;
      });
    s.lastFailure = null;
    return { status: "done", summary, removed };
  })()
    .catch((err: Error): RunResult => {
      s.lastFailure = { at: now, error: err.message };
      return { status: "failed", error: err.message };
    })
    .finally(() => {
      s.running = null;
    });
  s.running = run;
  return run;
}

/** Whether a backup is due: none yet, or the newest is older than the interval. */
export function isDue(schedule: ScheduleConfig, now = new Date()): boolean {
  const newest = listBackups(schedule.dir)[0];
  return !newest || now.getTime() - newest.at.getTime() >= schedule.everyMs;
}

async function check(schedule: ScheduleConfig): Promise<void> {
  if (state().running || !isDue(schedule)) return;
  const r = await runScheduledBackup(schedule);
  if (r.status === "done") log.info({ file: r.summary.file, bytes: r.summary.bytes, rows: r.summary.rows, removed: r.removed }, "scheduled backup written");
  else if (r.status === "failed") log.error({ error: r.error }, "scheduled backup failed");
  else log.info({ reason: r.reason }, "scheduled backup skipped");
}

/** Called once from instrumentation.ts. */
export function startBackupSchedule(opts: { firstCheckMs?: number; checkEveryMs?: number } = {}): void {
  const setting = scheduleSetting();
  if (!setting.on) {
    (setting.error ? log.error : log.info).call(log, { reason: setting.reason }, "scheduled backups off");
    return;
  }
  const s = state();
  if (s.timers.length) return;
  const tick = () => void check(setting.schedule).catch((err) => log.error({ err }, "scheduled backup check failed"));
  const first = setTimeout(tick, opts.firstCheckMs ?? 10_000);
  const every = setInterval(tick, opts.checkEveryMs ?? 60_000);
  first.unref();
  every.unref();
  s.timers.push(first, every);
  log.info({ dir: setting.schedule.dir, everyMs: setting.schedule.everyMs, keep: setting.schedule.keep }, "scheduled backups on");
}

export async function stopBackupSchedule(): Promise<void> {
  const s = state();
  for (const t of s.timers) clearTimeout(t);
  s.timers = [];
  await s.running;
}

export interface BackupStatus {
  setting: ScheduleSetting;
  last: BackupFile | null;
  kept: number;
  running: boolean;
  lastFailure: { at: Date; error: string } | null;
  nextDueAt: Date | null;
  /** When this status was read: the page's "3 h ago" counts from here. */
  readAt: number;
}

/** What the admin page shows. */
export function backupStatus(env: NodeJS.ProcessEnv = process.env): BackupStatus {
  const setting = scheduleSetting(env);
  const s = state();
  const files = setting.on ? listBackups(setting.schedule.dir) : [];
  const last = files[0] ?? null;
  return {
    readAt: Date.now(),
    setting,
    last,
    kept: files.length,
    running: Boolean(s.running),
    lastFailure: s.lastFailure,
    nextDueAt: setting.on ? new Date(last ? last.at.getTime() + setting.schedule.everyMs : Date.now()) : null,
  };
}
