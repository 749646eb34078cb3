/** Completing a saved meeting (issue 13): items added afterwards, reviews changed, admins deleting it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addItemToMeeting, updateItem } from "@/lib/items/commands";
import { getItem, itemSnapshot } from "@/lib/items/reads";
import { createMeeting, deleteMeeting } from "@/lib/meetings/commands";
import { exportMinutesMarkdown, exportMinutesText } from "@/lib/minutes/export";
import { meetingToExportable } from "@/lib/minutes/exportable";
import { reviseMeetingReviews } from "@/lib/reviews/commands";
import { setupTestDb, type TestDb } from "../harness";
import { editor, seedGroup } from "./fixtures";

describe("completing a meeting afterwards", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedGroup>>;
  let may: string;
  let june: string;
  let items: Record<string, string>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedGroup(t.db);
    const m = await createMeeting(
      {
        seriesId: g.series.id,
        date: "2017-05-10",
        title: "May",
        topicIds: [g.topics["physmap-keys"]],
        newItems: "Paul to carry on with Xen device model work.\nAndrew to look over the physmap series",
      },
      editor,
      t.db,
    );
    may = m.id;
    items = Object.fromEntries((await t.db.actionItem.findMany({ where: { meetingId: may } })).map((r) => [r.text.split(" ")[0], r.id]));
    june = (await createMeeting({ seriesId: g.series.id, date: "2017-06-07", title: "June" }, editor, t.db)).id;
  });
  afterAll(() => t.cleanup());

  it("gives the items a meeting creates the meeting's topics", async () => {
    const d = (await getItem(items.Paul, {}, t.db))!;
    expect(d.topics.map((x) => x.slug)).toEqual(["physmap-keys"]);
    expect(d.timeline[0]).toMatchObject({ kind: "created", meetingId: may, meetingTitle: "May" });
  });

  it("adds an item to a saved meeting with target, due date from a date target, a link and the meeting's topics", async () => {
    const r = await addItemToMeeting(
      { meetingId: may, text: "Jenny to write the xs-restrict RFC", target: "2017-09-30", linkKind: "rfc", linkUrl: "https://example.org/rfc" },
      editor,
      t.db,
    );
    const d = (await getItem(r.id, {}, t.db))!;
    expect(d).toMatchObject({ target: "2017-09-30", dueDate: "2017-09-30", meeting: { id: may } });
    expect(d.owners.map((o) => o.displayName)).toEqual(["Jenny Herbert"]);
    expect(d.topics.map((x) => x.slug)).toEqual(["physmap-keys"]);
    expect(d.links).toMatchObject([{ kind: "rfc", url: "https://example.org/rfc", title: "https://example.org/rfc" }]);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { entity: "actionItem", entityId: r.id, action: "create" } });
    expect(JSON.parse(audit.detail)).toMatchObject({ meetingId: may, target: "2017-09-30", dueDate: "2017-09-30" });
    // An explicit due date wins over the target's.
    const r2 = await addItemToMeeting({ meetingId: may, text: "Paul to review it", target: "2017-09-30", dueDate: "2017-08-01" }, editor, t.db);
    expect(await itemSnapshot(r2.id, t.db)).toMatchObject({ dueDate: "2017-08-01" });
    await expect(addItemToMeeting({ meetingId: "nope", text: "Paul to x y" }, editor, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addItemToMeeting({ meetingId: may, text: "Paul to x y", linkUrl: "javascript:alert(1)", linkKind: "rfc" }, editor, t.db)).rejects.toThrow();
  });

  it("a date target sets the due date when none is given, and does not overwrite one set on its own", async () => {
    let v = (await itemSnapshot(items.Paul, t.db))!.version;
    await updateItem(items.Paul, v, { target: "2017-10-01", dueDate: null }, editor, t.db);
    expect(await itemSnapshot(items.Paul, t.db)).toMatchObject({ target: "2017-10-01", dueDate: "2017-10-01" });
    v += 1;
    await updateItem(items.Paul, v, { dueDate: "2017-07-01" }, editor, t.db);
    v += 1;
    // Same target again, due date left out: the due date set on its own stays.
    await updateItem(items.Paul, v, { target: "2017-10-01", text: "Paul to carry on with Xen device model work" }, editor, t.db);
    expect(await itemSnapshot(items.Paul, t.db)).toMatchObject({ dueDate: "2017-07-01" });
    v += 1;
    await updateItem(items.Paul, v, { target: "Xen 4.10" }, editor, t.db);
    expect(await itemSnapshot(items.Paul, t.db)).toMatchObject({ target: "Xen 4.10", dueDate: "2017-07-01" });
  });

  it("changes a review outcome afterwards: the status and the timeline follow; '' takes the item out of the review", async () => {
    const r1 = await reviseMeetingReviews(june, { [items.Andrew]: { outcome: "done", note: "Reviewed" } }, editor, t.db);
    expect(r1.recorded).toMatchObject([{ itemId: items.Andrew, outcome: "done", to: "done" }]);
    expect((await itemSnapshot(items.Andrew, t.db))!.status).toBe("done");
    // Done was a mistake: only progress. The item is open again, in progress.
    await reviseMeetingReviews(june, { [items.Andrew]: { outcome: "progress", note: "Half way" } }, editor, t.db);
    expect((await itemSnapshot(items.Andrew, t.db))!.status).toBe("in_progress");
    let d = (await getItem(items.Andrew, {}, t.db))!;
    expect(d.timeline.filter((e) => e.kind === "review")).toEqual([
      { kind: "review", meetingId: june, meetingTitle: "June", meetingDate: "2017-06-07", outcome: "progress", note: "Half way" },
    ]);
    // Done → carried over: nothing new was said, but the item is no longer closed by this review.
    await reviseMeetingReviews(june, { [items.Andrew]: { outcome: "done", note: "" } }, editor, t.db);
    await reviseMeetingReviews(june, { [items.Andrew]: { outcome: "carried_over", note: "" } }, editor, t.db);
    expect((await itemSnapshot(items.Andrew, t.db))!.status).toBe("open");
    const r3 = await reviseMeetingReviews(june, { [items.Andrew]: { outcome: "", note: "" } }, editor, t.db);
    expect(r3.removed).toEqual([items.Andrew]);
    d = (await getItem(items.Andrew, {}, t.db))!;
    expect(d.timeline.filter((e) => e.kind === "review")).toEqual([]);
    expect(d.history.map((h) => h.summary)).toContain("review removed: Carried over");
    expect(d.history.map((h) => h.summary)).toContain("status: Done → Open");
  });

  it("the plain-text minutes carry each new item's target and links", async () => {
    const text = exportMinutesText((await meetingToExportable(may, t.db))!);
    expect(text).toContain("* Jenny to write the xs-restrict RFC Target: 2017-09-30. Links:\n  https://example.org/rfc\n");
    expect(exportMinutesMarkdown((await meetingToExportable(may, t.db))!)).toContain(
      "Jenny to write the xs-restrict RFC (target: 2017-09-30; [https://example.org/rfc](https://example.org/rfc))",
    );
  });

  it("deletes a meeting, audited, keeping its items: moved to another meeting of the series or detached", async () => {
    const created = (await t.db.actionItem.findMany({ where: { meetingId: may }, select: { id: true } })).map((i) => i.id).sort();
    await expect(deleteMeeting(may, { moveItemsTo: may }, editor, t.db)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { moveItemsTo: ["Choose another meeting"] },
    });
    const other = await createMeeting({ seriesId: g.other.id, date: "2017-06-08", title: "Other" }, editor, t.db);
    await expect(deleteMeeting(may, { moveItemsTo: other.id }, editor, t.db)).rejects.toMatchObject({ code: "INVALID" });
    const r = await deleteMeeting(may, { moveItemsTo: june }, editor, t.db);
    expect(r.items.sort()).toEqual(created);
    expect(await t.db.meeting.findUnique({ where: { id: may } })).toBeNull();
    const moved = await t.db.actionItem.findMany({ where: { id: { in: created } } });
    expect(moved.map((i) => i.meetingId)).toEqual(created.map(() => june));
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { entity: "meeting", entityId: may, action: "delete" } });
    expect(JSON.parse(audit.detail)).toMatchObject({ title: "May", items: created.length, itemsMovedTo: june });
    expect((await getItem(created[0], {}, t.db))!.history[0].summary).toMatch(/^moved to the meeting “June”/);

    const r2 = await deleteMeeting(june, { moveItemsTo: null }, editor, t.db);
    expect(r2.movedTo).toBeNull();
    const detached = await t.db.actionItem.findMany({ where: { id: { in: created } } });
    expect(detached.map((i) => i.meetingId)).toEqual(created.map(() => null));
    await expect(deleteMeeting(june, { moveItemsTo: null }, editor, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
