import type { DeprivVerdict } from "@/lib/devmodel/analysis";
import type { HostStatus } from "@/lib/hosts/types";
import { ago, badge, fmtTime, STATUS_STYLE, VERDICT_STYLE } from "./format";

export function VerdictBadge({ verdict }: { verdict: DeprivVerdict }) {
  return <span className={`${badge} ${VERDICT_STYLE[verdict]}`} data-verdict={verdict}>{verdict}</span>;
}

export function QmpBadge({ status, title }: { status: string; title?: string }) {
  const style = status === "ok" ? STATUS_STYLE.ok : status === "timeout" || status === "unreachable" || status === "protocol" || status === "error" ? STATUS_STYLE.unreachable : STATUS_STYLE.pending;
  return <span className={`${badge} ${style}`} title={title} data-qmp={status}>{status === "ok" ? "ok" : status}</span>;
}

/** A host's status with the time of its last good read (the point of "stale"). */
export function HostStatusBadge({ name, status, lastGoodAt, error }: { name?: string; status: HostStatus; lastGoodAt: string | null; error?: string | null }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1 text-sm" data-host-status={status}>
      {name && <span className="font-medium">{name}</span>}
      <span className={`${badge} ${STATUS_STYLE[status]}`}>{status}</span>
      <span className="text-xs text-muted">
        last good read: {lastGoodAt ? <time dateTime={lastGoodAt} title={fmtTime(lastGoodAt)}>{fmtTime(lastGoodAt)} ({ago(lastGoodAt)})</time> : "never"}
      </span>
      {error && status !== "ok" && <span className="text-xs text-red-700 dark:text-red-300">{error}</span>}
    </span>
  );
}

/** The hosts a page shows, with their state: stale/unreachable called out. */
export function HostStrip({ hosts }: { hosts: { id: string; name: string; status: HostStatus; lastGoodAt: string | null; error: string | null }[] }) {
  if (hosts.length === 0) return <p className="text-sm text-muted">No host is being read. An admin can add one on the Hosts page.</p>;
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
