/**
 * Next.js calls register() once when the server starts, in the Node.js runtime (not during
 * `next build`): start the metrics when configured (lib/metrics), the device-model
 * collector (lib/hosts/service.ts) unless DMBOARD_COLLECTOR=off, the scheduled
 * backups (lib/backup/schedule.ts), the chair's loop (lib/agenda/start.ts) and, on
 * PostgreSQL, the listener for other instances' writes (lib/db/write-notices.ts: without
 * it nothing is kept between views). With several worker processes (DMBOARD_WORKERS), the
 * lead answers the others' sign-in throttle and rate-limit questions from the start.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { resolveDbConfig } = await import("@/lib/db/config");
  const config = resolveDbConfig();
  if (config.provider === "postgresql") {
    const { startWriteNotices } = await import("@/lib/db/write-notices");
    startWriteNotices(config.url);
  }
  const { serveSignInThrottle } = await import("@/lib/auth/throttle");
  serveSignInThrottle();
  const { serveRateLimits } = await import("@/lib/auth/rate-limit-store");
  serveRateLimits();
  const { startMetrics } = await import("@/lib/metrics/start");
  startMetrics();
  const { collectorWanted, startCollectorService } = await import("@/lib/hosts/service");
  if (collectorWanted()) startCollectorService();
  const { startBackupSchedule } = await import("@/lib/backup/schedule");
  startBackupSchedule();
  // The chair's loop: the digest schedule, and the unclassified keys the agenda reports.
  const { startChairServices } = await import("@/lib/agenda/start");
  startChairServices();
}
