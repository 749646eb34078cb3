import type { DeprivVerdict } from "@/lib/devmodel/analysis";
import type { HostStatus } from "@/lib/hosts/types";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { EmptyState } from "@/components/ui/EmptyState";
import { ago, fmtTime } from "@/components/ui/format";
import { buttonClass, smallInputClass } from "@/components/ui/styles";

const VERDICT_TONE: Record<DeprivVerdict, BadgeTone> = { deprivileged: "good", partial: "warn", privileged: "bad", unknown: "neutral", "n/a": "muted" };
const HOST_TONE: Record<HostStatus, BadgeTone> = { ok: "good", stale: "warn", unreachable: "bad", pending: "neutral" };
const QMP_FAILED = new Set(["timeout", "unreachable", "protocol", "error"]);

export function VerdictBadge({ verdict }: { verdict: DeprivVerdict }) {
  return (
    <Badge tone={VERDICT_TONE[verdict]} data-verdict={verdict}>
      {verdict}
    </Badge>
  );
}

export function QmpBadge({ status, title }: { status: string; title?: string }) {
  return (
    <Badge tone={status === "ok" ? "good" : QMP_FAILED.has(status) ? "bad" : "neutral"} title={title} data-qmp={status}>
      {status}
    </Badge>
  );
}

/** One depriv check's verdict (pass, fail, unknown, n/a). */
export function CheckBadge({ verdict }: { verdict: string }) {
  return <Badge tone={verdict === "pass" ? "good" : verdict === "fail" ? "bad" : verdict === "unknown" ? "neutral" : "muted"}>{verdict}</Badge>;
}

/** A XenStore-use rule's severity: a blocker is a dependency to remove. */
export function SeverityBadge({ severity, children, title, className }: { severity: string; children?: React.ReactNode; title?: string; className?: string }) {
  return (
    <Badge tone={severity === "blocker" ? "bad" : "muted"} title={title} className={className}>
      {children ?? severity}
    </Badge>
  );
}

/** A host's status with the time of its last good read (the point of "stale"). */
export function HostStatusBadge({ name, status, lastGoodAt, error }: { name?: string; status: HostStatus; lastGoodAt: string | null; error?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1 text-sm" data-host-status={status}>
      {name && <span className="font-medium">{name}</span>}
      <Badge tone={HOST_TONE[status]}>{status}</Badge>
      <span className="text-xs text-muted">
        last good read:{" "}
        {lastGoodAt ? (
          <time dateTime={lastGoodAt} title={fmtTime(lastGoodAt)}>
            {fmtTime(lastGoodAt)} ({ago(lastGoodAt)})
          </time>
        ) : (
          "never"
        )}
      </span>
      {error && status !== "ok" && <span className="text-xs text-red-700 dark:text-red-300">{error}</span>}
    </span>
  );
}

/** The hosts a page shows, with their state: stale/unreachable called out. */
export function HostStrip({ hosts }: { hosts: { id: string; name: string; status: HostStatus; lastGoodAt: string | null; error: string | null }[] }) {
  if (hosts.length === 0) return <EmptyState>No host is being read. An admin can add one on the Hosts page.</EmptyState>;
  return (
    <ul className="flex flex-wrap gap-x-6 gap-y-1" aria-label="Hosts">
      {hosts.map((h) => (
        <li key={h.id}>
          <HostStatusBadge name={h.name} status={h.status} lastGoodAt={h.lastGoodAt} error={h.error} />
        </li>
      ))}
    </ul>
  );
}

/** A GET form choosing one host (or all) for the page's figures: ?host=<id>. */
export function HostFilter({
  hosts,
  current,
  range,
}: {
  hosts: { id: string; name: string }[];
  current?: string;
  /** Kept across the choice. */ range?: number;
}) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search" aria-label="Choose a host">
      {range !== undefined && <input type="hidden" name="range" value={range} />}
      <label>
        <span className="block text-muted">Show host</span>
        <select name="host" defaultValue={current ?? ""} className={smallInputClass}>
          <option value="">all hosts</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={buttonClass}>
        Show
      </button>
    </form>
  );
}
