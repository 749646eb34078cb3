import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { vmDetail } from "@/lib/hosts/fleet";
import { vmEvents } from "@/lib/hosts/hosts";
import { openItemsByTopic } from "@/lib/topics/reads";
import { collectorReady } from "@/lib/hosts/service";
import { ActionItemList } from "@/components/devmodel/ActionItemList";
import { CheckBadge, HostStatusBadge, QmpBadge, VerdictBadge } from "@/components/devmodel/Badges";
import { KeyTree } from "@/components/devmodel/KeyTree";
import { LiveRefresh } from "@/components/devmodel/LiveRefresh";
import { DM_LABEL } from "@/components/devmodel/format";
import { BackLink } from "@/components/ui/BackLink";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { fmtTime, plural } from "@/components/ui/format";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";

export const metadata: Metadata = { title: "VM" };
export const dynamic = "force-dynamic";

export default async function VmPage({ params }: { params: Promise<{ host: string; domid: string }> }) {
  const { host, domid: domidRaw } = await params;
  const hostKey = decodeURIComponent(host);
  await requirePageRole("viewer", `/vms/${host}/${domidRaw}`);
  if (!/^\d+$/.test(domidRaw)) notFound();
  const domid = Number(domidRaw);
  const collector = await collectorReady(2000);
  const detail = vmDetail(collector.states(), hostKey, domid);
  const state = collector.states().find((s) => s.host.id === hostKey || s.host.name === hostKey);
  if (!detail) {
    if (!state) notFound();
    return (
      <div className="space-y-4">
        <BackLink href="/vms">VMs</BackLink>
        <h1 className="text-2xl font-semibold">
          Domain {domid} on {state.host.name}
        </h1>
        <HostStatusBadge status={state.status} lastGoodAt={state.lastGoodAt} error={state.error} />
        <p>This domain is not on the host (as of its last good read). It may have stopped.</p>
        <LiveRefresh versions={{ [state.host.id]: state.version }} hostIds={[state.host.id]} />
      </div>
    );
  }
  const { vm, domain, host: hs } = detail;
  const rules = new Map(collector.rules.rules.map((r) => [r.id, { dependency: r.dependency, severity: r.severity }]));
  const blockers = vm.dependencies.filter((d) => d.severity === "blocker");
  const [items, events] = await Promise.all([openItemsByTopic(blockers.map((d) => d.topic)), vmEvents(hs.host.id, domid)]);
  const q = vm.qmp;
  return (
    <div className="space-y-6">
      <BackLink href="/vms">VMs</BackLink>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">
          {vm.name ?? `Domain ${vm.domid}`}{" "}
          <span className="text-base font-normal text-muted">
            domid {vm.domid} on {hs.host.name}
          </span>
        </h1>
        <LiveRefresh versions={{ [hs.host.id]: hs.version }} hostIds={[hs.host.id]} />
      </div>
      <HostStatusBadge name={hs.host.name} status={hs.status} lastGoodAt={hs.lastGoodAt} error={hs.error} />

      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-muted">Device model</dt>
          <dd data-testid="device-model">{DM_LABEL[vm.deviceModel.kind] ?? vm.deviceModel.kind}</dd>
        </div>
        <div>
          <dt className="text-muted">Guest type</dt>
          <dd>{vm.guestType ?? "unknown"}</dd>
        </div>
        <div>
          <dt className="text-muted">Depriv</dt>
          <dd>
            <VerdictBadge verdict={vm.depriv.verdict} />
          </dd>
        </div>
        <div>
          <dt className="text-muted">Role</dt>
          <dd>{vm.role}</dd>
        </div>
      </dl>
      {vm.deviceModel.evidence.length > 0 && <p className="text-xs text-muted">Why: {vm.deviceModel.evidence.join("; ")}</p>}
      {vm.notes.length > 0 && (
        <ul className="list-disc pl-5 text-sm">
          {vm.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}

      <section aria-labelledby="depriv">
        <h2 id="depriv" className="mb-2 text-lg font-semibold">
          Depriv checklist
        </h2>
        <p className="mb-2 text-sm">
          Overall: <VerdictBadge verdict={vm.depriv.verdict} />
          {vm.depriv.reason && <span className="ml-2 text-muted">{vm.depriv.reason}</span>}
          {vm.depriv.uidMode && <span className="ml-2 text-muted">uid: {vm.depriv.uidMode}</span>}
        </p>
        <Table aria-label="Depriv checklist">
          <THead>
            <tr>
              <Th>Check</Th>
              <Th>Verdict</Th>
              <Th>Evidence</Th>
            </tr>
          </THead>
          <tbody>
            {vm.depriv.checks.map((c) => (
              <Tr key={c.id} data-check={c.id} data-verdict={c.verdict}>
                <Td>{c.label}</Td>
                <Td>
                  <CheckBadge verdict={c.verdict} />
                </Td>
                <Td className="font-mono text-xs break-all">{c.evidence}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </section>

      <section aria-labelledby="deps">
        <h2 id="deps" className="mb-2 text-lg font-semibold">
          XenStore dependencies and the action items retiring them
        </h2>
        {blockers.length === 0 ? (
          <EmptyState>No blocker dependency: nothing on this VM's device model still needs XenStore beyond the PV part.</EmptyState>
        ) : (
          <ul className="space-y-3">
            {blockers.map((d) => {
              const t = items.get(d.topic);
              return (
                <Card as="li" padding="sm" key={d.ruleId} data-dependency={d.ruleId}>
                  <p className="text-sm">
                    <span className="font-mono font-medium">{d.ruleId}</span> — {d.dependency}
                  </p>
                  <p className="text-xs text-muted">
                    keys: <span className="font-mono">{d.keys.join(", ")}</span>
                  </p>
                  <p className="mt-1 text-sm">
                    Topic: <strong>{t?.name ?? d.topic}</strong>
                  </p>
                  <ActionItemList
                    items={t?.items ?? []}
                    empty="No open action item in this topic."
                    more={t && { count: t.total - t.items.length, href: `/topics/${t.slug}` }}
                  />
                </Card>
              );
            })}
          </ul>
        )}
        {vm.unclassified.length > 0 && (
          <div className="mt-3">
            <h3 className="text-sm font-semibold">Unclassified keys ({vm.unclassified.length})</h3>
            <ul className="font-mono text-xs">
              {vm.unclassified.map((k) => (
                <li key={k}>
                  {k} = {JSON.stringify(domain.keys[k] ?? "")}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-labelledby="qmp">
        <h2 id="qmp" className="mb-2 text-lg font-semibold">
          QMP
        </h2>
        <p className="text-sm" data-testid="qmp-status">
          <QmpBadge status={q.status} />{" "}
          {q.reachable ? (
            <>
              QEMU {q.version}, run state {q.runState}, {plural(q.commandCount, "command")}
            </>
          ) : (
            <span className="text-muted">{q.error}</span>
          )}
        </p>
        {q.reachable && (
          <>
            <p className="text-sm">
              Xen commands:{" "}
              {q.xenCommands.length
                ? q.xenCommands.map((c) => (
                    <Badge key={c} tone="muted" className="mr-1 font-mono">
                      {c}
                    </Badge>
                  ))
                : "none"}
            </p>
            {q.notes.length > 0 && (
              <ul className="list-disc pl-5 text-sm">
                {q.notes.map((n) => (
                  <li key={n.id}>{n.text}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="keys">
        <h2 id="keys" className="mb-2 text-lg font-semibold">
          Device-model keys ({vm.keyCount})
        </h2>
        <KeyTree keys={domain.keys} vm={vm} rules={rules} />
      </section>

      <section aria-labelledby="history">
        <h2 id="history" className="mb-2 text-lg font-semibold">
          History
        </h2>
        {events.length === 0 ? (
          <EmptyState>No change seen since dmboard started reading this host.</EmptyState>
        ) : (
          <ol className="space-y-1 text-sm">
            {events.map((e) => (
              <li key={e.id} data-event={e.kind}>
                <time dateTime={e.at.toISOString()} className="text-muted">
                  {fmtTime(e.at)}
                </time>{" "}
                <span className="font-medium">{e.kind}</span> {e.detail}
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
