import type { BackupStatus as Status } from "@/lib/backup/schedule";
import { formatBytes } from "@/lib/backup/report";
import { Card } from "@/components/ui/Card";
import { ago, fmtTime } from "@/components/ui/format";

const every = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`);

/** The admin page's backup panel: the schedule, the last backup's time and size, a failure if any. */
export function BackupStatus({ status, now }: { status: Status; now: number }) {
  const { setting, last, lastFailure } = status;
  return (
    <Card as="section" aria-labelledby="backups" data-testid="backup-status">
      <h2 id="backups" className="font-semibold">
        Backups
      </h2>
      {setting.on ? (
        <p className="mt-1 text-sm text-muted">
          Every {every(setting.schedule.everyMs)}, keeping {setting.schedule.keep}, in <code>{setting.schedule.dir}</code>.
        </p>
      ) : (
        <p className={`mt-1 text-sm ${setting.error ? "text-red-700 dark:text-red-300" : "text-muted"}`}>Scheduled backups are off: {setting.reason}.</p>
      )}
      {setting.on && (
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted">Last backup</dt>
          <dd data-testid="last-backup">
            {last ? (
              <>
                <time dateTime={last.at.toISOString()}>{fmtTime(last.at)}</time> ({ago(last.at.toISOString(), now)}),{" "}
                <span data-testid="last-backup-size">{formatBytes(last.bytes)}</span>, <code>{last.name}</code>
              </>
            ) : (
              "none yet"
            )}
          </dd>
          <dt className="text-muted">Kept</dt>
          <dd>{status.kept}</dd>
          <dt className="text-muted">Next</dt>
          <dd>{status.running ? "running now" : status.nextDueAt && status.nextDueAt.getTime() > now ? fmtTime(status.nextDueAt) : "within a minute"}</dd>
        </dl>
      )}
      {lastFailure && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">
          The last attempt failed at {fmtTime(lastFailure.at)}: {lastFailure.error}
        </p>
      )}
      <p className="mt-3 text-xs text-muted">
        By hand: <code>npm run backup -- FILE</code>; restore into an empty database with <code>npm run restore -- FILE</code>. Backups hold password and API
        token hashes: the files are readable by their owner only.
      </p>
    </Card>
  );
}
