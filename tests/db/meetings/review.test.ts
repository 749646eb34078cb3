import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeeting } from "@/lib/meetings/commands";
import { getMeeting } from "@/lib/meetings/reads";
import { recordReviews } from "@/lib/reviews/commands";
import { statusAfter } from "@/lib/reviews/outcomes";
import { openItemsForReview } from "@/lib/reviews/reads";
import { reviewedSection } from "@/lib/reviews/section";
import { setupTestDb, type TestDb } from "../harness";
import { editor, seedGroup } from "./fixtures";

describe("guided review", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedGroup>>;
  let first: string;
  let items: Record<string, string>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedGroup(t.db);
    const m = await createMeeting(
      {
        seriesId: g.series.id,
        date: "2017-05-10",
        title: "May",
        newItems: [
          "Paul to carry on with Xen device model work.",
          "Ian to refactor the libxl split",
          "Andrew to look over Ian's patch series",
          "Jenny to make progress",
          "Igor to post patches",
        ].join("\n"),
      },
      editor,
      t.db,
    );
    first = m.id;
    const rows = await t.db.actionItem.findMany({ where: { meetingId: m.id } });
    items = Object.fromEntries(rows.map((r) => [r.text.split(" ")[0], r.id]));
    await t.db.actionItem.update({ where: { id: items.Igor }, data: { status: "blocked" } });
    // Closed and other-series items are never offered.
    await t.db.actionItem.create({ data: { text: "Old done item", status: "done", seriesId: g.series.id } });
    await t.db.actionItem.create({ data: { text: "Other series item", seriesId: g.other.id } });
  });
  afterAll(() => t.cleanup());

  it("offers every open, in-progress or blocked item of the series", async () => {
    const open = await openItemsForReview(g.series.id, {}, t.db);
    expect(open.map((i) => i.text.split(" ")[0])).toEqual(["Paul", "Ian", "Andrew", "Jenny", "Igor"]);
    expect(open[0]).toMatchObject({ status: "open", createdIn: { id: first, date: "2017-05-10" }, lastReview: null });
    expect(open[0].owners.map((o) => o.displayName)).toEqual(["Paul Durrant"]);
    expect(open.find((i) => i.id === items.Igor)!.status).toBe("blocked");
  });

  it("maps outcomes to statuses", () => {
    expect(statusAfter("done", "open")).toBe("done");
    expect(statusAfter("dropped", "in_progress")).toBe("dropped");
    expect(statusAfter("progress", "open")).toBe("in_progress");
    expect(statusAfter("no_progress", "blocked")).toBe("blocked");
    expect(statusAfter("carried_over", "in_progress")).toBe("in_progress");
  });

  it("a new meeting records the review with its creation, updates statuses and produces the section", async () => {
    const auditsBefore = await t.db.auditEvent.count({ where: { action: "review" } });
    const m = await createMeeting(
      {
        seriesId: g.series.id,
        date: "2017-06-14",
        title: "June",
        reviews: {
          [items.Paul]: { outcome: "done", note: "" },
          [items.Ian]: { outcome: "no_progress", note: "No progress, due to feature freeze on 4.8.9." },
          [items.Andrew]: { outcome: "dropped", note: "Not needed any more" },
          [items.Jenny]: { outcome: "progress", note: "XenCentre patch can talk to QEMU trad" },
          [items.Igor]: { outcome: "carried_over", note: "" },
        },
      },
      editor,
      t.db,
    );
    const status = async (k: string) => (await t.db.actionItem.findUniqueOrThrow({ where: { id: items[k] } })).status;
    expect(await status("Paul")).toBe("done");
    expect(await status("Ian")).toBe("open");
    expect(await status("Andrew")).toBe("dropped");
    expect(await status("Jenny")).toBe("in_progress");
    expect(await status("Igor")).toBe("blocked");
    const paul = await t.db.actionItem.findUniqueOrThrow({ where: { id: items.Paul } });
    expect(paul.closedAt?.toISOString()).toBe("2017-06-14T00:00:00.000Z");
    expect(paul.version).toBe(2);
    expect(await t.db.auditEvent.count({ where: { action: "review" } })).toBe(auditsBefore + 5);

    const d = (await getMeeting(m.id, t.db))!;
    expect(d.reviews).toHaveLength(5);
    const md = reviewedSection(d);
    expect(md).toBe(
      [
        "## Reviewed previous action points",
        "",
        "- Paul to carry on with Xen device model work — **Done**.",
        "- Ian to refactor the libxl split — **No progress**: No progress, due to feature freeze on 4.8.9.",
        "- Andrew to look over Ian's patch series — **Dropped**: Not needed any more",
        "- Jenny to make progress — **Progress**: XenCentre patch can talk to QEMU trad",
        "- Igor to post patches — **Carried over**.",
        "",
      ].join("\n"),
    );

    const open = await openItemsForReview(g.series.id, {}, t.db);
    expect(open.map((i) => i.text.split(" ")[0])).toEqual(["Ian", "Jenny", "Igor"]);
    expect(open[0].lastReview).toEqual({ outcome: "no_progress", note: "No progress, due to feature freeze on 4.8.9.", meetingDate: "2017-06-14" });
  });

  it("recording again replaces the meeting's review of an item; progress reopens a done item", async () => {
    const m = await createMeeting({ seriesId: g.series.id, date: "2017-07-01", title: "July" }, editor, t.db);
    await recordReviews(m.id, [{ itemId: items.Paul, outcome: "done" }], editor, t.db);
    await recordReviews(m.id, [{ itemId: items.Paul, outcome: "progress", note: "More to do" }], editor, t.db);
    const reviews = await t.db.review.findMany({ where: { meetingId: m.id } });
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ outcome: "progress", note: "More to do" });
    const paul = await t.db.actionItem.findUniqueOrThrow({ where: { id: items.Paul } });
    expect(paul.status).toBe("in_progress");
    expect(paul.closedAt).toBeNull();
  });

  it("refuses items of another series or unknown ones, recording nothing", async () => {
    const m = await createMeeting({ seriesId: g.series.id, date: "2017-08-01", title: "August" }, editor, t.db);
    const other = await t.db.actionItem.findFirstOrThrow({ where: { seriesId: g.other.id } });
    const err = await recordReviews(
      m.id,
      [
        { itemId: items.Ian, outcome: "done" },
        { itemId: other.id, outcome: "done" },
        { itemId: "missing", outcome: "done" },
      ],
      editor,
      t.db,
    ).catch((e) => e);
    expect(err.code).toBe("INVALID");
    expect(Object.keys(err.fieldErrors).sort()).toEqual([`reviews.${other.id}.outcome`, "reviews.missing.outcome"].sort());
    expect(await t.db.review.count({ where: { meetingId: m.id } })).toBe(0);
    expect((await t.db.actionItem.findUniqueOrThrow({ where: { id: items.Ian } })).status).toBe("open");
  });

  it("a failing review rolls the whole new meeting back", async () => {
    const before = await t.db.meeting.count();
    await expect(
      createMeeting({ seriesId: g.series.id, date: "2017-09-01", title: "September", reviews: { missing: { outcome: "done" } } }, editor, t.db),
    ).rejects.toMatchObject({ code: "INVALID" });
    expect(await t.db.meeting.count()).toBe(before);
  });

  it("an empty review says so", () => {
    expect(reviewedSection({ reviews: [] })).toContain("_Nothing to review._");
  });
});

