/**
 * The dashboard's charts, read from the database: the fleet's dependencies over time
 * (stored host samples, all enabled hosts merged) and open action items over time (a
 * burn-down), each with the group's meetings to mark on the time axis. Plain data
 * (ISO strings and numbers) that a page hands to components/dashboard.
 */
import { getDb } from "@/lib/db/client";
import { dayOf } from "@/lib/db/days";
import { keptUntilWrite } from "@/lib/db/kept";
import type { DbOrTx } from "@/lib/db/types";
import { mergeSeries, type SamplePoint } from "@/lib/hosts/compaction";
import { isOpenStatus } from "@/lib/items/statuses";
import type { ReviewOutcome } from "@/lib/reviews/outcomes";

/** The fleet chart's spans, in days: samples are kept 90 days (lib/hosts/compaction). */
export const FLEET_RANGES = [7, 30, 90] as const;
export type FleetRange = (typeof FLEET_RANGES)[number];
export const DEFAULT_FLEET_RANGE: FleetRange = 30;
export const parseFleetRange = (s: string | undefined): FleetRange => FLEET_RANGES.find((r) => String(r) === s) ?? DEFAULT_FLEET_RANGE;

/** About this many points per chart line, whatever the span. */
const POINTS = 120;
/** Lines the fleet chart draws: the rules that affected the most VMs. */
const MAX_RULES = 6;
/** Meetings marked on a time axis, the most recent first kept. */
const MAX_MEETINGS = 200;

export interface MeetingMark {
  id: string;
  /** YYYY-MM-DD */
  date: string;
  title: string;
}

export interface FleetHistory {
  from: string;
  to: string;
  days: FleetRange;
  /** Rule ids drawn, the most VMs affected first. */
  rules: string[];
  points: { at: string; vmCount: number; deprivCount: number; dependencies: Record<string, number> }[];
  meetings: MeetingMark[];
}

export interface OpenItemsHistory {
  /** One point per day something opened or closed, and today; over a long span, per period (boundHistory). */
  points: { day: string; open: number; opened: number; closed: number }[];
  meetings: MeetingMark[];
}

async function meetingsBetween(from: Date, to: Date, db: DbOrTx): Promise<MeetingMark[]> {
  const rows = await db.meeting.findMany({
    where: { date: { gte: from, lte: to } },
    orderBy: { date: "desc" },
    take: MAX_MEETINGS,
    select: { id: true, title: true, date: true },
  });
  return rows.reverse().map((m) => ({ id: m.id, title: m.title, date: dayOf(m.date) }));
}

/** Dependencies over the last `days`: VMs affected per rule, and VMs deprivileged, with the meetings held meanwhile. */
export async function fleetHistory(
  opts: { days?: FleetRange; now?: Date; /** One host only (the dashboard's host filter). */ hostId?: string } = {},
  db: DbOrTx = getDb(),
): Promise<FleetHistory> {
  // The span ends at the next whole minute (samples are a minute apart): the same data gives
  // the same chart for a minute, so its server-drawn image is reused (components/charts/render-svg.ts)
  // instead of drawn again on every view.
  const now = new Date(Math.ceil((opts.now ?? new Date()).getTime() / 60_000) * 60_000);
  const days = opts.days ?? DEFAULT_FLEET_RANGE;
  if (opts.now) return computeFleetHistory(now, days, opts.hostId, db);
  // The dashboard's (now = this minute): kept for the minute, until a meeting is written. A
  // sample stored later in the same minute shows from the next one: the chart's points are a
  // minute apart anyway. The collector's own writes (HostSample) announce nothing: too frequent.
  return keptUntilWrite(
    db,
    `fleetHistory:${days}:${opts.hostId ?? ""}:${now.toISOString()}`,
    ["Meeting"],
    () => computeFleetHistory(now, days, opts.hostId, db),
    {
      maxAgeMs: 60_000,
    },
  );
}

async function computeFleetHistory(now: Date, days: FleetRange, hostId: string | undefined, db: DbOrTx): Promise<FleetHistory> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const [samples, meetings] = await Promise.all([
    db.hostSample.findMany({
      where: { takenAt: { gte: since, lte: now }, ok: true, host: { enabled: true }, ...(hostId ? { hostId } : {}) },
      orderBy: { takenAt: "asc" },
      select: { hostId: true, takenAt: true, vmCount: true, deprivCount: true, dependencies: true },
    }),
    meetingsBetween(since, now, db),
  ]);
  const series = chartSeries(samples);
  const peak = new Map<string, number>();
  for (const p of series) for (const [k, v] of Object.entries(p.dependencies)) peak.set(k, Math.max(peak.get(k) ?? 0, v));
  const rules = [...peak.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_RULES)
    .map(([k]) => k);
  return {
    from: since.toISOString(),
    to: now.toISOString(),
    days,
    rules,
    points: series.map((p) => ({ at: p.at.toISOString(), vmCount: p.vmCount, deprivCount: p.deprivCount, dependencies: p.dependencies })),
    meetings,
  };
}

