/** Series schedules as the calendar page, the dashboard, the agenda and the feed read them. */
import { getDb } from "@/lib/db/client";
import { dayOf } from "@/lib/db/days";
import { keptUntilWrite } from "@/lib/db/kept";
import type { DbOrTx, Prisma } from "@/lib/db/types";
import { describeSchedule, nextOccurrence, upcoming, type ExceptionKind, type Occurrence, type Schedule } from "./schedule";

/** What the schedules with their series and exceptions are read from (lib/db/kept.ts). */
const SCHEDULE_TABLES = ["SeriesSchedule", "Series", "ScheduleException"] as const;

const scheduleInclude = {
  exceptions: { orderBy: { date: "asc" } },
  series: { select: { id: true, slug: true, name: true } },
} as const satisfies Prisma.SeriesScheduleInclude;
type ScheduleRow = Prisma.SeriesScheduleGetPayload<{ include: typeof scheduleInclude }>;

export interface SeriesRef {
  id: string;
  slug: string;
  name: string;
}

export interface ScheduleView {
  id: string;
  version: number;
  series: SeriesRef;
  schedule: Schedule;
  /** "every second Wednesday at 15:00 Europe/London" */
  description: string;
  location: string;
  updatedAt: Date;
  /** The exceptions with their row ids (for the remove buttons), in day order. */
  exceptions: { id: string; day: string; kind: ExceptionKind; movedTo: { day: string; time: string } | null; note: string }[];
}

export function toScheduleView(r: ScheduleRow): ScheduleView {
  const exceptions = r.exceptions.map((e) => ({
    id: e.id,
    day: dayOf(e.date),
    kind: (e.kind === "moved" ? "moved" : "cancelled") as ExceptionKind,
    movedTo: e.kind === "moved" && e.movedToDay ? { day: dayOf(e.movedToDay), time: e.movedToTime ?? r.time } : null,
    note: e.note,
  }));
  const schedule: Schedule = {
    frequency: r.frequency === "monthly" ? "monthly" : "weekly",
    interval: r.interval,
    weekday: r.weekday,
    weekOfMonth: r.weekOfMonth,
    startsOn: dayOf(r.startsOn),
    endsOn: r.endsOn ? dayOf(r.endsOn) : null,
    time: r.time,
    timeZone: r.timeZone,
    durationMinutes: r.durationMinutes,
    exceptions: exceptions.map(({ day, kind, movedTo, note }) => ({ day, kind, movedTo, note })),
  };
  return {
    id: r.id,
    version: r.version,
    series: r.series,
    schedule,
    description: describeSchedule(schedule),
    location: r.location,
    updatedAt: r.updatedAt,
    exceptions,
  };
}

/** A series' schedule by the series' id or slug; null when it has none (or no such series). */
export async function scheduleOfSeries(idOrSlug: string, db: DbOrTx = getDb()): Promise<ScheduleView | null> {
  const row = await db.seriesSchedule.findFirst({ where: { series: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] } }, include: scheduleInclude });
  return row ? toScheduleView(row) : null;
}

export interface CalendarSeries {
  series: SeriesRef;
  schedule: ScheduleView | null;
  upcoming: Occurrence[];
}

/** Every series with its schedule and its next meetings: the calendar page. */
export async function calendarOverview(opts: { now?: Date; count?: number } = {}, db: DbOrTx = getDb()): Promise<CalendarSeries[]> {
  const now = opts.now ?? new Date();
  const series = await db.series.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true, schedule: { include: scheduleInclude } } });
  return series.map((s) => {
    const view = s.schedule ? toScheduleView(s.schedule) : null;
    return { series: { id: s.id, slug: s.slug, name: s.name }, schedule: view, upcoming: view ? upcoming(view.schedule, now, opts.count ?? 6) : [] };
  });
}

export interface NextMeeting {
  series: SeriesRef;
  occurrence: Occurrence;
  timeZone: string;
  location: string;
}

/** The next meeting of every scheduled series, soonest first: the dashboard and the digest. */
export async function nextMeetings(now: Date = new Date(), db: DbOrTx = getDb()): Promise<NextMeeting[]> {
  // Kept until a schedule, its series or an exception is written (the dashboard asks on every view).
  const rows = await keptUntilWrite(db, "schedules", SCHEDULE_TABLES, () => db.seriesSchedule.findMany({ include: scheduleInclude }));
  return rows
    .map((r) => {
      const v = toScheduleView(r);
      const occurrence = nextOccurrence(v.schedule, now);
      return occurrence ? { series: v.series, occurrence, timeZone: v.schedule.timeZone, location: v.location } : null;
    })
    .filter((x): x is NextMeeting => x !== null)
    .sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
}
