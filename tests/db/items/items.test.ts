import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/db/errors";
import { groupItems, listItems } from "@/lib/items/board";
import { addLink, bulkSetStatus, removeLink, updateItem } from "@/lib/items/commands";
import { getItem, itemSnapshot, type ItemSnapshot } from "@/lib/items/reads";
import { itemFiltersSchema, type ItemFilters } from "@/lib/items/schemas";
import { listPeople, personPage } from "@/lib/people/reads";
import { listTopics, topicPage } from "@/lib/topics/reads";
import { setupTestDb, type TestDb } from "../harness";
import { NOW, editor, otherEditor, seedItems } from "./fixtures";

describe("action items", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedItems>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedItems(t.db);
  });
  afterAll(() => t.cleanup());

  const list = (raw: Record<string, unknown>, userId: string | null = null) =>
    listItems(itemFiltersSchema.parse(raw) as ItemFilters, { now: NOW, userId }, t.db);
  const texts = async (raw: Record<string, unknown>, userId: string | null = null) => (await list(raw, userId)).items.map((i) => i.id).sort();
  const ids = (...keys: (keyof typeof g.items)[]) => keys.map((k) => g.items[k]).sort();

  describe("board filters", () => {
    it("by status (one, several, comma-separated), with counts per status under the other filters", async () => {
      expect(await texts({ status: "open" })).toEqual(ids("physmap", "otherSeries"));
      expect(await texts({ status: ["blocked", "done"] })).toEqual(ids("restrict", "clipboard"));
      expect(await texts({ status: "in_progress,dropped" })).toEqual(ids("jira", "dropped"));
      const all = await list({});
      expect(all.total).toBe(6);
      expect(all.counts).toEqual({ open: 2, in_progress: 1, blocked: 1, done: 1, dropped: 1 });
      // Counts ignore the status filter itself (they are the tabs) but keep the others.
      const paul = await list({ status: "done", owner: g.people.Paul });
      expect(paul.items.map((i) => i.id)).toEqual([g.items.clipboard]);
      expect(paul.counts).toEqual({ open: 1, in_progress: 0, blocked: 0, done: 1, dropped: 0 });
      expect(itemFiltersSchema.safeParse({ status: "finished" }).success).toBe(false);
    });

    it("by owner (any of several owners), topic (slug) and series (slug)", async () => {
      expect(await texts({ owner: g.people.Jenny })).toEqual(ids("jira", "restrict", "dropped"));
      expect(await texts({ owner: g.people.Andrew })).toEqual(ids("restrict"));
      expect(await texts({ topic: "physmap-keys" })).toEqual(ids("physmap"));
      expect(await texts({ topic: "nope" })).toEqual([]);
      expect(await texts({ series: "other-wg" })).toEqual(ids("otherSeries"));
      expect(await texts({ series: "qemu-wg", owner: g.people.Paul })).toEqual(ids("clipboard"));
    });

    it("gives the same answers when the owner/topic id lists are too long to resolve (EXISTS fallback)", async () => {
      for (const raw of [
        { owner: g.people.Jenny },
        { topic: "xs-restrict", owner: g.people.Andrew },
        { mine: "1", status: "blocked" },
        { owner: g.people.Paul, sort: "due" },
      ]) {
        const fast = await list(raw, "u-jenny");
        const slow = await listItems(itemFiltersSchema.parse(raw) as ItemFilters, { now: NOW, userId: "u-jenny", narrowMax: 0 }, t.db);
        expect(
          slow.items.map((i) => i.id),
          JSON.stringify(raw),
        ).toEqual(fast.items.map((i) => i.id));
        expect(slow.counts).toEqual(fast.counts);
        expect(slow.total).toBe(fast.total);
      }
    });

    it("overdue: due before today and not closed (due today is not overdue yet)", async () => {
      expect(await texts({ overdue: "1" })).toEqual(ids("physmap", "restrict"));
      const page = await list({});
      const byId = new Map(page.items.map((i) => [i.id, i]));
      expect(byId.get(g.items.physmap)!.overdue).toBe(true);
      expect(byId.get(g.items.jira)!.overdue).toBe(false); // due 1 June, now is 1 June
      expect(byId.get(g.items.clipboard)!.overdue).toBe(false); // done
      expect(await texts({ overdue: "1", status: "blocked" })).toEqual(ids("restrict"));
    });

    it("mine: items owned by the Person linked to the signed-in user; nothing for an unlinked user", async () => {
      const mine = await list({ mine: "1" }, "u-jenny");
      expect(mine.items.map((i) => i.id).sort()).toEqual(ids("jira", "restrict", "dropped"));
      expect(mine.mine).toEqual({ id: g.people.Jenny, displayName: "Jenny Herbert" });
      const nobody = await list({ mine: "on" }, "u-unlinked");
      expect(nobody.total).toBe(0);
      expect(nobody.mine).toBeNull();
      expect(await texts({ mine: "1", status: "open,in_progress" }, "u-jenny")).toEqual(ids("jira"));
    });

    it("text filter (case-insensitive on both databases), pagination with total, sort", async () => {
      expect(await texts({ q: "PHYSMAP" })).toEqual(ids("physmap"));
      expect(await texts({ q: "jira" })).toEqual(ids("jira"));
      const p1 = await list({ pageSize: "4", sort: "due" });
      const p2 = await list({ pageSize: "4", sort: "due", page: "2" });
      expect(p1.total).toBe(6);
      expect(p1.pageCount).toBe(2);
      expect(p1.items).toHaveLength(4);
      expect(p2.items).toHaveLength(2);
      // Due first (earliest first), undated last.
      expect(p1.items.map((i) => i.dueDate)).toEqual(["2017-05-01", "2017-05-01", "2017-05-31", "2017-06-01"]);
      expect(p2.items.map((i) => i.dueDate)).toEqual([null, null]);
      expect(new Set([...p1.items, ...p2.items].map((i) => i.id)).size).toBe(6);
      expect(itemFiltersSchema.safeParse({ page: "0" }).success).toBe(false);
      expect(itemFiltersSchema.safeParse({ pageSize: "1000" }).success).toBe(false);
    });

    it("groups a page by owner (an item under each of its owners) and by topic", async () => {
      const page = await list({});
      const byOwner = groupItems(page.items, "owner");
      expect(byOwner.map((x) => x.label)).toEqual(["Andrew Cooper", "Igor Druzhinin", "Jenny Herbert", "Paul Durrant"]);
      expect(
        byOwner
          .find((x) => x.label === "Jenny Herbert")!
          .items.map((i) => i.id)
          .sort(),
      ).toEqual(ids("jira", "restrict", "dropped"));
      const byTopic = groupItems(page.items, "topic");
      expect(byTopic.at(-1)!.label).toBe("No topic");
      expect(groupItems(page.items, "status").map((x) => x.key)).toEqual(["open", "in_progress", "blocked", "done", "dropped"]);
    });
  });

  describe("an item's page", () => {
    it("has owners, topics, links, the timeline of reviews across meetings, and its audit history", async () => {
      await t.db.review.create({ data: { meetingId: g.meeting.id, itemId: g.items.physmap, outcome: "no_progress", note: "Feature freeze" } });
      const d = (await getItem(g.items.physmap, { now: NOW }, t.db))!;
      expect(d.owners.map((o) => o.displayName)).toEqual(["Igor Druzhinin"]);
      expect(d.topics.map((x) => x.slug)).toEqual(["physmap-keys"]);
      expect(d.meeting).toMatchObject({ title: "WG 10 May", date: "2017-05-10" });
      expect(d.timeline).toEqual([
        // The meeting that created it comes first (issue 13), then each review.
        { kind: "created", meetingId: g.meeting.id, meetingTitle: "WG 10 May", meetingDate: "2017-05-10", outcome: "", note: "" },
        { kind: "review", meetingId: g.meeting.id, meetingTitle: "WG 10 May", meetingDate: "2017-05-10", outcome: "no_progress", note: "Feature freeze" },
        { kind: "review", meetingId: g.later.id, meetingTitle: "WG 24 May", meetingDate: "2017-05-24", outcome: "progress", note: "RFC posted" },
      ]);
      expect(d.history).toEqual([]);
      expect(await getItem("nope", {}, t.db)).toBeNull();
    });
  });

  describe("update with optimistic concurrency", () => {
    it("saves from the current version, bumps it, audits the changes; closedAt follows the status", async () => {
      const before = (await itemSnapshot(g.items.jira, t.db))!;
      const r = await updateItem(g.items.jira, before.version, { status: "done", target: "Xen 4.10", topicIds: [g.topics["xs-restrict"]] }, editor, t.db);
      expect(r).toEqual({ id: g.items.jira, version: before.version + 1, changed: ["status", "target", "topics"] });
      const row = await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.jira } });
      expect(row).toMatchObject({ status: "done", target: "Xen 4.10", version: before.version + 1, text: before.text });
      expect(row.closedAt).toBeInstanceOf(Date);
      const d = (await getItem(g.items.jira, {}, t.db))!;
      expect(d.history[0]).toMatchObject({ actor: editor.email, action: "update" });
      expect(d.history[0].summary).toContain("status: In progress → Done");
      // Reopening clears closedAt.
      await updateItem(g.items.jira, r.version, { status: "open" }, editor, t.db);
      expect((await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.jira } })).closedAt).toBeNull();
    });

    it("refuses a stale version with CONFLICT carrying the stored item, and leaves it unchanged", async () => {
      const start = (await itemSnapshot(g.items.physmap, t.db))!;
      await updateItem(g.items.physmap, start.version, { text: "Igor to post patches (A)" }, editor, t.db);
      const stored = await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.physmap }, include: { owners: true } });
      const audits = await t.db.auditEvent.count();
      const err = await updateItem(
        g.items.physmap,
        start.version,
        { text: "Igor to post patches (B)", status: "dropped", ownerIds: [g.people.Paul] },
        otherEditor,
        t.db,
      ).catch((e) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err.code).toBe("CONFLICT");
      const theirs = err.detail as ItemSnapshot;
      expect(theirs).toMatchObject({
        id: g.items.physmap,
        version: start.version + 1,
        text: "Igor to post patches (A)",
        status: "open",
        updatedBy: editor.email,
      });
      expect(theirs.owners.map((o) => o.displayName)).toEqual(["Igor Druzhinin"]);
      const after = await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.physmap }, include: { owners: true } });
      expect(after).toEqual(stored);
      expect(await t.db.auditEvent.count()).toBe(audits);
      // Re-applied on their version, it goes through.
      const ok = await updateItem(g.items.physmap, theirs.version, { text: "Igor to post patches (B)" }, otherEditor, t.db);
      expect(ok.version).toBe(start.version + 2);
    });

    it("of two concurrent saves from one version exactly one wins", async () => {
      const v = (await itemSnapshot(g.items.restrict, t.db))!.version;
      const results = await Promise.allSettled([
        updateItem(g.items.restrict, v, { target: "A" }, editor, t.db),
        updateItem(g.items.restrict, v, { target: "B" }, otherEditor, t.db),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason.code).toBe("CONFLICT");
      expect((await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.restrict } })).version).toBe(v + 1);
    });

    it("validates: messages per field, unknown owners/topics, at least one owner; a date target becomes the due date", async () => {
      const v = (await itemSnapshot(g.items.dropped, t.db))!.version;
      const bad = await updateItem(g.items.dropped, v, { text: "x", dueDate: "2017-02-30", status: "finished" }, editor, t.db).catch((e) => e);
      expect(bad.name).toBe("ZodError");
      const paths = bad.issues.map((i: { path: string[] }) => i.path[0]).sort();
      expect(paths).toEqual(["dueDate", "status", "text"]);
      const none = await updateItem(g.items.dropped, v, { ownerIds: [] }, editor, t.db).catch((e) => e);
      expect(none.issues[0].message).toBe("Choose at least one owner");
      const unknown = await updateItem(g.items.dropped, v, { ownerIds: ["nobody"] }, editor, t.db).catch((e) => e);
      expect(unknown).toMatchObject({ code: "INVALID", fieldErrors: { ownerIds: ["A chosen owner does not exist (any more)"] } });
      expect((await itemSnapshot(g.items.dropped, t.db))!.version).toBe(v);
      await updateItem(g.items.dropped, v, { target: "2017-09-30" }, editor, t.db);
      expect(await itemSnapshot(g.items.dropped, t.db)).toMatchObject({ target: "2017-09-30", dueDate: "2017-09-30" });
      await expect(updateItem("nope", 1, { text: "whatever" }, editor, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  describe("bulk status change", () => {
    it("changes every selected item in one go, audits each, bumps versions, sets and clears closedAt", async () => {
      const sel = [g.items.physmap, g.items.restrict, g.items.clipboard];
      const before = await t.db.actionItem.findMany({ where: { id: { in: sel } } });
      const audits = await t.db.auditEvent.count({ where: { action: "status" } });
      const r = await bulkSetStatus([...sel, g.items.physmap], "done", editor, t.db);
      expect(r.changed.sort()).toEqual([g.items.physmap, g.items.restrict].sort());
      expect(r.unchanged).toEqual([g.items.clipboard]);
      const after = await t.db.actionItem.findMany({ where: { id: { in: sel } } });
      for (const a of after) {
        expect(a.status).toBe("done");
        expect(a.closedAt).toBeInstanceOf(Date);
        const b = before.find((x) => x.id === a.id)!;
        expect(a.version).toBe(b.status === "done" ? b.version : b.version + 1);
      }
      // The already-closed item keeps its original closedAt.
      expect(after.find((a) => a.id === g.items.clipboard)!.closedAt).toEqual(before.find((b) => b.id === g.items.clipboard)!.closedAt);
      const events = await t.db.auditEvent.findMany({ where: { action: "status" } });
      expect(events.length - audits).toBe(2);
      expect(events.filter((e) => e.entityId === g.items.physmap && JSON.parse(e.detail).bulk)).toHaveLength(1);

      await bulkSetStatus([g.items.physmap, g.items.restrict], "in_progress", editor, t.db);
      const reopened = await t.db.actionItem.findMany({ where: { id: { in: [g.items.physmap, g.items.restrict] } } });
      expect(reopened.map((x) => [x.status, x.closedAt])).toEqual([
        ["in_progress", null],
        ["in_progress", null],
      ]);
    });

    it("is all-or-nothing: one unknown id refuses the lot, nothing changed, nothing audited", async () => {
      const snapshot = await t.db.actionItem.findMany({ orderBy: { id: "asc" } });
      const audits = await t.db.auditEvent.count();
      const err = await bulkSetStatus([g.items.physmap, "gone"], "dropped", editor, t.db).catch((e) => e);
      expect(err).toMatchObject({ code: "NOT_FOUND" });
      expect(await t.db.actionItem.findMany({ orderBy: { id: "asc" } })).toEqual(snapshot);
      expect(await t.db.auditEvent.count()).toBe(audits);
      await expect(bulkSetStatus([g.items.physmap], "finished", editor, t.db)).rejects.toMatchObject({ name: "ZodError" });
      await expect(bulkSetStatus([], "done", editor, t.db)).rejects.toMatchObject({ name: "ZodError" });
    });

    it("makes an edit started before it conflict", async () => {
      const v = (await itemSnapshot(g.items.physmap, t.db))!.version;
      await bulkSetStatus([g.items.physmap], "blocked", otherEditor, t.db);
      await expect(updateItem(g.items.physmap, v, { status: "open" }, editor, t.db)).rejects.toMatchObject({ code: "CONFLICT" });
      expect((await itemSnapshot(g.items.physmap, t.db))!.status).toBe("blocked");
    });
  });

  describe("links", () => {
    it("accepts http(s) links with a kind, audits add and remove", async () => {
      const l = await addLink(
        g.items.physmap,
        { kind: "patch", url: "https://lists.xenproject.org/archives/html/xen-devel/2017-06/msg00001.html", title: "[PATCH v2 0/4] physmap" },
        editor,
        t.db,
      );
      const noTitle = await addLink(
        g.items.physmap,
        { kind: "commit", url: "http://xenbits.xen.org/gitweb/?p=xen.git;a=commit;h=abc", title: "" },
        editor,
        t.db,
      );
      expect(noTitle.title).toBe("http://xenbits.xen.org/gitweb/?p=xen.git;a=commit;h=abc");
      const d = (await getItem(g.items.physmap, {}, t.db))!;
      expect(d.links.map((x) => x.kind)).toEqual(["patch", "commit"]);
      await removeLink(g.items.physmap, l.id, editor, t.db);
      expect((await getItem(g.items.physmap, {}, t.db))!.links.map((x) => x.id)).toEqual([noTitle.id]);
      const actions = (await t.db.auditEvent.findMany({ where: { entityId: g.items.physmap, action: { startsWith: "link." } } })).map((e) => e.action).sort();
      expect(actions).toEqual(["link.add", "link.add", "link.remove"]);
      await expect(removeLink(g.items.jira, noTitle.id, editor, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" }); // another item's link
    });

    it("refuses javascript:, data:, ftp: and non-URLs, unknown kinds, duplicates; stores nothing", async () => {
      const before = await t.db.actionItemLink.count();
      for (const url of [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/x",
        "not a url",
        "",
        "//example.org/x",
      ]) {
        const err = await addLink(g.items.jira, { kind: "thread", url, title: "x" }, editor, t.db).catch((e) => e);
        expect(err.name, url).toBe("ZodError");
        expect(err.issues[0].path, url).toEqual(["url"]);
      }
      await expect(addLink(g.items.jira, { kind: "wiki" as "document", url: "https://example.org", title: "" }, editor, t.db)).rejects.toMatchObject({
        name: "ZodError",
      });
      await addLink(g.items.jira, { kind: "ticket", url: "https://jira.example.org/CA-1", title: "" }, editor, t.db);
      await expect(addLink(g.items.jira, { kind: "ticket", url: "https://jira.example.org/CA-1", title: "again" }, editor, t.db)).rejects.toMatchObject({
        code: "INVALID",
        fieldErrors: { url: ["This item already has that link"] },
      });
      await expect(addLink("nope", { kind: "ticket", url: "https://jira.example.org/CA-2", title: "" }, editor, t.db)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      expect(await t.db.actionItemLink.count()).toBe(before + 1);
    });
  });

  describe("person and topic pages", () => {
    it("a person: open items, closed items, meetings attended, totals", async () => {
      const p = (await personPage(g.people.Jenny, { now: NOW }, t.db))!;
      expect(p.person.displayName).toBe("Jenny Herbert");
      expect(p.person.account).toBe("jenny@example.org");
      expect(p.openItems.map((i) => i.id).sort()).toEqual([g.items.jira, g.items.restrict].sort());
      expect(p.meetings.map((m) => m.title)).toEqual(["WG 24 May", "WG 10 May"]);
      expect(p.totals).toMatchObject({ open: 2, meetings: 2 });
      expect(await personPage("nope", {}, t.db)).toBeNull();
    });

    it("the people and topics indexes count open items and meetings", async () => {
      const people = await listPeople(t.db);
      expect(people.map((p) => p.displayName)).toEqual(["Andrew Cooper", "Igor Druzhinin", "Jenny Herbert", "Paul Durrant"]);
      const open = await t.db.actionItem.count({
        where: { status: { in: ["open", "in_progress", "blocked"] }, owners: { some: { personId: g.people.Jenny } } },
      });
      expect(people.find((p) => p.id === g.people.Jenny)).toMatchObject({ open, meetings: 2 });
      const topics = await listTopics(t.db);
      expect(topics.map((x) => x.slug)).toEqual(["physmap-keys", "vnc-clipboard", "xs-restrict"]);
      expect(topics.find((x) => x.slug === "physmap-keys")).toMatchObject({ open: 1, meetings: 1 });
      expect(topics.find((x) => x.slug === "vnc-clipboard")).toMatchObject({ open: 0, meetings: 0 });
    });

    it("a topic: its meetings and its items, open first", async () => {
      const tp = (await topicPage("physmap-keys", { now: NOW }, t.db))!;
      expect(tp.topic.name).toBe("Physmap keys");
      expect(tp.meetings.map((m) => m.title)).toEqual(["WG 10 May"]);
      expect(tp.openItems.map((i) => i.id)).toEqual([g.items.physmap]);
      expect(tp.closedItems).toEqual([]);
      expect(await topicPage("nope", {}, t.db)).toBeNull();
    });
  });
  describe("kept board reads", () => {
    it("an owner and topic filter follows an edit of an item's owners and topics (its id list is kept until such a write)", async () => {
      const filter = { topic: "xs-restrict", owner: g.people.Andrew };
      expect(await texts(filter)).toEqual(ids("restrict"));
      expect(await texts(filter)).toEqual(ids("restrict")); // the kept answer
      const start = (await itemSnapshot(g.items.otherSeries, t.db))!;
      const edited = await updateItem(
        g.items.otherSeries,
        start.version,
        { ownerIds: [...start.owners.map((o) => o.id), g.people.Andrew], topicIds: [...start.topics.map((x) => x.id), g.topics["xs-restrict"]] },
        editor,
        t.db,
      );
      expect(await texts(filter)).toEqual(ids("otherSeries", "restrict"));
      await updateItem(g.items.otherSeries, edited.version, { ownerIds: start.owners.map((o) => o.id), topicIds: start.topics.map((x) => x.id) }, editor, t.db);
      expect(await texts(filter)).toEqual(ids("restrict"));
    });
  });
});