/** Stored samples of several hosts → one series, about POINTS points over the span. */
export function chartSeries(samples: readonly { hostId: string; takenAt: Date; vmCount: number; deprivCount: number; dependencies: string }[]): SamplePoint[] {
  const byHost = new Map<string, SamplePoint[]>();
  for (const s of samples) {
    let deps: Record<string, number> = {};
    try {
      deps = JSON.parse(s.dependencies);
    } catch {
      // a bad row is drawn with no dependencies, not fatal
    }
    const list = byHost.get(s.hostId) ?? [];
    list.push({ at: s.takenAt, ok: true, vmCount: s.vmCount, deprivCount: s.deprivCount, dependencies: deps });
    byHost.set(s.hostId, list);
  }
  const span = samples.length ? samples.at(-1)!.takenAt.getTime() - samples[0].takenAt.getTime() : 0;
  return mergeSeries([...byHost.values()], Math.max(60_000, Math.ceil(span / POINTS)));
}

const CLOSING: readonly ReviewOutcome[] = ["done", "dropped"];

/**
 * Open action items over time, all series. An item opens on the date of the meeting
 * that created it, or of the first meeting that reviewed it if that is earlier (an
 * imported review names items from meetings dmboard never saw); its creation time only
 * when no meeting did. It closes on the date of the meeting whose review closed it,
 * else when its status was set (closedAt). Reopened items count as open.
 */
/**
 * The history walks every item with its meeting and reviews (100 000 items: seconds). It
 * changes only when items, reviews or meetings are written, or the day does: kept until
 * such a write, by this process or another (lib/db/kept.ts), and computed once for
 * concurrent views.
 */
export async function openItemsHistory(opts: { now?: Date } = {}, db: DbOrTx = getDb()): Promise<OpenItemsHistory> {
  const now = opts.now ?? new Date();
  return keptUntilWrite(db, `openItemsHistory:${dayOf(now)}`, ["ActionItem", "Review", "Meeting"], () => computeOpenItemsHistory(now, db));
}

/**
 * At most this many points: a board of ten years has a few thousand days with a change,
 * and each point is drawn, put in the page's table and sent to the browser for the chart.
 */
export const MAX_HISTORY_POINTS = 200;

/**
 * Days → at most `max` points: consecutive days are merged into periods of equal length
 * (counted from the first day), each shown on its last day with a change: opened and
 * closed summed, open as it was after that day. Fewer days are left as they are.
 */
export function boundHistory(points: OpenItemsHistory["points"], max = MAX_HISTORY_POINTS): OpenItemsHistory["points"] {
  if (points.length <= max) return points;
  const t0 = Date.parse(`${points[0].day}T00:00:00Z`);
  const span = (Date.parse(`${points.at(-1)!.day}T00:00:00Z`) - t0) / 86_400_000 + 1;
  const width = Math.ceil(span / max);
  const out: OpenItemsHistory["points"] = [];
  let period = -1;
  for (const p of points) {
    const at = Math.floor((Date.parse(`${p.day}T00:00:00Z`) - t0) / 86_400_000 / width);
    const last = out.at(-1);
    if (last && at === period) out[out.length - 1] = { day: p.day, open: p.open, opened: last.opened + p.opened, closed: last.closed + p.closed };
    else out.push({ ...p });
    period = at;
  }
  return out;
}

async function computeOpenItemsHistory(now: Date, db: DbOrTx): Promise<OpenItemsHistory> {
  // Three flat reads joined here: Prisma's nested relations over 100k items would send the ids
  // back to the database in IN lists, which is most of the cost.
  const [items, meetingRows, reviewRows] = await Promise.all([
    db.actionItem.findMany({ select: { id: true, status: true, createdAt: true, closedAt: true, updatedAt: true, meetingId: true } }),
    db.meeting.findMany({ select: { id: true, date: true } }),
    db.review.findMany({ select: { itemId: true, outcome: true, meetingId: true } }),
  ]);
  const meetingDay = new Map(meetingRows.map((m) => [m.id, dayOf(m.date)]));
  const reviewsOf = new Map<string, { day: string; closing: boolean }[]>();
  for (const r of reviewRows) {
    const day = meetingDay.get(r.meetingId);
    if (!day) continue;
    const list = reviewsOf.get(r.itemId) ?? [];
    list.push({ day, closing: CLOSING.includes(r.outcome as ReviewOutcome) });
    reviewsOf.set(r.itemId, list);
  }
  const opened = new Map<string, number>();
  const closed = new Map<string, number>();
  const bump = (m: Map<string, number>, day: string) => m.set(day, (m.get(day) ?? 0) + 1);
  for (const i of items) {
    const reviewed = (reviewsOf.get(i.id) ?? []).sort((a, b) => a.day.localeCompare(b.day));
    // An item first seen in a review was created in an earlier meeting: open by then at least.
    const created = (i.meetingId && meetingDay.get(i.meetingId)) || dayOf(i.createdAt);
    const openDay = reviewed.length && reviewed[0].day < created ? reviewed[0].day : created;
    bump(opened, openDay);
    if (isOpenStatus(i.status)) continue;
    const closeDay = reviewed.find((r) => r.closing)?.day ?? dayOf(i.closedAt ?? i.updatedAt);
    bump(closed, closeDay < openDay ? openDay : closeDay);
  }
  const todayIso = dayOf(now);
  const days = [...new Set([...opened.keys(), ...closed.keys()])].filter((d) => d <= todayIso).sort();
  if (days.length && days.at(-1) !== todayIso) days.push(todayIso);
  let open = 0;
  const points = days.map((day) => {
    const o = opened.get(day) ?? 0;
    const c = closed.get(day) ?? 0;
    open += o - c;
    return { day, open, opened: o, closed: c };
  });
  const meetings = points.length ? await meetingsBetween(new Date(`${points[0].day}T00:00:00Z`), now, db) : [];
  return { points: boundHistory(points), meetings };
}
