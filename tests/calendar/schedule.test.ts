import { describe, expect, it } from "vitest";
import {
  describeSchedule,
  isRuleDay,
  localInstant,
  nextOccurrence,
  occurrencesBetween,
  occurrenceOnDay,
  ruleDays,
  upcoming,
  type Schedule,
} from "@/lib/calendar/schedule";

const fortnightly: Schedule = {
  frequency: "weekly",
  interval: 2,
  weekday: 3, // Wednesday
  weekOfMonth: null,
  startsOn: "2025-03-12",
  endsOn: null,
  time: "15:00",
  timeZone: "Europe/London",
  durationMinutes: 60,
  exceptions: [],
};

const iso = (d: Date) => d.toISOString();

describe("a fortnightly 15:00 Europe/London schedule across the DST changes", () => {
  it("stays at 15:00 local: 15:00Z in GMT, 14:00Z in BST, and back", () => {
    // Clocks go forward on Sunday 30 March 2025 and back on Sunday 26 October 2025.
    const os = occurrencesBetween(fortnightly, new Date("2025-03-01T00:00:00Z"), new Date("2025-11-10T00:00:00Z"));
    const byDay = Object.fromEntries(os.map((o) => [o.day, iso(o.start)]));
    expect(byDay["2025-03-26"]).toBe("2025-03-26T15:00:00.000Z");
    expect(byDay["2025-04-09"]).toBe("2025-04-09T14:00:00.000Z");
    expect(byDay["2025-10-22"]).toBe("2025-10-22T14:00:00.000Z");
    expect(byDay["2025-11-05"]).toBe("2025-11-05T15:00:00.000Z");
    expect(os.every((o) => o.localTime === "15:00")).toBe(true);
  });

  it("meets every second Wednesday from the first", () => {
    expect(ruleDays(fortnightly, "2025-03-01", "2025-05-01")).toEqual(["2025-03-12", "2025-03-26", "2025-04-09", "2025-04-23"]);
    expect(isRuleDay(fortnightly, "2025-03-19")).toBe(false);
    expect(describeSchedule(fortnightly)).toBe("every second Wednesday at 15:00 Europe/London");
  });

  it("starts on the first matching weekday after a start day that is not one", () => {
    expect(ruleDays({ ...fortnightly, startsOn: "2025-03-10" }, "2025-03-01", "2025-03-31")).toEqual(["2025-03-12", "2025-03-26"]);
  });

  it("cancels and moves single meetings, also into and out of the range asked for", () => {
    const s: Schedule = {
      ...fortnightly,
      exceptions: [
        { day: "2025-04-09", kind: "cancelled", movedTo: null, note: "Easter" },
        { day: "2025-04-23", kind: "moved", movedTo: { day: "2025-04-24", time: "10:00" }, note: "" },
      ],
    };
    const os = occurrencesBetween(s, new Date("2025-04-01T00:00:00Z"), new Date("2025-05-01T00:00:00Z"));
    expect(os.map((o) => [o.day, o.localDay, o.localTime, iso(o.start)])).toEqual([["2025-04-23", "2025-04-24", "10:00", "2025-04-24T09:00:00.000Z"]]);
    expect(occurrenceOnDay(s, "2025-04-24")?.moved).toBe(true);
    expect(occurrenceOnDay(s, "2025-04-09")).toBeNull();
  });

  it("gives the next meeting, the one in progress included", () => {
    expect(iso(nextOccurrence(fortnightly, new Date("2025-03-27T09:00:00Z"))!.start)).toBe("2025-04-09T14:00:00.000Z");
    expect(nextOccurrence(fortnightly, new Date("2025-03-26T15:30:00Z"))!.day).toBe("2025-03-26");
    expect(upcoming(fortnightly, new Date("2025-03-01T00:00:00Z"), 3).map((o) => o.day)).toEqual(["2025-03-12", "2025-03-26", "2025-04-09"]);
    expect(nextOccurrence({ ...fortnightly, endsOn: "2025-03-20" }, new Date("2025-03-21T00:00:00Z"))).toBeNull();
  });
});

describe("monthly schedules", () => {
  it("the last Friday and the second Tuesday of each month", () => {
    const last: Schedule = { ...fortnightly, frequency: "monthly", weekday: 5, weekOfMonth: -1, startsOn: "2025-01-01" };
    expect(ruleDays(last, "2025-01-01", "2025-06-30")).toEqual(["2025-01-31", "2025-02-28", "2025-03-28", "2025-04-25", "2025-05-30", "2025-06-27"]);
    const second: Schedule = { ...fortnightly, frequency: "monthly", weekday: 2, weekOfMonth: 2, startsOn: "2025-01-01" };
    expect(ruleDays(second, "2025-01-01", "2025-03-31")).toEqual(["2025-01-14", "2025-02-11", "2025-03-11"]);
    expect(describeSchedule(last)).toBe("the last Friday of each month at 15:00 Europe/London");
  });
});

describe("local times that do not exist or happen twice", () => {
  it("a time in the skipped hour moves forward by the gap", () => {
    expect(iso(localInstant("2025-03-30", "01:30", "Europe/London"))).toBe("2025-03-30T01:30:00.000Z");
    expect(iso(localInstant("2025-03-30", "02:30", "Europe/Berlin"))).toBe("2025-03-30T01:30:00.000Z");
  });
  it("an ambiguous time takes the first (summer) offset", () => {
    expect(iso(localInstant("2025-10-26", "01:30", "Europe/London"))).toBe("2025-10-26T00:30:00.000Z");
  });
});
