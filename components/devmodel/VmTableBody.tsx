"use client";
import Link from "@/components/ui/Link";
import { Td, Tr } from "@/components/ui/Table";
import { linkClass } from "@/components/ui/styles";
import { QmpBadge, VerdictBadge } from "./Badges";
import { DM_LABEL } from "./format";
import type { VmRow } from "@/lib/hosts/fleet";

/** What a row of the fleet table shows: the row's own fields, and how old a down host's read is (said on the server). */
export type VmRowView = Pick<
  VmRow,
  | "hostId"
  | "hostName"
  | "hostStatus"
  | "domid"
  | "name"
  | "deviceModel"
  | "qmpStatus"
  | "qmpVersion"
  | "verdict"
  | "missing"
  | "dependencies"
  | "dependencyCount"
  | "unclassifiedCount"
> & { staleAgo?: string };

/**
 * The fleet table's rows, as a client component on purpose: its props are the rows' data
 * (~200 bytes each), where a server component's output would travel as its elements
 * (~1.5 kB a row, and React outlines a long payload into dozens of streamed chunks the
 * HTML then splices back in). The HTML is rendered from the same data either way.
 */
export function VmTableBody({ rows }: { rows: VmRowView[] }) {
  return (
    <tbody>
      {rows.map((r) => (
        <Tr key={`${r.hostId}/${r.domid}`} data-domid={r.domid} data-host={r.hostName}>
          <Td>
            {r.hostName}
            {r.hostStatus !== "ok" && (
              // A host that is down keeps its last good read: say so, and how old it is.
              <span className="ml-1 text-xs text-amber-700 dark:text-amber-300" data-stale={r.hostStatus}>
                ({r.hostStatus}; stale, as of {r.staleAgo})
              </span>
            )}
          </Td>
          <Td className="tabular-nums">{r.domid}</Td>
          <Td>
            <Link className={linkClass} href={`/vms/${encodeURIComponent(r.hostId)}/${r.domid}`}>
              {r.name ?? `domain ${r.domid}`}
            </Link>
          </Td>
          <Td>{DM_LABEL[r.deviceModel] ?? r.deviceModel}</Td>
          <Td>
            <QmpBadge status={r.qmpStatus} title={r.qmpVersion ?? undefined} />
          </Td>
          <Td>
            <VerdictBadge verdict={r.verdict} />
            {r.missing.length > 0 && <span className="ml-1 text-xs text-muted">missing {r.missing.join(", ")}</span>}
          </Td>
          <Td className="tabular-nums" title={r.dependencies.join(", ")}>
            {r.dependencyCount}
          </Td>
          <Td className="tabular-nums">{r.unclassifiedCount}</Td>
        </Tr>
      ))}
    </tbody>
  );
}
