/**
 * Kept answers (lib/db/kept.ts) see writes of other processes: on PostgreSQL through the
 * NOTIFY of the write triggers (lib/db/write-notices.ts), two handles standing for two
 * server instances; on SQLite through PRAGMA data_version, a second connection standing
 * for a CLI import.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/dashboard/kept-writes.sqlite.test.ts
 */
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boardLinks, countedRead, openCount } from "./kept-reads";
import { setupTestDb, testProvider, type TestDb } from "../harness";
import { seedItems } from "../items/fixtures";

// SQLite's own behaviour: vitest.config.ts runs this file only in that pass.
beforeAll(() => expect(testProvider(), "run with DMBOARD_TEST_PROVIDER=sqlite").toBe("sqlite"));

describe("kept answers see another process's writes (SQLite data_version)", () => {
  let t: TestDb;
  let cli: Database.Database; // a CLI import's connection
  let items: Awaited<ReturnType<typeof seedItems>>["items"];
  beforeAll(async () => {
    t = await setupTestDb();
    items = (await seedItems(t.db)).items;
    cli = new Database(t.config.url);
  });
  afterAll(async () => {
    cli?.close();
    await t?.cleanup();
  });

  it("keeps while nothing is written, and shows a write of another connection at once", async () => {
    const r = countedRead(t.db);
    const before = await openCount(t.db);
    expect(await r.read()).toBe(before);
    expect(await r.read()).toBe(before);
    expect(r.runs).toBe(1);
    expect(await openCount(t.db)).toBe(before);

    cli.prepare(`UPDATE "ActionItem" SET "status" = 'done' WHERE "id" = ?`).run(items.physmap);
    expect(await openCount(t.db)).toBe(before - 1);
    expect(await r.read()).toBe(before - 1);
    expect(r.runs).toBe(2);
    await r.read();
    expect(r.runs).toBe(2); // asking data_version is not a write
  });

  it("the board's kept page shows a link another connection added to an item", async () => {
    const before = await boardLinks(t.db, items.jira);
    expect(before).not.toBeNull();
    expect(await boardLinks(t.db, items.jira)).toEqual(before);
    cli
      .prepare(
        `INSERT INTO "ActionItemLink" ("id", "itemId", "kind", "url", "title") VALUES ('l-kept-sqlite', ?, 'patch', 'https://lore.kernel.org/kept-sqlite', 'kept')`,
      )
      .run(items.jira);
    expect(await boardLinks(t.db, items.jira)).toEqual([...before!, "https://lore.kernel.org/kept-sqlite"]);
  });
});
