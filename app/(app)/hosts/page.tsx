import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { embeddedSimSocket, listHosts } from "@/lib/hosts/hosts";
import { collectorReady } from "@/lib/hosts/service";
import { HostStatusBadge } from "@/components/devmodel/Badges";
import { HostForm, TestConnectionButton } from "@/components/devmodel/HostForm";
import { LiveRefresh } from "@/components/devmodel/LiveRefresh";
import { EmptyState } from "@/components/ui/EmptyState";
import { linkClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { acceptHostKeyAction, createHostAction, testConnectionAction } from "./actions";
import { LabSection } from "./lab-section";

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
        <h2 id="all-hosts" className="sr-only">
          All hosts
        </h2>
        {rows.length === 0 ? (
          <EmptyState>No host is registered.{isAdmin ? " Add one below." : " An admin can add one."}</EmptyState>
        ) : (
          <Table aria-label="Hosts">
            <THead>
              <tr>
                <Th>Host</Th>
                <Th>Status</Th>
                <Th>VMs</Th>
                <Th>Reached through</Th>
                <Th>Poll</Th>
                {isAdmin && (
                  <Th>
                    <span className="sr-only">Manage</span>
                  </Th>
                )}
              </tr>
            </THead>
            <tbody>
              {rows.map((h) => {
                const s = states.get(h.id);
                return (
                  <Tr key={h.id} data-host={h.name}>
                    <Td className="font-medium">
                      <Link className={linkClass} href={`/vms?host=${encodeURIComponent(h.id)}`}>
                        {h.name}
                      </Link>
                      <div className="text-xs text-muted">{h.kind === "sim" ? "simulated" : h.kind === "ssh" ? "SSH" : "local sockets"}</div>
                    </Td>
                    <Td>
                      {!h.enabled ? (
                        <span className="text-muted">disabled</span>
                      ) : s ? (
                        <>
                          <HostStatusBadge status={s.status} lastGoodAt={s.lastGoodAt} error={s.error} />
                          <div className="text-xs text-muted">
                            {s.watching ? "watching XenStore" : "not watching (polling only)"}
                            {s.elapsedMs !== null && ` · last read ${s.elapsedMs} ms`}
                          </div>
                        </>
                      ) : (
                        <span className="text-muted">starting…</span>
                      )}
                    </Td>
                    <Td>{s?.analysis?.summary.vmCount ?? "—"}</Td>
                    <Td className="font-mono text-xs">
                      {h.kind === "ssh" && (
                        <>
                          <div>ssh {h.sshTarget}</div>
                          <div>host key {h.sshHostKey ?? "not accepted yet"}</div>
                        </>
                      )}
                      <div>xenstored {h.xenstoredPath}</div>
                      <div>QMP {h.qmpDir}</div>
                      <div>/proc {h.procRoot}</div>
                    </Td>
                    <Td>{h.pollIntervalSec} s</Td>
                    {isAdmin && (
                      <Td className="space-y-2">
                        <Link className={linkClass} href={`/hosts/${h.id}/edit`} aria-label={`Edit host ${h.name}`}>
                          Edit
                        </Link>
                        <TestConnectionButton hostId={h.id} action={testConnectionAction} acceptAction={h.kind === "ssh" ? acceptHostKeyAction : undefined} />
                      </Td>
                    )}
                  </Tr>
                );
              })}
            </tbody>
          </Table>
        )}
      </section>
      {isAdmin && (
        <section aria-labelledby="add-host">
          <h2 id="add-host" className="mb-3 text-lg font-semibold">
            Add a host
          </h2>
          <HostForm action={createHostAction} testAction={testConnectionAction} simSocket={embeddedSimSocket()} />
        </section>
      )}
      {isAdmin && <LabSection />}
    </div>
  );
}
