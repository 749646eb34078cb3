import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/db/errors";
import { createMeeting, parseNewItems, updateMeeting } from "@/lib/meetings/commands";
import { getMeeting, listMeetings, meetingSnapshot, type MeetingSnapshot } from "@/lib/meetings/reads";
import { nameKey } from "@/lib/people/names";
import { setupTestDb, type TestDb } from "../harness";
import { editor, otherEditor, seedGroup } from "./fixtures";

describe("meetings", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedGroup>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedGroup(t.db);
  });
  afterAll(() => t.cleanup());

  const base = () => ({
    seriesId: g.series.id,
    date: "2017-05-10",
    title: "WG meeting 10th May 2017",
    body: "Physmap **keys** discussed.",
    decisions: "- Remove physmap keys",
  });

  it("creates a meeting with attendees, topics and items, and audits each", async () => {
    const m = await createMeeting(
      {
        ...base(),
        attendeeIds: [g.people.Paul],
        topicIds: [g.topics["physmap-keys"]],
        newItems: "Andrew to double check dm-op sub ops.\n- Igor to post patches",
      },
      editor,
      t.db,
    );
    expect(m.version).toBe(1);
    const d = (await getMeeting(m.id, t.db))!;
    expect(d.title).toBe("WG meeting 10th May 2017");
    expect(d.date.toISOString()).toBe("2017-05-10T00:00:00.000Z");
    expect(d.attendees.map((a) => a.person.displayName)).toEqual(["Paul Durrant"]);
    expect(d.topics.map((x) => x.topic.slug)).toEqual(["physmap-keys"]);
    expect(d.createdById).toBe(editor.userId);
    expect(d.itemsCreated.map((i) => i.text)).toEqual(["Andrew to double check dm-op sub ops.", "Igor to post patches"]);
    expect(d.itemsCreated[0].owners.map((o) => o.personId)).toEqual([g.people.Andrew]); // alias "Andrew"
    expect(m.createdPeople.map((p) => p.displayName)).toEqual([]);
    const igor = d.itemsCreated[1].owners[0].person;
    expect(igor.displayName).toBe("Igor"); // a new person, created on the fly
    const events = await t.db.auditEvent.findMany({ where: { actorId: editor.userId } });
    expect(events.filter((e) => e.entity === "meeting" && e.entityId === m.id && e.action === "create")).toHaveLength(1);
    expect(events.filter((e) => e.entity === "actionItem" && e.action === "create")).toHaveLength(2);
    expect(events.filter((e) => e.entity === "person" && e.entityId === igor.id)).toHaveLength(1);
  });

  it("resolves attendee names to existing people by alias, creates the others once", async () => {
    const before = await t.db.person.count();
    const m = await createMeeting(
      { ...base(), attendeeIds: [g.people.Andrew], newAttendees: ["Jennifer Herbert", "paul durrent", "  Simon   Crow ", "Simon Crow", "Andrew"] },
      editor,
      t.db,
    );
    const d = (await getMeeting(m.id, t.db))!;
    expect(d.attendees.map((a) => a.person.displayName)).toEqual(["Andrew Cooper", "Jenny Herbert", "Paul Durrant", "Simon Crow"]);
    expect(m.createdPeople.map((p) => p.displayName)).toEqual(["Simon Crow"]);
    expect(await t.db.person.count()).toBe(before + 1);
    // Next time "Simon Crow" is known: no duplicate.
    const again = await createMeeting({ ...base(), newAttendees: ["Simon Crow"] }, editor, t.db);
    expect(again.createdPeople).toEqual([]);
    expect(await t.db.person.count()).toBe(before + 1);
    const simon = await t.db.personAlias.findMany({ where: { normalized: nameKey("Simon Crow") } });
    expect(simon).toHaveLength(1);
    expect(await t.db.auditEvent.count({ where: { entity: "person", entityId: simon[0].personId, action: "create" } })).toBe(1);
  });

  it("refuses bad input with messages per field, and unknown references", async () => {
    await expect(createMeeting({ ...base(), date: "2017-02-30", title: "x" }, editor, t.db)).rejects.toMatchObject({ name: "ZodError" });
    const err = await createMeeting({ ...base(), topicIds: ["nope"] }, editor, t.db).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe("INVALID");
    expect(err.fieldErrors.topicIds[0]).toMatch(/does not exist/);
    const err2 = await createMeeting({ ...base(), seriesId: "nope" }, editor, t.db).catch((e) => e);
    expect(err2.fieldErrors.seriesId).toBeDefined();
  });

  it("updates with the version it started from and bumps it; audits the changes", async () => {
    const m = await createMeeting({ ...base(), attendeeIds: [g.people.Paul] }, editor, t.db);
    const u = await updateMeeting(
      m.id,
      1,
      { title: "Renamed", attendeeIds: [g.people.Paul, g.people.Jenny], newAttendees: ["Marcus Granado"], topicIds: [g.topics["xs-restrict"]] },
      editor,
      t.db,
    );
    expect(u.version).toBe(2);
    expect(u.changed.sort()).toEqual(["attendees", "title", "topics"]);
    const s = (await meetingSnapshot(m.id, t.db))!;
    expect(s.title).toBe("Renamed");
    expect(s.body).toBe(base().body); // untouched fields kept
    expect(s.attendees.map((a) => a.displayName)).toEqual(["Jenny Herbert", "Marcus Granado", "Paul Durrant"]);
    expect(s.topics.map((x) => x.name)).toEqual(["xs-restrict"]);
    expect(s.updatedBy).toBe(editor.email);
    const ev = await t.db.auditEvent.findFirstOrThrow({ where: { entity: "meeting", entityId: m.id, action: "update" } });
    const detail = JSON.parse(ev.detail);
    expect(detail.changes.title).toEqual({ from: "WG meeting 10th May 2017", to: "Renamed" });
    expect(detail.fromVersion).toBe(1);
  });

  it("refuses a stale version with the stored meeting, overwriting nothing", async () => {
    const m = await createMeeting(base(), editor, t.db);
    await updateMeeting(m.id, 1, { body: "A's text" }, editor, t.db);
    const auditsBefore = await t.db.auditEvent.count();
    const err = await updateMeeting(m.id, 1, { body: "B's text", title: "B's title" }, otherEditor, t.db).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.code).toBe("CONFLICT");
    const current = err.detail as MeetingSnapshot;
    expect(current.version).toBe(2);
    expect(current.body).toBe("A's text");
    expect(current.updatedBy).toBe(editor.email);
    const stored = (await getMeeting(m.id, t.db))!;
    expect(stored.body).toBe("A's text");
    expect(stored.title).toBe(base().title);
    expect(stored.version).toBe(2);
    expect(await t.db.auditEvent.count()).toBe(auditsBefore);
    // Re-applied on top of the current version, B's edit goes through.
    const ok = await updateMeeting(m.id, current.version, { body: "B's text" }, otherEditor, t.db);
    expect(ok.version).toBe(3);
  });

  it("lets exactly one of two concurrent saves from the same version win", async () => {
    const m = await createMeeting(base(), editor, t.db);
    const results = await Promise.allSettled([
      updateMeeting(m.id, 1, { body: "first" }, editor, t.db),
      updateMeeting(m.id, 1, { body: "second" }, otherEditor, t.db),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason.code).toBe("CONFLICT");
    const stored = (await getMeeting(m.id, t.db))!;
    expect(stored.version).toBe(2);
    expect(["first", "second"]).toContain(stored.body);
  });

  it("NOT_FOUND for a missing meeting", async () => {
    await expect(updateMeeting("missing", 1, { title: "abc" }, editor, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads new action items the way minutes write them", () => {
    expect(parseNewItems("* Igor, Ian: post RFC\n\n1. Jenny to update the page\nsomething unowned")).toEqual([
      { text: "Igor, Ian: post RFC", ownerNames: ["Igor", "Ian"] },
      { text: "Jenny to update the page", ownerNames: ["Jenny"] },
      { text: "something unowned", ownerNames: [] },
    ]);
  });
});

describe("listMeetings", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedGroup>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedGroup(t.db);
    const mk = (date: string, title: string, extra: object = {}) => createMeeting({ seriesId: g.series.id, date, title, ...extra }, editor, t.db);
    await mk("2017-04-05", "April meeting", { attendeeIds: [g.people.Paul], topicIds: [g.topics["xs-restrict"]], body: "The xenbus prefixing command." });
    await mk("2017-05-10", "May meeting", {
      attendeeIds: [g.people.Paul, g.people.Jenny],
      topicIds: [g.topics["physmap-keys"]],
      body: "Physmap keys need removing.",
    });
    await mk("2017-06-14", "June meeting", {
      attendeeIds: [g.people.Jenny],
      topicIds: [g.topics["physmap-keys"], g.topics["vnc-clipboard"]],
      decisions: "Clipboard over a shared page.",
    });
    await createMeeting({ seriesId: g.other.id, date: "2017-05-11", title: "Other series meeting", body: "physmap elsewhere" }, editor, t.db);
  });
  afterAll(() => t.cleanup());

  const titles = (p: { meetings: { title: string }[] }) => p.meetings.map((m) => m.title);

  it("lists newest first with totals and pages", async () => {
    const p1 = await listMeetings({ page: 1, pageSize: 3 }, t.db);
    expect(p1.total).toBe(4);
    expect(p1.pageCount).toBe(2);
    expect(titles(p1)).toEqual(["June meeting", "Other series meeting", "May meeting"]);
    const p2 = await listMeetings({ page: 2, pageSize: 3 }, t.db);
    expect(titles(p2)).toEqual(["April meeting"]);
    expect(p1.meetings[0]).toMatchObject({ date: "2017-06-14", attendeeCount: 1, series: { slug: "qemu-wg" } });
  });

  it("filters by series, topic, person and date range", async () => {
    expect(titles(await listMeetings({ series: "other-wg" }, t.db))).toEqual(["Other series meeting"]);
    expect(titles(await listMeetings({ topic: "physmap-keys" }, t.db))).toEqual(["June meeting", "May meeting"]);
    expect(titles(await listMeetings({ person: g.people.Paul }, t.db))).toEqual(["May meeting", "April meeting"]);
    expect(titles(await listMeetings({ from: "2017-05-10", to: "2017-05-11" }, t.db))).toEqual(["Other series meeting", "May meeting"]);
    expect(titles(await listMeetings({ series: "qemu-wg", topic: "physmap-keys", person: g.people.Paul, to: "2017-05-10" }, t.db))).toEqual(["May meeting"]);
  });

  it("searches the minutes, combined with the filters, with snippets", async () => {
    const all = await listMeetings({ q: "physmap" }, t.db);
    expect(titles(all).sort()).toEqual(["May meeting", "Other series meeting"]);
    const one = await listMeetings({ q: "physmap", series: "qemu-wg" }, t.db);
    expect(titles(one)).toEqual(["May meeting"]);
    expect(one.total).toBe(1);
    expect(one.meetings[0].snippet).toContain("<mark>Physmap</mark>");
    expect(titles(await listMeetings({ q: "shared page" }, t.db))).toEqual(["June meeting"]); // decisions are searched
  });
});
