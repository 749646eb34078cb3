import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { scheduleFeed } from "@/lib/calendar/ical";
import type { ScheduleView } from "@/lib/calendar/reads";
import { describeSchedule, type Schedule } from "@/lib/calendar/schedule";

/**
 * The feed as a calendar client reads it: parsed and expanded by ical.js (Mozilla's
 * iCalendar library, the parser of Thunderbird's calendar), using the VTIMEZONE the feed
 * itself carries, not our own time-zone code.
 */
const schedule: Schedule = {
  frequency: "weekly",
  interval: 2,
  weekday: 3,
  weekOfMonth: null,
  startsOn: "2025-03-12",
  endsOn: "2025-12-31",
  time: "15:00",
  timeZone: "Europe/London",
  durationMinutes: 60,
  exceptions: [
    { day: "2025-04-09", kind: "cancelled", movedTo: null, note: "Easter" },
    { day: "2025-04-23", kind: "moved", movedTo: { day: "2025-04-24", time: "10:00" }, note: "Xen Summit" },
  ],
};
const view: ScheduleView = {
  id: "sched1",
  version: 4,
  series: { id: "series1", slug: "qemu-wg", name: "QEMU WG" },
  schedule,
  description: describeSchedule(schedule),
  location: "https://meet.example.org/qemu-wg",
  updatedAt: new Date("2025-03-01T10:00:00Z"),
  exceptions: [],
};

function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return cal;
}

/** Every occurrence ical.js expands (EXDATEs dropped, RECURRENCE-ID overrides applied), as [UTC start, summary]. */
function expand(cal: ICAL.Component, until: string): [string, string][] {
  const events = cal.getAllSubcomponents("vevent");
  const master = new ICAL.Event(events.find((e) => !e.hasProperty("recurrence-id")));
  for (const e of events.filter((x) => x.hasProperty("recurrence-id"))) master.relateException(e);
  const it = master.iterator();
  const out: [string, string][] = [];
  for (let t = it.next(); t && t.toJSDate() < new Date(until); t = it.next()) {
    const d = master.getOccurrenceDetails(t);
    out.push([d.startDate.toJSDate().toISOString(), d.item.summary]);
  }
  return out;
}

describe("the iCalendar feed, read by ical.js", () => {
  const text = scheduleFeed(view, { baseUrl: "https://dmboard.example.org/" });
  const cal = parse(text);

  it("is a VCALENDAR with the series' zone as a VTIMEZONE and one recurring event in it", () => {
    expect(cal.name).toBe("vcalendar");
    expect(cal.getFirstPropertyValue("version")).toBe("2.0");
    expect(cal.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"))).toEqual(["Europe/London"]);
    const master = cal.getAllSubcomponents("vevent").find((e) => !e.hasProperty("recurrence-id"))!;
    expect(master.getFirstProperty("dtstart")!.getParameter("tzid")).toBe("Europe/London");
    const rrule = master.getFirstPropertyValue("rrule") as ICAL.Recur;
    expect(rrule.freq).toBe("WEEKLY");
    expect(rrule.interval).toBe(2);
    expect(rrule.parts.BYDAY).toEqual(["WE"]);
    // UNTIL and DTSTAMP are UTC, as RFC 5545 requires with a TZID'd DTSTART.
    expect(rrule.until!.toJSDate().toISOString()).toBe("2025-12-31T23:59:00.000Z");
    expect(text).toMatch(/^RRULE:.*UNTIL=20251231T235900Z/m);
    expect(text).toMatch(/^DTSTAMP:20250301T100000Z\r$/m);
    expect(master.getFirstPropertyValue("sequence")).toBe(4);
  });

  it("links each meeting to its agenda", () => {
    const events = cal.getAllSubcomponents("vevent");
    const master = events.find((e) => !e.hasProperty("recurrence-id"))!;
    const moved = events.find((e) => e.hasProperty("recurrence-id"))!;
    expect(master.getFirstPropertyValue("url")).toBe("https://dmboard.example.org/agenda?series=qemu-wg");
    expect(String(master.getFirstPropertyValue("description"))).toContain("Agenda: https://dmboard.example.org/agenda?series=qemu-wg");
    expect(moved.getFirstPropertyValue("url")).toBe("https://dmboard.example.org/agenda?series=qemu-wg&date=2025-04-24");
    expect(master.getFirstPropertyValue("location")).toBe("https://meet.example.org/qemu-wg");
  });

  it("keeps 15:00 London time across the DST change, skips the cancelled one and moves the moved one", () => {
    expect(expand(cal, "2025-05-10T00:00:00Z")).toEqual([
      ["2025-03-12T15:00:00.000Z", "QEMU WG meeting"],
      ["2025-03-26T15:00:00.000Z", "QEMU WG meeting"],
      // 30 March: clocks go forward; 9 April is cancelled.
      ["2025-04-24T09:00:00.000Z", "QEMU WG meeting (moved from 2025-04-23)"],
      ["2025-05-07T14:00:00.000Z", "QEMU WG meeting"],
    ]);
    const autumn = expand(cal, "2026-01-10T00:00:00Z").filter(([at]) => at >= "2025-10-01");
    expect(autumn.map(([at]) => at)).toEqual([
      "2025-10-08T14:00:00.000Z",
      "2025-10-22T14:00:00.000Z",
      "2025-11-05T15:00:00.000Z",
      "2025-11-19T15:00:00.000Z",
      "2025-12-03T15:00:00.000Z",
      "2025-12-17T15:00:00.000Z",
      "2025-12-31T15:00:00.000Z",
    ]);
  });

  it("a monthly schedule becomes BYDAY with BYSETPOS", () => {
    const monthly: Schedule = { ...schedule, frequency: "monthly", weekday: 5, weekOfMonth: -1, endsOn: null, exceptions: [] };
    const c = parse(scheduleFeed({ ...view, schedule: monthly }, { baseUrl: "https://dmboard.example.org" }));
    expect(expand(c, "2025-06-01T00:00:00Z").map(([at]) => at)).toEqual(["2025-03-28T15:00:00.000Z", "2025-04-25T14:00:00.000Z", "2025-05-30T14:00:00.000Z"]);
  });
});
