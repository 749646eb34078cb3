import { createHash } from "node:crypto";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addException, removeException, saveSchedule } from "@/lib/calendar/commands";
import { seriesFeedText } from "@/lib/calendar/feed";
import { activeFeedToken, revokeFeedToken, rotateFeedToken, userForFeedToken } from "@/lib/calendar/feed-tokens";
import { calendarOverview, nextMeetings, scheduleOfSeries } from "@/lib/calendar/reads";
import type { ScheduleInput } from "@/lib/calendar/schemas";
import { userForToken } from "@/lib/tokens/reads";
import { setupTestDb, type TestDb } from "../harness";
import { editor, NOW, seedChair } from "./fixtures";

describe("series schedules, exceptions and the feed", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedChair>>;
  let input: ScheduleInput;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedChair(t.db);
    input = {
      seriesId: g.series.id,
      version: 0,
      frequency: "weekly",
      interval: 2,
      weekday: 3,
      startsOn: "2025-06-04",
      time: "15:00",
      timeZone: "Europe/London",
      durationMinutes: 60,
      location: "https://meet.example.org/qemu-wg",
    };
  });
  afterAll(() => t.cleanup());

  it("sets a schedule once; a second writer from the same version gets CONFLICT; a bad zone is refused", async () => {
    expect(await saveSchedule(input, editor, t.db)).toMatchObject({ version: 1 });
    await expect(saveSchedule(input, editor, t.db)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await saveSchedule({ ...input, version: 1, durationMinutes: 90 }, editor, t.db)).toMatchObject({ version: 2 });
    await expect(saveSchedule({ ...input, version: 2, timeZone: "Europe/Londn" }, editor, t.db)).rejects.toThrow(/IANA time zone/);
    const events = await t.db.auditEvent.findMany({ where: { entity: "series", entityId: g.series.id }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["schedule.create", "schedule.update"]);
  });

  it("gives the next meetings, in London time, to the dashboard and the calendar page", async () => {
    const next = await nextMeetings(NOW, t.db);
    expect(next.map((m) => [m.series.slug, m.occurrence.day, m.occurrence.start.toISOString()])).toEqual([
      ["qemu-wg", "2025-06-18", "2025-06-18T14:00:00.000Z"],
    ]);
    const [cal] = await calendarOverview({ now: NOW, count: 3 }, t.db);
    expect(cal.upcoming.map((o) => o.day)).toEqual(["2025-06-18", "2025-07-02", "2025-07-16"]);
    expect(cal.schedule!.description).toBe("every second Wednesday at 15:00 Europe/London");
  });

  it("cancels and moves a meeting on a day the rule has, and refuses other days", async () => {
    await expect(addException({ seriesId: g.series.id, day: "2025-06-25", kind: "cancelled", note: "" }, editor, t.db)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { day: [expect.stringContaining("no meeting on 2025-06-25")] },
    });
    await addException({ seriesId: g.series.id, day: "2025-06-18", kind: "cancelled", note: "Xen Summit" }, editor, t.db);
    await addException({ seriesId: g.series.id, day: "2025-07-02", kind: "moved", movedToDay: "2025-07-03", movedToTime: "10:00", note: "" }, editor, t.db);
    const next = (await nextMeetings(NOW, t.db))[0].occurrence;
    expect([next.day, next.localDay, next.localTime, next.moved]).toEqual(["2025-07-02", "2025-07-03", "10:00", true]);
    const view = (await scheduleOfSeries("qemu-wg", t.db))!;
    expect(view.version).toBe(4);
    expect(view.exceptions.map((e) => [e.day, e.kind])).toEqual([
      ["2025-06-18", "cancelled"],
      ["2025-07-02", "moved"],
    ]);
  });

  it("serves a feed a real parser reads: the cancelled day excluded, the moved one overridden", async () => {
    const feed = (await seriesFeedText("qemu-wg", { baseUrl: "https://dmboard.example.org" }, t.db))!;
    const cal = new ICAL.Component(ICAL.parse(feed.ics));
    for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
    const events = cal.getAllSubcomponents("vevent");
    const master = new ICAL.Event(events.find((e) => !e.hasProperty("recurrence-id")));
    for (const e of events.filter((x) => x.hasProperty("recurrence-id"))) master.relateException(e);
    const it = master.iterator();
    const got: string[] = [];
    for (let x = it.next(); x && got.length < 4; x = it.next()) got.push(master.getOccurrenceDetails(x).startDate.toJSDate().toISOString());
    expect(got).toEqual(["2025-06-04T14:00:00.000Z", "2025-07-03T09:00:00.000Z", "2025-07-16T14:00:00.000Z", "2025-07-30T14:00:00.000Z"]);
    expect(master.sequence).toBe(4);
    expect(await seriesFeedText("no-such-series", {}, t.db)).toBeNull();
  });

  it("restores a meeting by removing its exception", async () => {
    const view = (await scheduleOfSeries(g.series.id, t.db))!;
    await removeException(g.series.id, view.exceptions[0].id, editor, t.db);
    expect((await nextMeetings(NOW, t.db))[0].occurrence.day).toBe("2025-06-18");
    await expect(removeException(g.series.id, view.exceptions[0].id, editor, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("calendar feed tokens", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
    await seedChair(t.db);
  });
  afterAll(() => t.cleanup());

  it("stores only a hash; the token opens the feed as its user, and nothing else", async () => {
    const { token, prefix } = await rotateFeedToken(editor, t.db);
    expect(token).toMatch(/^dmf_[\w-]{43}$/);
    const rows = await t.db.feedToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(rows)).not.toContain(token.slice(10));
    expect(JSON.stringify(await t.db.auditEvent.findMany())).not.toContain(token.slice(10));
    expect((await userForFeedToken(token, t.db))?.id).toBe(editor.userId);
    expect((await activeFeedToken(editor.userId, t.db))?.prefix).toBe(prefix);
    // Not an API token: the read API refuses it.
    expect(await userForToken(token, t.db)).toBeNull();
    expect(await userForFeedToken(`dmb_${token.slice(4)}`, t.db)).toBeNull();
  });

  it("rotating revokes the old token; revoking stops the new one; a banned user's token opens nothing", async () => {
    const first = (await rotateFeedToken(editor, t.db)).token;
    const second = (await rotateFeedToken(editor, t.db)).token;
    expect(await userForFeedToken(first, t.db)).toBeNull();
    expect((await userForFeedToken(second, t.db))?.id).toBe(editor.userId);
    expect(await revokeFeedToken(editor, t.db)).toBe(1);
    expect(await userForFeedToken(second, t.db)).toBeNull();
    expect(await activeFeedToken(editor.userId, t.db)).toBeNull();
    const third = (await rotateFeedToken({ userId: "u-andrew", email: "andrew@example.org" }, t.db)).token;
    await t.db.user.update({ where: { id: "u-andrew" }, data: { banned: true } });
    expect(await userForFeedToken(third, t.db)).toBeNull();
  });
});
