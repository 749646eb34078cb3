/**
 * A series' schedule as an iCalendar feed (RFC 5545), built with ical-generator: one
 * recurring event (RRULE in the series' time zone, with its VTIMEZONE from
 * timezones-ical-library), cancelled meetings as EXDATEs, moved ones as overrides with a
 * RECURRENCE-ID, and the agenda link on each. Pure: no database, no request.
 */
import ical, { ICalEventRepeatingFreq, ICalWeekday, type ICalRepeatingOptions } from "ical-generator";
import { DateTime } from "luxon";
import { trimEndChars } from "@/lib/minutes/text";
import { tzlib_get_ical_block } from "timezones-ical-library";
import type { ScheduleView } from "./reads";
import { addDays, ICAL_DAYS, isRuleDay, ruleDays } from "./schedule";

/** How often calendar clients should fetch the feed again. */
export const FEED_TTL_SECONDS = 3600;

export interface FeedOptions {
  /** The public origin, e.g. https://dmboard.example.org (no trailing slash). */
  baseUrl: string;
  /** UID domain part: stable per installation so clients recognise the events. */
  uidDomain?: string;
}

/** Where a meeting's agenda is: the agenda page for that series and day. */
export const agendaPath = (slug: string, day: string) => `/agenda?series=${encodeURIComponent(slug)}&date=${day}`;

const vtimezone = (tz: string): string | null => {
  const block = tzlib_get_ical_block(tz);
  return Array.isArray(block) && typeof block[0] === "string" && block[0].includes("BEGIN:VTIMEZONE") ? block[0] : null;
};

export function scheduleFeed(view: ScheduleView, opts: FeedOptions): string {
  const s = view.schedule;
  const zone = s.timeZone;
  const base = trimEndChars(opts.baseUrl, "/");
  const uid = `series-${view.series.id}@${opts.uidDomain ?? new URL(base).hostname}`;
  const local = (day: string, time: string) => DateTime.fromISO(`${day}T${time}`, { zone });
  // The calendar carries no zone of its own (name null): DTSTAMP and UNTIL stay in UTC
  // as RFC 5545 requires, and the generator still emits the VTIMEZONE the events name.
  const cal = ical({
    name: view.series.name,
    description: `${view.series.name}: ${view.description}`,
    prodId: "//dmboard//dmboard//EN",
    timezone: { name: null, generator: vtimezone },
    ttl: FEED_TTL_SECONDS,
  });

  const first = ruleDays(s, s.startsOn, addDays(s.startsOn, 62))[0];
  if (!first) return cal.toString();
  const summary = `${view.series.name} meeting`;
  const seriesAgenda = `${base}/agenda?series=${encodeURIComponent(view.series.slug)}`;
  const describe = (agenda: string, note = "") =>
    [`Agenda: ${agenda}`, view.location && `Where: ${view.location}`, note && `Note: ${note}`].filter(Boolean).join("\n");

  const repeating: ICalRepeatingOptions = {
    freq: s.frequency === "monthly" ? ICalEventRepeatingFreq.MONTHLY : ICalEventRepeatingFreq.WEEKLY,
    byDay: [ICAL_DAYS[s.weekday - 1] as ICalWeekday],
    ...(s.frequency === "weekly" && s.interval > 1 && { interval: s.interval }),
    ...(s.frequency === "monthly" && { bySetPos: [s.weekOfMonth ?? 1] }),
    // UNTIL is the end of the last allowed local day, written in UTC.
    ...(s.endsOn && { until: local(s.endsOn, "23:59").toUTC() }),
  };
  // Only when there is one: an empty list would still write an empty EXDATE, which parsers reject.
  const cancelled = s.exceptions.filter((e) => e.kind === "cancelled").map((e) => local(e.day, s.time));
  if (cancelled.length) repeating.exclude = cancelled;
  const start = local(first, s.time);
  cal.createEvent({
    id: uid,
    sequence: view.version,
    stamp: view.updatedAt,
    lastModified: view.updatedAt,
    start,
    end: start.plus({ minutes: s.durationMinutes }),
    timezone: zone,
    summary,
    // One link for every meeting of the rule: the agenda page opens on the next one.
    description: describe(seriesAgenda),
    location: view.location || undefined,
    url: seriesAgenda,
    repeating,
  });

  // A moved meeting: the same UID, RECURRENCE-ID = where the rule had it.
  for (const e of s.exceptions) {
    if (e.kind !== "moved" || !e.movedTo) continue;
    if (!isRuleDay(s, e.day)) continue;
    const at = local(e.movedTo.day, e.movedTo.time);
    cal.createEvent({
      id: uid,
      sequence: view.version,
      stamp: view.updatedAt,
      recurrenceId: local(e.day, s.time),
      start: at,
      end: at.plus({ minutes: s.durationMinutes }),
      timezone: zone,
      summary: `${summary} (moved from ${e.day})`,
      description: describe(`${base}${agendaPath(view.series.slug, e.movedTo.day)}`, e.note),
      location: view.location || undefined,
      url: `${base}${agendaPath(view.series.slug, e.movedTo.day)}`,
    });
  }
  return cal.toString();
}
