import Link from "next/link";
import { requirePageRole } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { mergeSeries, type SamplePoint } from "@/lib/hosts/compaction";
import { fleetOverview } from "@/lib/hosts/fleet";
import { OPEN_STATUSES, openItemsByTopic } from "@/lib/hosts/items";
import { collectorReady } from "@/lib/hosts/service";
import { ActionItemList } from "@/components/devmodel/ActionItemList";
import { HostStrip, VerdictBadge } from "@/components/devmodel/Badges";
import { LiveRefresh } from "@/components/devmodel/LiveRefresh";
import { fmtTime } from "@/components/devmodel/format";
import { DependencyChart } from "@/components/dashboard/DependencyChart";
import type { DeprivVerdict } from "@/lib/devmodel/analysis";

export const dynamic = "force-dynamic";

const CHART_DAYS = 7;
const card = "rounded-lg border border-border bg-card p-4";

export default async function DashboardPage() {
  const actor = await requirePageRole("viewer", "/");
  const db = getDb();
  const collector = await collectorReady(2000);
  const states = collector.states();
  const o = fleetOverview(states);
  const now = new Date();
  const since = new Date(now.getTime() - CHART_DAYS * 86400_000);
  const [meetings, openCount, items, me, upcoming, samples] = await Promise.all([
    db.meeting.count(),
    db.actionItem.count({ where: { status: { in: OPEN_STATUSES } } }),
    openItemsByTopic(db, o.blockers.map((b) => b.topic)),
    db.person.findUnique({
      where: { userId: actor.userId },
      select: { owns: { where: { item: { status: { in: OPEN_STATUSES } } }, select: { item: { select: { id: true, text: true, status: true, target: true, meetingId: true, owners: { select: { person: { select: { displayName: true } } } } } } } } },
    }),
    db.meeting.findFirst({ where: { date: { gte: new Date(now.toISOString().slice(0, 10)) } }, orderBy: { date: "asc" }, select: { id: true, title: true, date: true } }),
    db.hostSample.findMany({ where: { takenAt: { gte: since }, host: { enabled: true } }, orderBy: { takenAt: "asc" }, select: { hostId: true, takenAt: true, ok: true, vmCount: true, deprivCount: true, dependencies: true } }),
  ]);
  const next = upcoming ?? (await db.meeting.findFirst({ orderBy: { date: "desc" }, select: { id: true, title: true, date: true } }));
  const mine = (me?.owns ?? []).map(({ item }) => ({ ...item, owners: item.owners.map((x) => x.person.displayName) }));

  const byHost = new Map<string, SamplePoint[]>();
  for (const s of samples) {
    let deps: Record<string, number> = {};
    try {
      deps = JSON.parse(s.dependencies);
    } catch {
      // a bad row is skipped, not fatal
    }
    const list = byHost.get(s.hostId) ?? [];
    list.push({ at: s.takenAt, ok: s.ok, vmCount: s.vmCount, deprivCount: s.deprivCount, dependencies: deps });
    byHost.set(s.hostId, list);
  }
  const span = samples.length ? samples.at(-1)!.takenAt.getTime() - samples[0].takenAt.getTime() : 0;
  const series = mergeSeries([...byHost.values()], Math.max(60_000, Math.ceil(span / 120)));
  const ruleLabels = Object.fromEntries(collector.rules.rules.map((r) => [r.id, r.dependency.split(";")[0]]));
  const share = o.deprivilegedShare;
  const versions = Object.fromEntries(states.map((s) => [s.host.id, s.version]));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <LiveRefresh versions={versions} />
      </div>
      <HostStrip hosts={o.hosts} />

      <div className="grid gap-4 sm:grid-cols-4">
        <div className={card} data-testid="depriv-readiness">
          <p className="text-sm text-muted">Depriv readiness</p>
          <p className="text-3xl font-semibold">{share === null ? "—" : `${Math.round(share * 100)}%`}</p>
          <p className="text-xs text-muted">{o.deprivileged} of {o.withDeviceModel} VMs with a device model fully deprivileged</p>
        </div>
        <div className={card}>
          <p className="text-sm text-muted">VMs</p>
          <p className="text-3xl font-semibold"><Link href="/vms" className="hover:underline">{o.vmCount}</Link></p>
          <p className="text-xs">
            {(Object.entries(o.verdicts) as [DeprivVerdict, number][]).filter(([, n]) => n > 0).map(([v, n]) => (
              <Link key={v} href={`/vms?verdict=${encodeURIComponent(v)}`} className="mr-2 inline-flex items-center gap-1"><VerdictBadge verdict={v} />{n}</Link>
            ))}
          </p>
        </div>
        <div className={card}><p className="text-sm text-muted">Meetings</p><p className="text-3xl font-semibold">{meetings}</p></div>
        <div className={card}><p className="text-sm text-muted">Open action items</p><p className="text-3xl font-semibold">{openCount}</p></div>
      </div>

      <section aria-labelledby="blockers" className={card}>
        <h2 id="blockers" className="mb-2 text-lg font-semibold">Blockers, by VMs affected</h2>
        {o.blockers.length === 0 ? (
          <p className="text-sm text-muted">No VM has a remaining XenStore dependency.</p>
        ) : (
          <ol className="space-y-3">
            {o.blockers.map((b) => {
              const t = items.get(b.topic);
              return (
                <li key={b.ruleId} data-blocker={b.ruleId}>
                  <p className="text-sm">
                    <Link href={`/vms?dep=${encodeURIComponent(b.ruleId)}`} className="font-medium text-accent underline">{b.vmCount} VM{b.vmCount === 1 ? "" : "s"}</Link>{" "}
                    <span className="font-mono">{b.ruleId}</span> — {b.dependency} <span className="text-muted">({t?.name ?? b.topic})</span>
                  </p>
                  <div className="ml-4">
                    <ActionItemList items={t?.items ?? []} empty="No open action item in this topic yet." />
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="unclassified" className={card}>
          <h2 id="unclassified" className="mb-2 text-lg font-semibold">Unclassified uses</h2>
          <p className="mb-2 text-xs text-muted">Device-model keys no rule explains: the scan for other uses of XenStore.</p>
          {o.unclassified.length === 0 ? (
            <p className="text-sm text-muted">None.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {o.unclassified.slice(0, 15).map((u) => (
                <li key={u.pattern}>
                  <span className="font-mono text-xs">{u.pattern}</span> — {u.vmCount} VM{u.vmCount === 1 ? "" : "s"}
                  {u.vms[0] && <> (e.g. <Link className="text-accent underline" href={`/vms/${encodeURIComponent(u.vms[0].hostId)}/${u.vms[0].domid}`}>{u.vms[0].hostName}/{u.vms[0].domid}</Link>)</>}
                </li>
              ))}
              {o.unclassified.length > 15 && <li className="text-muted">and {o.unclassified.length - 15} more patterns</li>}
            </ul>
          )}
        </section>
        <section aria-labelledby="mine" className={card}>
          <h2 id="mine" className="mb-2 text-lg font-semibold">My open items</h2>
          <ActionItemList items={mine} empty={me ? "Nothing open is assigned to you." : "Your account is not linked to a person in the minutes, so no item is assigned to you."} />
          <h2 className="mb-1 mt-4 text-lg font-semibold">{upcoming ? "Next meeting" : "Latest meeting"}</h2>
          {next ? (
            <p className="text-sm"><Link className="text-accent underline" href={`/meetings/${next.id}`}>{next.title}</Link> <span className="text-muted">{fmtTime(next.date).slice(0, 10)}</span></p>
          ) : (
            <p className="text-sm text-muted">No meeting recorded.</p>
          )}
        </section>
      </div>

      <section aria-labelledby="chart" className={card}>
        <h2 id="chart" className="mb-2 text-lg font-semibold">Dependencies over time (last {CHART_DAYS} days)</h2>
        <DependencyChart points={series} labels={ruleLabels} />
      </section>
    </div>
  );
}
