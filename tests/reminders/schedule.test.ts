import { describe, expect, it } from "vitest";
import { composeDigest, worthSending, type DigestData } from "@/lib/reminders/digest";
import { dueRun, nextRun, type DigestSettings } from "@/lib/reminders/schedule";

const weekly: DigestSettings = { enabled: true, frequency: "weekly", weekday: 1, time: "08:00", timeZone: "Europe/London", dueSoonDays: 7 };

describe("when a digest run is due", () => {
  it("weekly on Monday 08:00 London: due from 08:00 local, in GMT and in BST, for 12 hours", () => {
    expect(dueRun(weekly, new Date("2025-03-24T07:59:00Z"))).toBeNull();
    expect(dueRun(weekly, new Date("2025-03-24T08:00:00Z"))).toEqual({ period: "2025-03-24", at: new Date("2025-03-24T08:00:00Z") });
    // After the clocks went forward (30 March), 08:00 London is 07:00Z.
    expect(dueRun(weekly, new Date("2025-03-31T07:00:00Z"))?.period).toBe("2025-03-31");
    expect(dueRun(weekly, new Date("2025-03-31T19:00:01Z"))).toBeNull();
    expect(dueRun(weekly, new Date("2025-03-25T08:00:00Z"))).toBeNull();
  });

  it("a run shortly after midnight still catches yesterday's late run", () => {
    const late = { ...weekly, frequency: "daily" as const, time: "23:30", timeZone: "UTC" };
    expect(dueRun(late, new Date("2025-03-25T00:10:00Z"))?.period).toBe("2025-03-24");
  });

  it("nothing when switched off; the next run for the admin page", () => {
    expect(dueRun({ ...weekly, enabled: false }, new Date("2025-03-24T09:00:00Z"))).toBeNull();
    expect(nextRun(weekly, new Date("2025-03-24T09:00:00Z"))?.period).toBe("2025-03-31");
  });
});

describe("the digest mail", () => {
  const data: DigestData = {
    name: "Igor Druzhinin",
    email: "igor@example.org",
    items: [
      { id: "a", text: "Igor to post the physmap patches.", dueDate: "2025-03-20", overdue: true, series: "QEMU WG" },
      { id: "b", text: "Igor to review the dm-op series.", dueDate: "2025-03-27", overdue: false, series: "QEMU WG" },
    ],
    otherOpen: 1,
    dueSoonDays: 7,
    meeting: { title: "QEMU WG meeting", when: "Wednesday 26 March 2025, 15:00 GMT", agendaPath: "/agenda?series=qemu-wg&date=2025-03-26" },
  };

  it("lists overdue and due-soon items with links, and the next meeting with its agenda", () => {
    const m = composeDigest(data, "https://dmboard.example.org/");
    expect(m.subject).toBe("[dmboard] 1 overdue, 1 due soon; next meeting Wednesday 26 March 2025, 15:00 GMT");
    expect(m.text).toContain("Overdue:\n\n* Igor to post the physmap patches. (due 20th March 2025; QEMU WG)\n  https://dmboard.example.org/items/a\n");
    expect(m.text).toContain("Due within 7 days:\n\n* Igor to review the dm-op series.");
    expect(m.text).toContain("Agenda: https://dmboard.example.org/agenda?series=qemu-wg&date=2025-03-26");
    expect(m.text).toContain("https://dmboard.example.org/account");
  });

  it("is worth sending with an item or a meeting, not with neither", () => {
    expect(worthSending(data)).toBe(true);
    expect(worthSending({ ...data, items: [] })).toBe(true);
    expect(worthSending({ ...data, items: [], meeting: null })).toBe(false);
  });
});
