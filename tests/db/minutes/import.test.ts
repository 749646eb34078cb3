import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitImport, importFiles, importMessage, planImport, type ImportDraft } from "@/lib/minutes/server";
import { decodeInput, isInputError } from "@/lib/minutes";
import { setupTestDb, type TestDb } from "../harness";
import { actor, counts, eml, fixture, realPost, seedWg } from "./fixtures";

const ownersOf = async (t: TestDb, itemIds: string[]) =>
  (await t.db.actionItem.findMany({ where: { id: { in: itemIds } }, include: { owners: { include: { person: true } } }, orderBy: { createdAt: "asc" } })).map(
    (i) => ({
      text: i.text,
      owners: i.owners.map((o) => o.person.displayName).sort(),
    }),
  );

describe("importing the real 10 May 2017 post", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedWg>>;
  let draft: ImportDraft;
  let meetingId: string;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedWg(t.db);
  });
  afterAll(() => t.cleanup());

  it("previews against the database: series by name, reviews matched to the open items, Simon unmatched", async () => {
    const plan = await planImport(realPost(), "post.txt", {}, t.db);
    expect(plan.series?.id).toBe(g.series.id);
    const m = plan.preview.messages[0];
    if (m.status !== "minutes") throw new Error(`expected minutes, got ${m.status}`);
    expect(m.unmatchedNames).toEqual(["Simon Crow"]);
    expect(m.minutes.reviews.map((r) => r.match?.itemId ?? null)).toEqual([g.items.Paul, g.items.Ian, g.items.Andrew, g.items.Jenny]);
    draft = plan.drafts[0];
    expect(draft).toMatchObject({ seriesId: g.series.id, date: "2017-05-10", title: "QEMU XenServer/XenProject Working group meeting 10th May 2017" });
    expect(m.minutes.headingDate).toBe("2017-05-05");
    expect(draft.reviews.map((r) => [r.itemId, r.outcome])).toEqual([
      [g.items.Paul, "done"],
      [g.items.Ian, "no_progress"],
      [g.items.Andrew, "no_progress"],
      [g.items.Jenny, "progress"],
    ]);
    expect(await t.db.meeting.count()).toBe(0);
  });

  it("commits the meeting: 7 attendees, 4 new items with the right owners, reviews move the items' status", async () => {
    const r = await commitImport(draft, actor, t.db);
    if (r.status !== "imported") throw new Error("expected imported");
    meetingId = r.meetingId;
    expect(r.createdPeople.map((p) => p.displayName)).toEqual(["Simon Crow"]);
    const m = await t.db.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: { attendees: { include: { person: true } }, reviews: true } });
    expect(m).toMatchObject({ source: "import", sourceMessageId: null, sourceFingerprint: draft.fingerprint, title: draft.title });
    expect(m.date.toISOString()).toBe("2017-05-10T00:00:00.000Z");
    expect(m.body).toContain("shared page");
    expect(m.body).not.toMatch(/Date Prev|Xen-devel mailing list/);
    expect(m.attendees.map((a) => a.person.displayName).sort()).toEqual([
      "Andrew Cooper",
      "Ian Jackson",
      "Igor Druzhinin",
      "Jenny Herbert",
      "Marcus Granado",
      "Paul Durrant",
      "Simon Crow",
    ]);
    expect(await ownersOf(t, r.itemIds)).toEqual([
      { text: "Andrew to double check dm-op sub ops for continuation support", owners: ["Andrew Cooper"] },
      { text: expect.stringMatching(/^Igor to implement/), owners: ["Igor Druzhinin"] },
      { text: expect.stringMatching(/^Ian to look a using/), owners: ["Ian Jackson"] },
      { text: expect.stringMatching(/^Jenny to create internal jira/), owners: ["Jenny Herbert"] },
    ]);
    expect(Object.fromEntries(m.reviews.map((rv) => [rv.itemId, rv.outcome]))).toEqual({
      [g.items.Paul]: "done",
      [g.items.Ian]: "no_progress",
      [g.items.Andrew]: "no_progress",
      [g.items.Jenny]: "progress",
    });
    const status = Object.fromEntries((await t.db.actionItem.findMany({ where: { id: { in: Object.values(g.items) } } })).map((i) => [i.id, i.status]));
    expect(status).toEqual({ [g.items.Paul]: "done", [g.items.Ian]: "open", [g.items.Andrew]: "open", [g.items.Jenny]: "in_progress" });
    const audits = await t.db.auditEvent.findMany({ where: { entity: "meeting", entityId: meetingId } });
    expect(audits.map((a) => a.action)).toEqual(["import"]);
    expect(await t.db.auditEvent.count({ where: { entity: "actionItem", action: "review" } })).toBe(4);
  });

  it("importing it again changes nothing and says already imported", async () => {
    const before = await counts(t.db);
    expect(await commitImport(draft, actor, t.db)).toMatchObject({ status: "already_imported", meetingId, by: "fingerprint" });
    const plan = await planImport(realPost(), "post.txt", {}, t.db);
    expect(plan.preview.messages[0]).toMatchObject({ status: "minutes", alreadyImported: true });
    expect(plan.existing[0]).toBe(meetingId);
    expect(plan.drafts[0]).toBeUndefined();
    const report = await importFiles([{ name: "post.txt", bytes: realPost() }], { actor }, t.db);
    expect(report.messages.map((m) => [m.status, m.meetingId])).toEqual([["already_imported", meetingId]]);
    expect(await counts(t.db)).toEqual(before);
  });

  it("the next meeting's reviewed points match the items this one created", async () => {
    const decoded = await decodeInput(fixture("attendance-one-per-line.txt"));
    if (isInputError(decoded)) throw new Error(decoded.message);
    const out = await importMessage(decoded[0], { actor }, t.db);
    if (out.status !== "imported") throw new Error(JSON.stringify(out));
    const created = await t.db.actionItem.findMany({ where: { meetingId }, orderBy: { createdAt: "asc" } });
    const reviews = await t.db.review.findMany({ where: { meetingId: out.meetingId }, include: { item: true } });
    const byItem = Object.fromEntries(reviews.map((r) => [r.itemId, [r.outcome, r.item.status]]));
    expect(byItem).toEqual({
      [created[0].id]: ["done", "done"],
      [created[2].id]: ["progress", "in_progress"],
      [created[1].id]: ["carried_over", "open"],
      [created[3].id]: ["dropped", "dropped"],
    });
    expect(out.createdPeople.map((p) => p.displayName)).toEqual(["Roger Pau Monné"]);
    expect((await ownersOf(t, out.itemIds)).map((i) => i.owners)).toEqual([
      ["Paul Durrant"],
      ["Ian Jackson"],
      ["Andrew Cooper", "Roger Pau Monné"],
      ["Roger Pau Monné"],
    ]);
  });
});

