/**
 * What the dashboard shows from the database, in one read: meeting and open-item
 * counts, the open items of the topics the fleet's blockers belong to, the viewer's own
 * open items, the next (or latest) meeting, and the fleet's dependency history.
 * The live fleet itself comes from the collector (lib/hosts/service).
 */
import { getDb } from "@/lib/db/client";
import { today } from "@/lib/db/days";
import type { DbOrTx } from "@/lib/db/types";
import { mergeSeries, type SamplePoint } from "@/lib/hosts/compaction";
import { OPEN_STATUSES } from "@/lib/items/statuses";
import { openItemsByTopic, type TopicItems } from "@/lib/topics/reads";

/** Days of fleet history the chart shows. */
export const CHART_DAYS = 7;

export interface DashboardData {
  meetingCount: number;
  openItemCount: number;
  /** Open items of each blocker topic asked for, by slug. */
  topicItems: Map<string, TopicItems>;
  /** The viewer's open items; null when their account is linked to no Person. */
  mine: TopicItems["items"] | null;
  /** The next meeting, or the latest when none is planned. */
  meeting: { id: string; title: string; date: Date; upcoming: boolean } | null;
  /** Dependencies over the last CHART_DAYS, all enabled hosts merged. */
  chart: SamplePoint[];
}

export async function dashboardData(opts: { userId: string; blockerTopics: readonly string[]; now?: Date }, db: DbOrTx = getDb()): Promise<DashboardData> {
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - CHART_DAYS * 86_400_000);
  const open = { in: [...OPEN_STATUSES] };
  const meetingRef = { id: true, title: true, date: true } as const;
  const [meetingCount, openItemCount, topicItems, me, upcoming, samples] = await Promise.all([
    db.meeting.count(),
    db.actionItem.count({ where: { status: open } }),
    openItemsByTopic(opts.blockerTopics, db),
    db.person.findUnique({
      where: { userId: opts.userId },
      select: { owns: { where: { item: { status: open } }, select: { item: { select: { id: true, text: true, status: true, target: true, meetingId: true, owners: { select: { person: { select: { displayName: true } } } } } } } } },
    }),
    db.meeting.findFirst({ where: { date: { gte: today(now) } }, orderBy: { date: "asc" }, select: meetingRef }),
    db.hostSample.findMany({ where: { takenAt: { gte: since }, host: { enabled: true } }, orderBy: { takenAt: "asc" }, select: { hostId: true, takenAt: true, ok: true, vmCount: true, deprivCount: true, dependencies: true } }),
  ]);
  const latest = upcoming ? null : await db.meeting.findFirst({ orderBy: { date: "desc" }, select: meetingRef });
  const meeting = upcoming ? { ...upcoming, upcoming: true } : latest ? { ...latest, upcoming: false } : null;
  const mine = me ? me.owns.map(({ item }) => ({ ...item, owners: item.owners.map((x) => x.person.displayName) })) : null;
  return { meetingCount, openItemCount, topicItems, mine, meeting, chart: chartSeries(samples) };
}

/** Stored samples of several hosts → one series, about 120 points over the span. */
function chartSeries(samples: { hostId: string; takenAt: Date; ok: boolean; vmCount: number; deprivCount: number; dependencies: string }[]): SamplePoint[] {
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
  return mergeSeries([...byHost.values()], Math.max(60_000, Math.ceil(span / 120)));
}
