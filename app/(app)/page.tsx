import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { fleetHistory, openItemsHistory, parseFleetRange } from "@/lib/dashboard/charts";
import { dashboardData } from "@/lib/dashboard/reads";
import { findHost, fleetOverview } from "@/lib/hosts/fleet";
import { collectorReady } from "@/lib/hosts/service";
import { nextMeetings } from "@/lib/calendar/reads";
import { NextMeetings } from "@/components/calendar/NextMeetings";
import { ActionItemList } from "@/components/devmodel/ActionItemList";
import { HostFilter, HostStrip, VerdictBadge } from "@/components/devmodel/Badges";
import { LiveRefresh } from "@/components/devmodel/LiveRefresh";
import { FleetChart, FleetRangeNav } from "@/components/dashboard/FleetChart";
import { OpenItemsChart } from "@/components/dashboard/OpenItemsChart";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { fmtTime, plural } from "@/components/ui/format";
import { linkClass } from "@/components/ui/styles";
import type { DeprivVerdict } from "@/lib/devmodel/analysis";

export const dynamic = "force-dynamic";

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ range?: string; host?: string }> }) {
  const actor = await requirePageRole("viewer", "/");
  const sp = await searchParams;
  const range = parseFleetRange(sp.range);
  const collector = await collectorReady(2000);
  const states = collector.states();
  // ?host=: readiness, blockers, unclassified uses and the chart of one host; the strip still shows every host.
  const only = typeof sp.host === "string" && sp.host ? findHost(states, sp.host) : undefined;
  const o = fleetOverview(only ? [only] : states);
  const hostQ = only ? `&host=${encodeURIComponent(only.host.id)}` : "";
  const [{ meetingCount, openItemCount, topicItems: items, mine, mineTotal, meeting: next }, fleet, openItems, scheduled] = await Promise.all([
    dashboardData({ userId: actor.userId, blockerTopics: o.blockers.map((b) => b.topic) }),
    fleetHistory({ days: range, hostId: only?.host.id }),
    openItemsHistory(),
    nextMeetings(),
  ]);
  const ruleLabels = Object.fromEntries(collector.rules.rules.map((r) => [r.id, r.dependency.split(";")[0]]));
  const share = o.deprivilegedShare;
  const versions = Object.fromEntries(states.map((s) => [s.host.id, s.version]));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Dashboard</h1>
        <LiveRefresh versions={versions} />
      </div>
      <HostStrip hosts={fleetOverview(states).hosts} />
      {states.length > 1 && <HostFilter hosts={states.map((s) => ({ id: s.host.id, name: s.host.name }))} current={only?.host.id} range={range} />}

      <div className="grid gap-4 sm:grid-cols-4">
        <Card data-testid="depriv-readiness">
          <p className="text-sm text-muted">Depriv readiness</p>
          <p className="text-3xl font-semibold">{share === null ? "—" : `${Math.round(share * 100)}%`}</p>
          <p className="text-xs text-muted">
            {o.deprivileged} of {plural(o.withDeviceModel, "VM")} with a device model fully deprivileged
          </p>
        </Card>
        <Card>
          <p className="text-sm text-muted">VMs</p>
          <p className="text-3xl font-semibold">
            <Link href="/vms" className="hover:underline">
              {o.vmCount}
            </Link>
          </p>
          <p className="text-xs">
            {(Object.entries(o.verdicts) as [DeprivVerdict, number][])
              .filter(([, n]) => n > 0)
              .map(([v, n]) => (
                <Link key={v} href={`/vms?verdict=${encodeURIComponent(v)}`} className="mr-2 inline-flex items-center gap-1">
                  <VerdictBadge verdict={v} />
                  {n}
                </Link>
              ))}
          </p>
        </Card>
        <Card>
          <p className="text-sm text-muted">Meetings</p>
          <p className="text-3xl font-semibold">{meetingCount}</p>
        </Card>
        <Card>
          <p className="text-sm text-muted">Open action items</p>
          <p className="text-3xl font-semibold">{openItemCount}</p>
        </Card>
      </div>

      <Card as="section" aria-labelledby="blockers">
        <h2 id="blockers" className="mb-2 text-lg font-semibold">
          Blockers, by VMs affected
        </h2>
        {o.blockers.length === 0 ? (
          <EmptyState>No VM has a remaining XenStore dependency.</EmptyState>
        ) : (
          <ol className="space-y-3">
            {o.blockers.map((b) => {
              const t = items.get(b.topic);
              return (
                <li key={b.ruleId} data-blocker={b.ruleId}>
                  <p className="text-sm">
                    <Link href={`/vms?dep=${encodeURIComponent(b.ruleId)}${hostQ}`} className={`font-medium ${linkClass}`}>
                      {plural(b.vmCount, "VM")}
                    </Link>{" "}
                    <span className="font-mono">{b.ruleId}</span> — {b.dependency} <span className="text-muted">({t?.name ?? b.topic})</span>
                  </p>
                  <div className="ml-4">
                    <ActionItemList
                      items={t?.items ?? []}
                      empty="No open action item in this topic yet."
                      more={t && { count: t.total - t.items.length, href: `/topics/${t.slug}` }}
                    />
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card as="section" aria-labelledby="unclassified">
          <h2 id="unclassified" className="mb-2 text-lg font-semibold">
            Unclassified uses
          </h2>
          <p className="mb-2 text-xs text-muted">Device-model keys no rule explains: the scan for other uses of XenStore.</p>
          {o.unclassified.length === 0 ? (
            <EmptyState>None.</EmptyState>
          ) : (
            <ul className="space-y-1 text-sm">
              {o.unclassified.slice(0, 15).map((u) => (
                <li key={u.pattern}>
                  <span className="font-mono text-xs">{u.pattern}</span> — {plural(u.vmCount, "VM")}
                  {u.vms[0] && (
                    <>
                      {" "}
                      (e.g.{" "}
                      <Link className={linkClass} href={`/vms/${encodeURIComponent(u.vms[0].hostId)}/${u.vms[0].domid}`}>
                        {u.vms[0].hostName}/{u.vms[0].domid}
                      </Link>
                      )
                    </>
                  )}
                </li>
              ))}
              {o.unclassified.length > 15 && <li className="text-muted">and {plural(o.unclassified.length - 15, "more pattern")}</li>}
            </ul>
          )}
        </Card>
        <Card as="section" aria-labelledby="mine">
          <h2 id="mine" className="mb-2 text-lg font-semibold">
            My open items
          </h2>
          <ActionItemList
            items={mine ?? []}
            empty={mine ? "Nothing open is assigned to you." : "Your account is not linked to a person in the minutes, so no item is assigned to you."}
            more={mine ? { count: mineTotal - mine.length, href: "/items?mine=1&status=open,in_progress,blocked" } : undefined}
          />
          {scheduled.length > 0 ? (
            <NextMeetings meetings={scheduled} />
          ) : (
            <>
              <h2 className="mb-1 mt-4 text-lg font-semibold">{next?.upcoming ? "Next meeting" : "Latest meeting"}</h2>
              {next ? (
                <p className="text-sm">
                  <Link className={linkClass} href={`/meetings/${next.id}`}>
                    {next.title}
                  </Link>{" "}
                  <span className="text-muted">{fmtTime(next.date).slice(0, 10)}</span>
                </p>
              ) : (
                <EmptyState>No meeting recorded.</EmptyState>
              )}
            </>
          )}
        </Card>
      </div>

      <Card as="section" aria-labelledby="fleet-chart" id="fleet">
        <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="fleet-chart" className="text-lg font-semibold">
            Fleet dependencies over time (last {range} days)
          </h2>
          <FleetRangeNav current={range} host={only?.host.id} />
        </div>
        <FleetChart history={fleet} labels={ruleLabels} hostId={only?.host.id} />
      </Card>

      <Card as="section" aria-labelledby="open-items-chart">
        <h2 id="open-items-chart" className="mb-2 text-lg font-semibold">
          Open action items over time
        </h2>
        <OpenItemsChart history={openItems} />
      </Card>
    </div>
  );
}
