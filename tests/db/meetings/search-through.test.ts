/** Issue 13: meeting search covers the meeting's items and review notes; snippets show text, not Markdown. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeeting } from "@/lib/meetings/commands";
import { listMeetings } from "@/lib/meetings/reads";
import { recordReviews } from "@/lib/reviews/commands";
import { search } from "@/lib/search/search";
import { setupTestDb, type TestDb } from "../harness";
import { editor, seedGroup } from "./fixtures";

describe("meeting search through items and review notes", () => {
  let t: TestDb;
  let may: string;
  let june: string;
  let plain: string;
  beforeAll(async () => {
    t = await setupTestDb();
    const g = await seedGroup(t.db);
    may = (
      await createMeeting(
        {
          seriesId: g.series.id,
          date: "2017-05-10",
          title: "May",
          body: "Nothing here.",
          newItems: "Andrew to double check dm-op sub ops for continuation support.",
        },
        editor,
        t.db,
      )
    ).id;
    june = (await createMeeting({ seriesId: g.series.id, date: "2017-06-07", title: "June", body: "Other things." }, editor, t.db)).id;
    const item = await t.db.actionItem.findFirstOrThrow({ where: { meetingId: may } });
    await recordReviews(june, [{ itemId: item.id, outcome: "progress", note: "Quokka patches rebased" }], editor, t.db);
    plain = (
      await createMeeting(
        { seriesId: g.series.id, date: "2017-07-05", title: "July", body: "Igor posted the **physmap** RFC, see `xs-restrict`." },
        editor,
        t.db,
      )
    ).id;
  });
  afterAll(() => t.cleanup());

  it("finds the meetings that created or reviewed a matching item, with the item as the snippet", async () => {
    const page = await listMeetings({ q: "continuation" }, t.db);
    expect(page.meetings.map((m) => m.id).sort()).toEqual([may, june].sort());
    expect(page.meetings.find((m) => m.id === may)!.snippet).toMatch(/^Action item: .*<mark>continuation<\/mark>/);
  });

  it("finds a meeting by a word of one of its review notes", async () => {
    const page = await listMeetings({ q: "quokka" }, t.db);
    expect(page.meetings.map((m) => m.id)).toEqual([june]);
    expect(page.meetings[0].snippet).toBe("Review note: Quokka patches rebased");
    expect((await listMeetings({ q: "quokka -rebased" }, t.db)).meetings).toEqual([]);
  });

  it("snippets are plain text: no Markdown marks", async () => {
    const hit = (await search("physmap", { kinds: ["meeting"] }, t.db)).find((h) => h.id === plain)!;
    expect(hit.snippet).toContain("<mark>physmap</mark> RFC");
    expect(hit.snippet).not.toContain("*");
    expect(hit.snippet).not.toContain("`");
  });
});
