import { describe, expect, it } from "vitest";
import { chartCsvFileName, fleetCsv, openItemsCsv } from "@/lib/dashboard/charts-csv";

describe("the charts' numbers as CSV", () => {
  it("open items: a row per point, the columns of the table under the chart", () => {
    const csv = openItemsCsv({
      points: [
        { day: "2017-05-10", open: 3, opened: 3, closed: 0 },
        { day: "2017-06-01", open: 2, opened: 0, closed: 1 },
      ],
      meetings: [{ id: "m1", date: "2017-05-10", title: "WG, 10 May" }],
    });
    expect(csv).toBe("day,opened,closed,open after the day\n2017-05-10,3,0,3\n2017-06-01,0,1,2\n");
  });

  it("fleet: a column per rule drawn (0 where a point has none), then deprivileged and VMs", () => {
    const csv = fleetCsv({
      from: "2026-11-01T00:00:00.000Z",
      to: "2026-12-01T00:00:00.000Z",
      days: 30,
      rules: ["dm-state", "trad-physmap"],
      points: [
        { at: "2026-11-30T12:00:00.000Z", vmCount: 4, deprivCount: 1, dependencies: { "dm-state": 3 } },
        { at: "2026-11-30T12:01:00.000Z", vmCount: 4, deprivCount: 2, dependencies: { "dm-state": 2, "trad-physmap": 1 } },
      ],
      meetings: [],
    });
    expect(csv.split("\n")).toEqual([
      "time (UTC),dm-state,trad-physmap,deprivileged,VMs",
      "2026-11-30T12:00:00.000Z,3,0,1,4",
      "2026-11-30T12:01:00.000Z,2,1,2,4",
      "",
    ]);
    expect(chartCsvFileName("fleet", new Date("2026-12-01T23:59:00Z"))).toBe("fleet-2026-12-01.csv");
  });
});
