import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMeeting, updateMeeting } from "@/lib/meetings/commands";
import { highlightToHtml, parseQuery, toFts5 } from "@/lib/search/query";
import { search } from "@/lib/search/search";
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
        {
          seriesId: g.series.id,
          date: "2017-05-10",
          title: "QEMU working group 10th May",
          body: "XenServer uses XenStore to communicate the VNC QEMU clipboard to the guest and back. New plan is to implement this using a shared page.\n\nIt's agreed the physmap key needs removing.",
          decisions: "Remove the physmap keys rather than rely on xs-restrict.",
          newItems: "Igor to implement the new physmap mechanism in QEMU.\nJenny to update the confluence page.",
        },
        editor,
        t.db,
      )
    ).id;
    hostile = (
      await createMeeting(
        {
          seriesId: g.series.id,
          date: "2017-06-01",
          title: "Hostile <b>title</b>",
          body: 'Clipboard <script>alert("x")</script> and <mark onclick="alert(1)">fake</mark> & "quotes" \uE000stray',
        },
        editor,
        t.db,
      )
    ).id;
  });
  afterAll(() => t.cleanup());

  it("finds meetings and items, best first, with highlighted snippets", async () => {
    const hits = await search("physmap", {}, t.db);
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
    expect((await search("communicating", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([may]); // communicate
    expect((await search("clipboard shared page", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([may]);
    expect(await search('"page shared"', { kinds: ["meeting"] }, t.db)).toEqual([]);
    expect((await search('"a shared page"', { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([may]);
    expect((await search("clipboard -xenserver", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([hostile]);
    expect((await search("the physmap keys", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([may]); // stopword dropped
    expect((await search("xs-restrict", {}, t.db)).map((h) => h.id)).toEqual([may]);
  });

  it("searches decisions, and only the kinds asked for", async () => {
    expect((await search("rely", {}, t.db)).map((h) => h.kind)).toEqual(["meeting"]);
    expect((await search("confluence", { kinds: ["item"] }, t.db)).map((h) => h.kind)).toEqual(["item"]);
    expect(await search("confluence", { kinds: ["meeting"] }, t.db)).toEqual([]);
  });

  it("treats query syntax as text and finds nothing for empty or stopword-only queries", async () => {
    for (const q of ["", "   ", "the of and", '"', "-physmap", "NEAR(", "title:x", "*", "') OR 1=1 --", "{body}: x"]) {
      await expect(search(q, {}, t.db), q).resolves.toBeInstanceOf(Array);
    }
    expect(await search("the", {}, t.db)).toEqual([]);
    expect(await search("-physmap", {}, t.db)).toEqual([]);
  });

  it("never lets stored HTML through a snippet", async () => {
    // PostgreSQL's parser drops tags (and a <script>'s content) from the index, and
    // ts_headline leaves tags out; SQLite keeps them as text. Either way: inert.
    for (const q of ["clipboard", "fake", "hostile", ...(t.provider === "sqlite" ? ["script alert", "mark onclick"] : [])]) {
      const hits = await search(q, { kinds: ["meeting"] }, t.db);
      expect(
        hits.map((h) => h.id),
        q,
      ).toContain(hostile);
      const html = hits.find((h) => h.id === hostile)!.snippet;
      expect(html, q).not.toMatch(/<(?!\/?mark>)/); // the only tags are <mark> and </mark>
      expect(html).not.toContain("<script");
      expect(html).not.toMatch(/<mark [^>]/);
      expect(html.match(/<mark>/g)?.length ?? 0).toBe(html.match(/<\/mark>/g)?.length ?? 0);
    }
    const html = (await search("clipboard", {}, t.db))[0].snippet;
    if (t.provider === "sqlite") expect(html).toContain("&lt;script&gt;");
    else expect(html).not.toContain("script");
  });

  it("follows edits (the index is kept in sync)", async () => {
    await updateMeeting(may, 1, { body: "Only log-dirty now." }, editor, t.db);
    expect((await search("communicate", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([]);
    expect((await search("dirty", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([may]);
    expect((await search("rely", { kinds: ["meeting"] }, t.db)).map((h) => h.id)).toEqual([may]); // decisions unchanged
    const item = await t.db.actionItem.findFirstOrThrow({ where: { text: { contains: "confluence" } } });
    await t.db.actionItem.update({ where: { id: item.id }, data: { text: "Jenny to update the wiki." } });
    expect(await search("confluence", {}, t.db)).toEqual([]);
    expect((await search("wiki", {}, t.db)).map((h) => h.id)).toEqual([item.id]);
    await t.db.actionItem.delete({ where: { id: item.id } });
    expect(await search("wiki", {}, t.db)).toEqual([]);
  });

  it("pages through hits", async () => {
    const one = await search("qemu", { limit: 1 }, t.db);
    const two = await search("qemu", { limit: 1, offset: 1 }, t.db);
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
