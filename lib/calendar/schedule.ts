/**
 * A series' meeting schedule as rules over local calendar days: every N weeks on a
 * weekday, or the n-th (or last) weekday of each month, at a wall-clock time in an IANA
 * time zone, with cancelled and moved occurrences. Pure (luxon for the time zone), so
 * the dashboard, the agenda, the reminders and the iCalendar feed agree on every date.
 *
 * Days are "YYYY-MM-DD" local dates; the rule is evaluated on days, and only then is a
 * day's time turned into an instant in the zone. That is what keeps a 15:00 Europe/London
 * meeting at 15:00 local across the DST change (15:00Z in winter, 14:00Z in summer).
 */
import { DateTime, IANAZone } from "luxon";

export const FREQUENCIES = ["weekly", "monthly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/** ISO weekdays (1 Monday … 7 Sunday): names and the iCalendar BYDAY codes. */
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export const ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export const WEEKS_OF_MONTH = [1, 2, 3, 4, -1] as const;

export type ExceptionKind = "cancelled" | "moved";

export interface ScheduleException {
  /** The occurrence's day as the rule gives it. */
  day: string;
  kind: ExceptionKind;
  /** moved: where it went (local day and "HH:MM"). */
  movedTo: { day: string; time: string } | null;
  note: string;
}

export interface Schedule {
  frequency: Frequency;
  /** weekly: every `interval` weeks, counted from the first meeting. */
  interval: number;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
  /** monthly: 1–4, or -1 for the last such weekday. */
  weekOfMonth: number | null;
  /** First day a meeting may fall on (the weekly count starts at the first matching day). */
  startsOn: string;
  endsOn: string | null;
  /** "HH:MM", wall-clock time in `timeZone`. */
  time: string;
  timeZone: string;
  durationMinutes: number;
  exceptions: ScheduleException[];
}

export interface Occurrence {
  /** The rule's day: what exceptions, the agenda and the digest are keyed by. */
  day: string;
  start: Date;
  end: Date;
  /** Where it really happens, local to the schedule's zone (differs from `day` when moved). */
  localDay: string;
  localTime: string;
  moved: boolean;
  note: string;
}

export const isValidTimeZone = (tz: string): boolean => tz.length <= 64 && IANAZone.isValidZone(tz);

const DAY_MS = 86_400_000;
const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => toDay(toMs(day) + n * DAY_MS);
/** ISO weekday of a day (1 Monday … 7 Sunday). */
export const weekdayOf = (day: string): number => ((new Date(toMs(day)).getUTCDay() + 6) % 7) + 1;

/**
 * The instant of a local wall-clock time, as RFC 5545 reads a DTSTART with a TZID (so the
 * feed and the pages agree): a time that does not exist (the hour skipped when clocks go
 * forward) moves forward by the gap; a time that happens twice (when they go back) is the
 * first of the two.
 */
export function localInstant(day: string, time: string, timeZone: string): Date {
  const dt = DateTime.fromISO(`${day}T${time}`, { zone: timeZone });
  if (!dt.isValid) throw new Error(`invalid local time ${day} ${time} in ${timeZone}: ${dt.invalidExplanation ?? dt.invalidReason}`);
  const first = dt.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), dt);
  return first.toJSDate();
}

/** The local day and "HH:MM" of an instant in a zone. */
export function localParts(at: Date, timeZone: string): { day: string; time: string } {
  const dt = DateTime.fromJSDate(at, { zone: timeZone });
  return { day: dt.toISODate()!, time: dt.toFormat("HH:mm") };
}

/** The first day on or after `startsOn` that is the schedule's weekday. */
function firstWeekly(s: Schedule): string {
  return addDays(s.startsOn, (s.weekday - weekdayOf(s.startsOn) + 7) % 7);
}

/** The n-th (or last, n = -1) `weekday` of a month, as a day. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): string | null {
  const first = `${year}-${String(month).padStart(2, "0")}-01`;
  if (n > 0) {
    const d = addDays(first, ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7);
    return d.slice(0, 7) === first.slice(0, 7) ? d : null;
  }
  const nextMonth = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
  const last = addDays(nextMonth, -1);
  return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
}

/** The rule's days in [from, to] (both local days), before exceptions. */
export function ruleDays(s: Schedule, from: string, to: string): string[] {
  const lo = from > s.startsOn ? from : s.startsOn;
  const hi = s.endsOn && s.endsOn < to ? s.endsOn : to;
  if (lo > hi) return [];
  const out: string[] = [];
  if (s.frequency === "weekly") {
    const first = firstWeekly(s);
    const step = 7 * Math.max(1, s.interval);
    const k0 = Math.max(0, Math.ceil((toMs(lo) - toMs(first)) / DAY_MS / step));
    for (let d = addDays(first, k0 * step); d <= hi; d = addDays(d, step)) if (d >= lo) out.push(d);
    return out;
  }
  const n = s.weekOfMonth ?? 1;
  let y = Number(lo.slice(0, 4));
  let m = Number(lo.slice(5, 7));
  while (`${y}-${String(m).padStart(2, "0")}` <= hi.slice(0, 7)) {
    const d = nthWeekdayOfMonth(y, m, s.weekday, n);
    if (d && d >= lo && d <= hi) out.push(d);
    if (++m === 13) [y, m] = [y + 1, 1];
  }
  return out;
}