describe("idempotence by Message-ID and by content", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
    await seedWg(t.db, { openItems: false });
  });
  afterAll(() => t.cleanup());

  const body = fixture("present-line.txt").toString("utf8");
  it("same Message-ID with edited content, or the same content pasted without headers: already imported", async () => {
    const first = await importFiles(
      [{ name: "a.eml", bytes: eml("<wg-21-june@example.org>", "[Xen-devel] Xen device model WG minutes, 21 June 2017", body) }],
      { actor, seriesSlug: "qemu-wg" },
      t.db,
    );
    expect(first.messages.map((m) => m.status)).toEqual(["imported"]);
    const id = first.messages[0].meetingId;
    const before = await counts(t.db);
    const edited = await importFiles(
      [{ name: "b.eml", bytes: eml("<wg-21-june@example.org>", "[Xen-devel] Xen device model WG minutes, 21 June 2017", body.replace("qdisk", "xen-disk")) }],
      { actor, seriesSlug: "qemu-wg" },
      t.db,
    );
    expect(edited.messages.map((m) => [m.status, m.meetingId])).toEqual([["already_imported", id]]);
    const pasted = await importFiles([{ name: "c.txt", bytes: Buffer.from(body) }], { actor, seriesSlug: "qemu-wg" }, t.db);
    expect(pasted.messages.map((m) => [m.status, m.meetingId])).toEqual([["already_imported", id]]);
    expect(await counts(t.db)).toEqual(before);
  });
});

