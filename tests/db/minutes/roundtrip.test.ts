import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalItemText, exportMinutesText } from "@/lib/minutes";
import { importFiles, meetingToExportable } from "@/lib/minutes/server";
import { setupTestDb, type TestDb } from "../harness";
import { actor, counts, realPost, seedWg } from "./fixtures";

/** What a meeting says, by person ids and item texts: what a round trip must keep. */
async function contentOf(t: TestDb, meetingId: string) {
  const m = await t.db.meeting.findUniqueOrThrow({
    where: { id: meetingId },
    include: {
      attendees: true,
      reviews: { include: { item: { include: { owners: { include: { person: true } } } } } },
      itemsCreated: { include: { owners: { include: { person: true } } } },
    },
  });
  const canon = (i: { text: string; owners: { person: { displayName: string } }[] }) =>
    canonicalItemText(
      i.text.replace(/^Pual to /, ""),
      i.owners.map((o) => o.person.displayName.split(" ")[0]),
    ).replace(/\.$/, "");
  return {
    date: m.date.toISOString().slice(0, 10),
    attendees: m.attendees.map((a) => a.personId).sort(),
    reviews: m.reviews
      .map((r) => ({ item: canon(r.item), owners: r.item.owners.map((o) => o.personId).sort(), outcome: r.outcome, note: r.note }))
      .sort((a, b) => a.item.localeCompare(b.item)),
    items: m.itemsCreated.map((i) => ({ text: canon(i), owners: i.owners.map((o) => o.personId).sort() })).sort((a, b) => a.text.localeCompare(b.text)),
  };
}

describe("export → import round trip", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedWg>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedWg(t.db);
  });
  afterAll(() => t.cleanup());

  it("a typed meeting exported as text imports back to the same attendees, reviews and items", async () => {
    const p = g.people;
    const typed = await t.db.meeting.create({
      data: {
        seriesId: g.series.id,
        date: new Date("2017-06-21T00:00:00Z"),
        title: "QEMU XenServer/XenProject Working group meeting 21st June 2017",
        body: "The physmap series was reviewed.\n\n- naming comments only\n- one more revision expected",
        decisions: "- Keep xs-restrict as the fallback.",
        attendees: { create: [p.Paul, p.Ian, p.Andrew, p.Igor].map((personId) => ({ personId })) },
      },
    });
    await t.db.review.create({ data: { meetingId: typed.id, itemId: g.items.Paul, outcome: "done", note: "" } });
    await t.db.review.create({ data: { meetingId: typed.id, itemId: g.items.Ian, outcome: "no_progress", note: "due to the feature freeze." } });
    await t.db.review.create({ data: { meetingId: typed.id, itemId: g.items.Andrew, outcome: "carried_over", note: "" } });
    for (const [text, owners] of [
      ["Igor to post the physmap series v3.", [p.Igor]],
      ["Paul and Ian to write the ioreq server design document.", [p.Paul, p.Ian]],
      ["Review the QXL helper approach", [p.Andrew]],
      // The minutes' typo, corrected on import to Paul Durrant: the export names him.
      ["Pual to post the ioreq series.", [p.Paul]],
    ] as const) {
      await t.db.actionItem.create({
        data: { text, seriesId: g.series.id, meetingId: typed.id, owners: { create: owners.map((personId) => ({ personId })) } },
      });
    }

    const exportable = await meetingToExportable(typed.id, t.db);
    const text = exportMinutesText(exportable!);
    expect(text).toContain("* Paul to carry on with Xen device model work. - Done.");
    expect(text).toContain("* Andrew to review the QXL helper approach");
    expect(text).toContain("* Paul to post the ioreq series.");
    expect(text).toContain("Keep xs-restrict as the fallback.");
    expect(Math.max(...text.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(72);

    const before = await counts(t.db);
    const report = await importFiles([{ name: "export.txt", bytes: Buffer.from(text) }], { actor, seriesSlug: "qemu-wg" }, t.db);
    expect(report.messages.map((m) => m.status)).toEqual(["imported"]);
    const again = await contentOf(t, report.messages[0].meetingId!);
    const orig = await contentOf(t, typed.id);
    expect(again).toEqual(orig);
    // Nobody new: every name in the export resolved to the people it came from.
    expect((await counts(t.db)).people).toBe(before.people);
  });

  it("the imported real post exports in the group's form", async () => {
    const report = await importFiles([{ name: "post.txt", bytes: realPost() }], { actor }, t.db);
    const ex = await meetingToExportable(report.messages[0].meetingId!, t.db);
    const text = exportMinutesText(ex!);
    const lines = text.split("\n");
    expect(lines[0]).toBe("QEMU XenServer/XenProject Working group meeting 10th May 2017");
    expect(lines[1]).toBe("=".repeat(lines[0].length));
    expect(lines.filter((l) => /^\* (Paul Durrant|Andrew Cooper|Ian Jackson|Jenny Herbert|Igor Druzhinin|Simon Crow|Marcus Granado)$/.test(l))).toHaveLength(7);
    expect(text).toContain("* Andrew to double check dm-op sub ops for continuation support");
    expect(text).not.toContain("If Andrew");
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(72);
  });
});
