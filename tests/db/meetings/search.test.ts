import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeeting, updateMeeting } from "@/lib/meetings/meetings";
import { highlightToHtml, parseQuery, search, toFts5 } from "@/lib/meetings/search";
import { setupTestDb, type TestDb } from "../harness";
import { editor, seedGroup } from "./fixtures";

describe(`search (${process.env.DMBOARD_TEST_PROVIDER ?? "sqlite"})`, () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedGroup>>;
  let may: string;
  let hostile: string;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedGroup(t.db);
    may = (
      await createMeeting(
        t.db,
        {
          seriesId: g.series.id,
          date: "2017-05-10",
          title: "QEMU working group 10th May",
          body: "XenServer uses XenStore to communicate the VNC QEMU clipboard to the guest and back. New plan is to implement this using a shared page.\n\nIt's agreed the physmap key needs removing.",
          decisions: "Remove the physmap keys rather than rely on xs-restrict.",
          newItems: "Igor to implement the new physmap mechanism in QEMU.\nJenny to update the confluence page.",
        },
        editor,
      )
    ).id;
    hostile = (
      await createMeeting(
        t.db,
        { seriesId: g.series.id, date: "2017-06-01", title: "Hostile <b>title</b>", body: 'Clipboard <script>alert("x")</script> and <mark onclick="alert(1)">fake</mark> & "quotes" \uE000stray' },
        editor,
      )
    ).id;
  });
  afterAll(() => t.cleanup());

  it("finds meetings and items, best first, with highlighted snippets", async () => {
    const hits = await search(t.db, t.provider, "physmap");
    expect(hits.map((h) => h.kind).sort()).toEqual(["item", "meeting"]);
    const meeting = hits.find((h) => h.kind === "meeting")!;
    expect(meeting).toMatchObject({ id: may, title: "QEMU working group 10th May", date: "2017-05-10", meetingId: may });
    expect(meeting.snippet).toMatch(/<mark>physmap<\/mark>/i);
    const item = hits.find((h) => h.kind === "item")!;
    expect(item.title).toBe("Igor to implement the new physmap mechanism in QEMU.");
    expect(item.meetingId).toBe(may);
    expect(item.snippet).toContain("<mark>physmap</mark>");
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1].rank).toBeGreaterThanOrEqual(hits[i].rank);
  });

  it("stems like English, requires every word, understands phrases and exclusions", async () => {
    expect((await search(t.db, t.provider, "communicating", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([may]); // communicate
    expect((await search(t.db, t.provider, "clipboard shared page", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([may]);
    expect(await search(t.db, t.provider, '"page shared"', { kinds: ["meeting"] })).toEqual([]);
    expect((await search(t.db, t.provider, '"a shared page"', { kinds: ["meeting"] })).map((h) => h.id)).toEqual([may]);
    expect((await search(t.db, t.provider, "clipboard -xenserver", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([hostile]);
    expect((await search(t.db, t.provider, "the physmap keys", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([may]); // stopword dropped
    expect((await search(t.db, t.provider, "xs-restrict")).map((h) => h.id)).toEqual([may]);
  });

  it("searches decisions, and only the kinds asked for", async () => {
    expect((await search(t.db, t.provider, "rely")).map((h) => h.kind)).toEqual(["meeting"]);
    expect((await search(t.db, t.provider, "confluence", { kinds: ["item"] })).map((h) => h.kind)).toEqual(["item"]);
    expect(await search(t.db, t.provider, "confluence", { kinds: ["meeting"] })).toEqual([]);
  });

  it("treats query syntax as text and finds nothing for empty or stopword-only queries", async () => {
    for (const q of ["", "   ", "the of and", '"', "-physmap", "NEAR(", "title:x", "*", "') OR 1=1 --", "{body}: x"]) {
      await expect(search(t.db, t.provider, q), q).resolves.toBeInstanceOf(Array);
    }
    expect(await search(t.db, t.provider, "the")).toEqual([]);
    expect(await search(t.db, t.provider, "-physmap")).toEqual([]);
  });

  it("never lets stored HTML through a snippet", async () => {
    // PostgreSQL's parser drops tags (and a <script>'s content) from the index, and
    // ts_headline leaves tags out; SQLite keeps them as text. Either way: inert.
    for (const q of ["clipboard", "fake", "hostile", ...(t.provider === "sqlite" ? ["script alert", "mark onclick"] : [])]) {
      const hits = await search(t.db, t.provider, q, { kinds: ["meeting"] });
      expect(hits.map((h) => h.id), q).toContain(hostile);
      const html = hits.find((h) => h.id === hostile)!.snippet;
      expect(html, q).not.toMatch(/<(?!\/?mark>)/); // the only tags are <mark> and </mark>
      expect(html).not.toContain("<script");
      expect(html).not.toMatch(/<mark [^>]/);
      expect(html.match(/<mark>/g)?.length ?? 0).toBe(html.match(/<\/mark>/g)?.length ?? 0);
    }
    const html = (await search(t.db, t.provider, "clipboard"))[0].snippet;
    if (t.provider === "sqlite") expect(html).toContain("&lt;script&gt;");
    else expect(html).not.toContain("script");
  });

  it("follows edits (the index is kept in sync)", async () => {
    await updateMeeting(t.db, may, 1, { body: "Only log-dirty now." }, editor);
    expect((await search(t.db, t.provider, "communicate", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([]);
    expect((await search(t.db, t.provider, "dirty", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([may]);
    expect((await search(t.db, t.provider, "rely", { kinds: ["meeting"] })).map((h) => h.id)).toEqual([may]); // decisions unchanged
    const item = await t.db.actionItem.findFirstOrThrow({ where: { text: { contains: "confluence" } } });
    await t.db.actionItem.update({ where: { id: item.id }, data: { text: "Jenny to update the wiki." } });
    expect(await search(t.db, t.provider, "confluence")).toEqual([]);
    expect((await search(t.db, t.provider, "wiki")).map((h) => h.id)).toEqual([item.id]);
    await t.db.actionItem.delete({ where: { id: item.id } });
    expect(await search(t.db, t.provider, "wiki")).toEqual([]);
  });

  it("pages through hits", async () => {
    const one = await search(t.db, t.provider, "qemu", { limit: 1 });
    const two = await search(t.db, t.provider, "qemu", { limit: 1, offset: 1 });
    expect(one).toHaveLength(1);
    expect(two).toHaveLength(1);
    expect(two[0].id).not.toBe(one[0].id);
  });
});

describe("query parsing and highlighting (pure)", () => {
  it("quotes every term for FTS5", () => {
    expect(toFts5(parseQuery('physmap "shared page" -xenserver'))).toBe('{title body} : ("physmap" AND "shared page") NOT "xenserver"');
    expect(toFts5(parseQuery('a"b OR c*'))).toBe('{title body} : ("b" AND "c")');
    expect(toFts5(parseQuery("the"))).toBeNull();
  });
  it("escapes everything but balanced marks", () => {
    expect(highlightToHtml('<a href="x">\uE000hit\uE001</a> &')).toBe("&lt;a href=&quot;x&quot;&gt;<mark>hit</mark>&lt;/a&gt; &amp;");
    expect(highlightToHtml("\uE001x\uE000y")).toBe("x<mark>y</mark>");
  });
});