/** The client, except that inside a transaction the Nth actionItem.create throws. */
function failingOnItemCreate(db: TestDb["db"], n: number): TestDb["db"] {
  let calls = 0;
  const wrapTx = (tx: object) =>
    new Proxy(tx, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (prop !== "actionItem") return v;
        return new Proxy(v as object, {
          get(model, op) {
            const f = Reflect.get(model, op);
            if (op !== "create") return typeof f === "function" ? f.bind(model) : f;
            return async (...args: unknown[]) => {
              if (++calls >= n) throw new Error("forced failure midway");
              return (f as (...a: unknown[]) => unknown).apply(model, args);
            };
          },
        });
      },
    });
  return new Proxy(db, {
    get(target, prop) {
      const v = Reflect.get(target, prop);
      if (prop === "$transaction") return (fn: (tx: object) => unknown, opts?: object) => target.$transaction((tx) => fn(wrapTx(tx)) as Promise<unknown>, opts);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

describe("all or nothing", () => {
  let t: TestDb;
  let g: Awaited<ReturnType<typeof seedWg>>;
  beforeAll(async () => {
    t = await setupTestDb();
    g = await seedWg(t.db);
  });
  afterAll(() => t.cleanup());

  it("a commit failing midway (after the meeting, people and reviews were written) leaves nothing behind", async () => {
    const plan = await planImport(realPost(), "post.txt", {}, t.db);
    const before = await counts(t.db);
    // The 3rd action item of the commit fails: meeting, Simon Crow, 4 reviews and 2 items were already written.
    await expect(commitImport(plan.drafts[0], actor, failingOnItemCreate(t.db, 3))).rejects.toThrow("forced failure midway");
    expect(await counts(t.db)).toEqual(before);
    expect(await t.db.person.count({ where: { displayName: "Simon Crow" } })).toBe(0);
    expect((await t.db.actionItem.findUniqueOrThrow({ where: { id: g.items.Paul } })).status).toBe("open");
    // Nothing half-written blocks a retry.
    expect(await commitImport(plan.drafts[0], actor, t.db)).toMatchObject({ status: "imported" });
  });

  it("a draft naming an item that is closed by now is refused with a field error, nothing written", async () => {
    const plan = await planImport(fixture("present-line.txt"), "p.txt", { seriesSlug: "qemu-wg" }, t.db);
    const before = await counts(t.db);
    const draft = { ...plan.drafts[0], reviews: plan.drafts[0].reviews.map((r, i) => (i === 0 ? { ...r, itemId: g.items.Paul } : r)) };
    await expect(commitImport(draft, actor, t.db)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "reviews.0.itemId": ["This action item is done now"] },
    });
    await expect(commitImport({ ...draft, date: "2017-02-30" }, actor, t.db)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { date: ["This date does not exist"] },
    });
    expect(await counts(t.db)).toEqual(before);
  });
});

describe("bulk mbox", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
    await seedWg(t.db, { openItems: false });
  });
  afterAll(() => t.cleanup());

  it("imports every good message, skips the reply, reports the malformed one by position and reason", async () => {
    const seen: string[] = [];
    const report = await importFiles([{ name: "several.mbox", bytes: fixture("several.mbox") }], { actor, onMessage: (m) => seen.push(m.status) }, t.db);
    expect(report.messages.map((m) => [m.index, m.status])).toEqual([
      [0, "imported"],
      [1, "error"],
      [2, "skipped"],
      [3, "imported"],
    ]);
    expect(seen).toEqual(["imported", "error", "skipped", "imported"]);
    expect(report.messages[1].reason).toMatch(/^Message 2: no mail header block/);
    expect(report.messages[2].reason).toMatch(/Not meeting minutes/);
    expect(report.totals).toMatchObject({ imported: 2, skipped: 1, errors: 1 });
    expect(await t.db.meeting.count()).toBe(2);
    // The second message reviewed the first one's item: matched, not duplicated.
    const dmop = await t.db.actionItem.findMany({ where: { text: { startsWith: "Andrew to double check" } }, include: { reviews: true } });
    expect(dmop).toHaveLength(1);
    expect(dmop[0]).toMatchObject({ status: "done", reviews: [{ outcome: "done" }] });

    const before = await counts(t.db);
    const again = await importFiles([{ name: "several.mbox", bytes: fixture("several.mbox") }], { actor }, t.db);
    expect(again.messages.map((m) => m.status)).toEqual(["already_imported", "error", "skipped", "already_imported"]);
    expect(await counts(t.db)).toEqual(before);
  });

  it("a dry run reports the same messages and writes nothing", async () => {
    const t2 = await setupTestDb();
    try {
      await seedWg(t2.db, { openItems: false });
      const before = await counts(t2.db);
      const report = await importFiles(
        [
          { name: "several.mbox", bytes: fixture("several.mbox") },
          { name: "empty.txt", bytes: Buffer.from("  \n") },
        ],
        { actor, dryRun: true },
        t2.db,
      );
      expect(report.messages.map((m) => m.status)).toEqual(["would_import", "error", "skipped", "would_import"]);
      expect(report.files.map((f) => f.error)).toEqual([null, expect.stringMatching(/empty/)]);
      expect(report.messages[0].minutes?.actionItems).toEqual([
        { text: expect.stringMatching(/^Andrew to double check/), owners: [{ name: "Andrew", person: "Andrew Cooper", create: null }] },
      ]);
      expect(await counts(t2.db)).toEqual(before);
    } finally {
      await t2.cleanup();
    }
  });
});