describe("Markdown export", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
  });
  afterAll(() => t.cleanup());

  it("writes the whole meeting: attendees, reviewed points, discussion, decisions, items", async () => {
    const { meetingMarkdown, exportFileName } = await import("@/lib/meetings/markdown");
    const g = await seedGroup(t.db);
    const first = await createMeeting(
      { seriesId: g.series.id, date: "2017-05-10", title: "May", newItems: "Paul to carry on with Xen device model work." },
      editor,
      t.db,
    );
    const [paulItem] = first.itemIds;
    const m = await createMeeting(
      {
        seriesId: g.series.id,
        date: "2017-06-14",
        title: "QEMU WG: 14th June",
        attendeeIds: [g.people.Paul],
        topicIds: [g.topics["physmap-keys"]],
        body: "Physmap **discussed**.",
        decisions: "- Remove the keys",
        reviews: { [paulItem]: { outcome: "done" } },
        newItems: "Andrew to check dm-op.",
      },
      editor,
      t.db,
    );
    const d = (await getMeeting(m.id, t.db))!;
    expect(meetingMarkdown(d)).toBe(
      [
        "# QEMU WG: 14th June",
        "",
        "- Series: QEMU WG",
        "- Date: 2017-06-14",
        "- Topics: Physmap keys",
        "",
        "## Attendees",
        "",
        "- Paul Durrant",
        "",
        "## Reviewed previous action points",
        "",
        "- Paul to carry on with Xen device model work — **Done**.",
        "",
        "## Discussion",
        "",
        "Physmap **discussed**.",
        "",
        "## Decisions",
        "",
        "- Remove the keys",
        "",
        "## Action items",
        "",
        "- [ ] Andrew to check dm-op. _(owners: Andrew Cooper)_",
        "",
      ].join("\n"),
    );
    expect(exportFileName(d)).toBe("2017-06-14-qemu-wg-14th-june.md");
  });
});
