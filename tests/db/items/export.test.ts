import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSV_COLUMNS, itemsToCsv, itemsToJson, neutralizeFormula } from "@/lib/items/export";
import { apiItemsPage } from "@/lib/items/api";
import { allItems } from "@/lib/items/board";
import { addLink, updateItem } from "@/lib/items/commands";
import { apiMeetingsPage } from "@/lib/meetings/api";
import { setupTestDb, type TestDb } from "../harness";
import { NOW, editor, seedItems } from "./fixtures";

/**
 * A strict RFC 4180 reader (no dependency): quoted cells may hold commas, doubled
 * quotes and line breaks; records end with CRLF. Throws on anything malformed, so a
 * quoting bug in the writer cannot pass unnoticed.
 */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted cell");
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          cell += '"';
          i += 2;
        } else cell += text[i++];
      }
      i++;
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted cell at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      records.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length) records.push(row);
  const [header, ...rest] = records;
  for (const r of rest) if (r.length !== header.length) throw new Error(`record of ${r.length} cells, header has ${header.length}`);
  return rest.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}

describe("exports and the read API", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedItems>>;
  const tricky = 'Igor, Ian: post "v2" of the series\nthen ping Andrew, "again"';
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedItems(t.db);
    await updateItem(g.items.physmap, 1, { text: tricky, target: "Xen 4.10, maybe 4.11" }, editor, t.db);
    await addLink(g.items.physmap, { kind: "thread", url: "https://lists.xenproject.org/a,b", title: 'Re: "physmap", again' }, editor, t.db);
    await addLink(g.items.physmap, { kind: "patch", url: "https://patchwork.example.org/1", title: "" }, editor, t.db);
    await updateItem(g.items.jira, 1, { text: '=HYPERLINK("http://evil")' }, editor, t.db);
  });
  afterAll(() => t.cleanup());

  it("CSV: commas, quotes and newlines survive a round trip through a CSV parser", async () => {
    const items = await allItems({ sort: "created" }, { now: NOW }, t.db);
    const csv = itemsToCsv(items, { baseUrl: "https://dmboard.example" });
    expect(csv.startsWith(`${CSV_COLUMNS.join(",")}\r\n`)).toBe(true);
    // The quoting itself, as RFC 4180 wants it: quotes doubled, the cell quoted.
    expect(csv).toContain(`"Igor, Ian: post ""v2"" of the series\nthen ping Andrew, ""again"""`);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(6);
    const physmap = rows.find((r) => r.id === g.items.physmap)!;
    expect(physmap.text).toBe(tricky);
    expect(physmap.target).toBe("Xen 4.10, maybe 4.11");
    expect(physmap.links).toBe('thread https://lists.xenproject.org/a,b Re: "physmap", again\npatch https://patchwork.example.org/1');
    expect(physmap.owners).toBe("Igor Druzhinin");
    expect(physmap.topics).toBe("Physmap keys");
    expect(physmap.overdue).toBe("yes");
    expect(physmap.meeting_date).toBe("2017-05-10");
    expect(physmap.url).toBe(`https://dmboard.example/items/${g.items.physmap}`);
    const restrict = rows.find((r) => r.id === g.items.restrict)!;
    expect(restrict.owners).toBe("Andrew Cooper; Jenny Herbert");
    // A formula is neutralised, so a spreadsheet shows it as text.
    expect(rows.find((r) => r.id === g.items.jira)!.text).toBe(`'=HYPERLINK("http://evil")`);
  });

  it("CSV: formula guard neutralises every cell starting with = + - @ tab or CR, and leaves other text alone", () => {
    expect(neutralizeFormula("- 1+1+cmd|' /C calc'!A0")).toBe("'- 1+1+cmd|' /C calc'!A0");
    expect(neutralizeFormula("- a list line")).toBe("'- a list line");
    expect(neutralizeFormula("=1+1")).toBe("'=1+1");
    expect(neutralizeFormula("\t=1+1")).toBe("'\t=1+1");
    expect(neutralizeFormula("\r=1+1")).toBe("'\r=1+1");
    expect(neutralizeFormula("a - b = c")).toBe("a - b = c");
    expect(neutralizeFormula("-2+3")).toBe("'-2+3");
    expect(neutralizeFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralizeFormula("+1")).toBe("'+1");
    expect(neutralizeFormula("Xen 4.10")).toBe("Xen 4.10");
    expect(itemsToCsv([])).toBe(`${CSV_COLUMNS.join(",")}\r\n`);
  });

  it("JSON: the same items, with owners, topics and links", async () => {
    const items = await allItems({ status: ["open"] }, { now: NOW }, t.db);
    const doc = JSON.parse(itemsToJson(items, { baseUrl: "https://dmboard.example", exportedAt: NOW }));
    expect(doc.exportedAt).toBe(NOW.toISOString());
    expect(doc.count).toBe(2);
    const physmap = doc.items.find((i: { id: string }) => i.id === g.items.physmap);
    expect(physmap).toMatchObject({
      text: tricky,
      status: "open",
      dueDate: "2017-05-31",
      owners: [{ displayName: "Igor Druzhinin" }],
      topics: [{ slug: "physmap-keys" }],
      series: { slug: "qemu-wg" },
    });
    expect(physmap.links[0]).toEqual({ kind: "thread", url: "https://lists.xenproject.org/a,b", title: 'Re: "physmap", again' });
  });

  it("API action items: paginated with total and next link, filtered by status/owner/topic/series/since", async () => {
    const u = (q: string) => new URL(`https://dmboard.example/api/v1/action-items${q}`);
    const p1 = await apiItemsPage(u("?pageSize=4&sort=created"), { now: NOW }, t.db);
    expect(p1).toMatchObject({ page: 1, pageSize: 4, total: 6, pageCount: 2, prev: null });
    expect(p1.data).toHaveLength(4);
    expect(p1.next).toBe("https://dmboard.example/api/v1/action-items?pageSize=4&sort=created&page=2");
    const p2 = await apiItemsPage(new URL(p1.next!), { now: NOW }, t.db);
    expect(p2.data).toHaveLength(2);
    expect(p2.next).toBeNull();
    expect(new Set([...p1.data, ...p2.data].map((i) => i.id)).size).toBe(6);

    expect((await apiItemsPage(u("?status=open,blocked"), {}, t.db)).data.map((i) => i.id).sort()).toEqual(
      [g.items.physmap, g.items.restrict, g.items.otherSeries].sort(),
    );
    expect((await apiItemsPage(u(`?owner=${g.people.Jenny}&status=blocked`), {}, t.db)).data.map((i) => i.id)).toEqual([g.items.restrict]);
    expect((await apiItemsPage(u("?topic=vnc-clipboard"), {}, t.db)).data.map((i) => i.id)).toEqual([g.items.clipboard]);
    expect((await apiItemsPage(u("?series=other-wg"), {}, t.db)).total).toBe(1);
    // since: only what changed after; the edits in beforeAll touched two items.
    await t.db.actionItem.updateMany({ data: { updatedAt: new Date("2017-01-01T00:00:00Z") }, where: { id: { notIn: [g.items.physmap, g.items.jira] } } });
    expect((await apiItemsPage(u("?since=2017-02-01"), {}, t.db)).data.map((i) => i.id).sort()).toEqual([g.items.physmap, g.items.jira].sort());
    expect((await apiItemsPage(u("?since=2016-12-31T23:00:00Z"), {}, t.db)).total).toBe(6);
  });

  it("API: a bad query is refused with the field named (defineRoute turns it into a 400)", async () => {
    const bad = async (q: string) => {
      const err = await apiItemsPage(new URL(`https://x/api/v1/action-items${q}`), {}, t.db).catch((e) => e);
      expect(err.name, q).toBe("ZodError");
      return err.issues.map((i: { path: (string | number)[] }) => String(i.path[0] ?? ""));
    };
    expect(await bad("?status=finished")).toEqual(["status"]);
    expect(await bad("?page=0")).toEqual(["page"]);
    expect(await bad("?pageSize=5000")).toEqual(["pageSize"]);
    expect(await bad("?since=yesterday")).toEqual(["since"]);
    expect(await bad("?stauts=open")).toEqual([""]); // a typo'd filter is not silently ignored
  });

  it("API meetings: paginated, filtered by series/topic/person/since/date", async () => {
    const u = (q: string) => new URL(`https://dmboard.example/api/v1/meetings${q}`);
    const all = await apiMeetingsPage(u(""), t.db);
    expect(all.total).toBe(2);
    expect(all.data.map((m) => m.title)).toEqual(["WG 24 May", "WG 10 May"]);
    expect(all.data[1]).toMatchObject({ date: "2017-05-10", series: { slug: "qemu-wg" }, topics: [{ slug: "physmap-keys" }] });
    expect(all.data[1].attendees.map((a) => a.displayName)).toEqual(["Igor Druzhinin", "Jenny Herbert"]);
    expect(all.data[1].itemsCreated).toHaveLength(6);
    const one = await apiMeetingsPage(u("?pageSize=1"), t.db);
    expect(one.next).toBe("https://dmboard.example/api/v1/meetings?pageSize=1&page=2");
    expect((await apiMeetingsPage(u("?topic=physmap-keys"), t.db)).data.map((m) => m.title)).toEqual(["WG 10 May"]);
    expect((await apiMeetingsPage(u(`?person=${g.people.Igor}`), t.db)).total).toBe(1);
    expect((await apiMeetingsPage(u("?from=2017-05-11"), t.db)).data.map((m) => m.title)).toEqual(["WG 24 May"]);
    expect((await apiMeetingsPage(u("?series=other-wg"), t.db)).total).toBe(0);
    await expect(apiMeetingsPage(u("?from=10/05/2017"), t.db)).rejects.toMatchObject({ name: "ZodError" });
  });
});