function occurrenceOn(s: Schedule, day: string, ex: ScheduleException | undefined): Occurrence {
  const localDay = ex?.kind === "moved" && ex.movedTo ? ex.movedTo.day : day;
  const localTime = ex?.kind === "moved" && ex.movedTo ? ex.movedTo.time : s.time;
  const start = localInstant(localDay, localTime, s.timeZone);
  return { day, start, end: new Date(start.getTime() + s.durationMinutes * 60_000), localDay, localTime, moved: ex?.kind === "moved", note: ex?.note ?? "" };
}

/**
 * The meetings that start in [from, to), in order: the rule's days without the
 * cancelled ones, moved ones at their new time (also when only the move brings them
 * into the range).
 */
export function occurrencesBetween(s: Schedule, from: Date, to: Date): Occurrence[] {
  const byDay = new Map(s.exceptions.map((e) => [e.day, e]));
  // Local days can be a day either side of the UTC ones.
  const days = ruleDays(s, toDay(from.getTime() - DAY_MS), toDay(to.getTime() + DAY_MS));
  const out: Occurrence[] = [];
  for (const day of days) {
    const ex = byDay.get(day);
    if (ex?.kind === "cancelled" || ex?.kind === "moved") continue;
    out.push(occurrenceOn(s, day, undefined));
  }
  for (const ex of s.exceptions) {
    if (ex.kind !== "moved" || !ex.movedTo || !isRuleDay(s, ex.day)) continue;
    out.push(occurrenceOn(s, ex.day, ex));
  }
  return out.filter((o) => o.start >= from && o.start < to).sort((a, b) => a.start.getTime() - b.start.getTime() || a.day.localeCompare(b.day));
}

/** Whether the rule has a meeting on this day (before exceptions). */
export function isRuleDay(s: Schedule, day: string): boolean {
  return ruleDays(s, day, day).length === 1;
}

/** The next meeting not yet over at `now` (one in progress counts), looking a year ahead. */
export function nextOccurrence(s: Schedule, now: Date): Occurrence | null {
  const from = new Date(now.getTime() - s.durationMinutes * 60_000);
  return occurrencesBetween(s, from, new Date(now.getTime() + 400 * DAY_MS)).find((o) => o.end > now) ?? null;
}

/** The next `count` meetings from `now`. */
export function upcoming(s: Schedule, now: Date, count: number): Occurrence[] {
  const from = new Date(now.getTime() - s.durationMinutes * 60_000);
  return occurrencesBetween(s, from, new Date(now.getTime() + 800 * DAY_MS))
    .filter((o) => o.end > now)
    .slice(0, count);
}

/** The occurrence whose rule day or actual local day is `day`, if any. */
export function occurrenceOnDay(s: Schedule, day: string): Occurrence | null {
  const around = occurrencesBetween(s, new Date(toMs(day) - 3 * DAY_MS), new Date(toMs(day) + 4 * DAY_MS));
  return around.find((o) => o.localDay === day) ?? around.find((o) => o.day === day) ?? null;
}

/** "every second Wednesday at 15:00 Europe/London", "the last Friday of each month at 09:30 UTC". */
export function describeSchedule(s: Pick<Schedule, "frequency" | "interval" | "weekday" | "weekOfMonth" | "time" | "timeZone">): string {
  const day = WEEKDAYS[s.weekday - 1];
  const at = `at ${s.time} ${s.timeZone}`;
  if (s.frequency === "monthly") {
    const nth = s.weekOfMonth === -1 ? "last" : (["first", "second", "third", "fourth"][(s.weekOfMonth ?? 1) - 1] ?? "first");
    return `the ${nth} ${day} of each month ${at}`;
  }
  const every = s.interval === 1 ? `every ${day}` : s.interval === 2 ? `every second ${day}` : `every ${s.interval} weeks on ${day}`;
  return `${every} ${at}`;
}

/** "Wednesday 12 March 2025, 15:00 GMT" in the schedule's zone. */
export function formatLocal(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale("en-GB").toFormat("cccc d LLLL yyyy, HH:mm ZZZZ");
}
