import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/guard";
import { embeddedSimSocket, listHosts } from "@/lib/hosts/hosts";
import { collectorReady } from "@/lib/hosts/service";
import { HostStatusBadge } from "@/components/devmodel/Badges";
import { HostForm, TestConnectionButton } from "@/components/devmodel/HostForm";
import { LiveRefresh } from "@/components/devmodel/LiveRefresh";
import { createHostAction, testConnectionAction } from "./actions";

export const metadata: Metadata = { title: "Hosts" };
export const dynamic = "force-dynamic";

export default async function HostsPage() {
  const actor = await requirePageRole("viewer", "/hosts");
  const isAdmin = actor.role === "admin";
  const [rows, collector] = await Promise.all([listHosts(), collectorReady(2000)]);
  const states = new Map(collector.states().map((s) => [s.host.id, s]));
  const versions = Object.fromEntries([...states.values()].map((s) => [s.host.id, s.version]));
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Hosts</h1>
        <LiveRefresh versions={versions} />
      </div>
      <section aria-labelledby="all-hosts">
        <h2 id="all-hosts" className="sr-only">All hosts</h2>
        {rows.length === 0 ? (
          <p className="text-muted">No host is registered.{isAdmin ? " Add one below." : " An admin can add one."}</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-muted">
              <tr><th className="py-2">Host</th><th>Status</th><th>VMs</th><th>Reached through</th><th>Poll</th>{isAdmin && <th><span className="sr-only">Manage</span></th>}</tr>
            </thead>
            <tbody>
              {rows.map((h) => {
                const s = states.get(h.id);
                return (
                  <tr key={h.id} className="border-t border-border align-top" data-host={h.name}>
                    <td className="py-2 font-medium">
                      <Link className="text-accent underline" href={`/vms?host=${encodeURIComponent(h.id)}`}>{h.name}</Link>
                      <div className="text-xs text-muted">{h.kind === "sim" ? "simulated" : "local sockets"}</div>
                    </td>
                    <td className="py-2">
                      {!h.enabled ? (
                        <span className="text-muted">disabled</span>
                      ) : s ? (
                        <>
                          <HostStatusBadge status={s.status} lastGoodAt={s.lastGoodAt} error={s.error} />
                          <div className="text-xs text-muted">{s.watching ? "watching XenStore" : "not watching (polling only)"}{s.elapsedMs !== null && ` · last read ${s.elapsedMs} ms`}</div>
                        </>
                      ) : (
                        <span className="text-muted">starting…</span>
                      )}
                    </td>
                    <td className="py-2">{s?.analysis?.summary.vmCount ?? "—"}</td>
                    <td className="py-2 font-mono text-xs">
                      <div>xenstored {h.xenstoredPath}</div>
                      <div>QMP {h.qmpDir}</div>
                      <div>/proc {h.procRoot}</div>
                    </td>
                    <td className="py-2">{h.pollIntervalSec} s</td>
                    {isAdmin && (
                      <td className="space-y-2 py-2">
                        <Link className="text-accent underline" href={`/hosts/${h.id}/edit`} aria-label={`Edit host ${h.name}`}>Edit</Link>
                        <TestConnectionButton hostId={h.id} action={testConnectionAction} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {isAdmin && (
        <section aria-labelledby="add-host">
          <h2 id="add-host" className="mb-3 text-lg font-semibold">Add a host</h2>
          <HostForm action={createHostAction} testAction={testConnectionAction} simSocket={embeddedSimSocket()} />
        </section>
      )}
    </div>
  );
}
