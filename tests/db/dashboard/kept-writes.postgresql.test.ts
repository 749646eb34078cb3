/**
 * Kept answers (lib/db/kept.ts) see writes of other processes: on PostgreSQL through the
 * NOTIFY of the write triggers (lib/db/write-notices.ts), two handles standing for two
 * server instances; on SQLite through PRAGMA data_version, a second connection standing
 * for a CLI import.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/dashboard/kept-writes.postgresql.test.ts
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { listenForWrites, WRITE_NOTICE_TABLES, type WriteListener } from "@/lib/db/write-notices";
import { boardLinks, countedRead, openCount } from "./kept-reads";
import { setupTestDb, testProvider, type TestDb } from "../harness";
import { NOW, seedItems } from "../items/fixtures";

/** Polls `check` until it holds; fails after `ms` (a bound, not a speed: notices take milliseconds). */
async function eventually(check: () => Promise<boolean> | boolean, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`still not: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// PostgreSQL's own behaviour: vitest.config.ts runs this file only in that pass.
beforeAll(() => expect(testProvider(), "run with DMBOARD_TEST_PROVIDER=postgresql").toBe("postgresql"));

describe("kept answers across server instances (PostgreSQL NOTIFY)", () => {
  let t: TestDb;
  let other: Db; // a second instance's client
  let raw: pg.Client; // psql, another program
  let listener: WriteListener | null = null;
  let items: Awaited<ReturnType<typeof seedItems>>["items"];
  beforeAll(async () => {
    t = await setupTestDb();
    items = (await seedItems(t.db)).items;
    other = createDb(t.config);
    raw = new pg.Client({ connectionString: t.config.url });
    await raw.connect();
  });
  afterAll(async () => {
    await listener?.stop();
    await raw?.end();
    await other?.$disconnect();
    await t?.cleanup();
  });

  it("announces writes to exactly the tables kept reads depend on", async () => {
    const res = await raw.query<{ table: string; events: number }>(
      `SELECT c.relname AS table, t.tgtype AS events FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%\\_notify\\_write' ORDER BY 1`,
    );
    expect(res.rows.map((r) => r.table)).toEqual([...WRITE_NOTICE_TABLES].sort());
    // tgtype: row-level bit 1 unset (statement level); INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32.
    for (const r of res.rows) expect([r.table, r.events & 0b111101]).toEqual([r.table, 4 | 8 | 16 | 32]);
  });

  it("keeps nothing while this process does not listen", async () => {
    const r = countedRead(other);
    await r.read();
    await r.read();
    expect(r.runs).toBe(2);
  });

  it("a write through one instance, then raw SQL from another program, show on the other instance", async () => {
    listener = listenForWrites(t.config.url);
    await listener.ready;
    const r = countedRead(other);
    const before = await openCount(other);
    expect(await r.read()).toBe(before);
    expect(await r.read()).toBe(before);
    expect(r.runs).toBe(1); // kept while nothing is written
    expect(await openCount(other)).toBe(before);

    await t.db.actionItem.update({ where: { id: items.physmap }, data: { status: "done", closedAt: NOW } });
    await eventually(async () => (await openCount(other)) === before - 1, "the dashboard of the other instance shows the item closed");
    await eventually(async () => (await r.read()) === before - 1, "the kept count sees the other instance's write");

    await raw.query(`UPDATE "ActionItem" SET "status" = 'done' WHERE "id" = $1`, [items.jira]);
    await eventually(async () => (await openCount(other)) === before - 2, "the dashboard shows a write made with raw SQL");
    await eventually(async () => (await r.read()) === before - 2, "the kept count sees a write made with raw SQL");
    const runs = r.runs;
    await r.read();
    expect(r.runs).toBe(runs); // and keeps again
  });

  it("the board's kept page shows a link another program added to an item", async () => {
    expect(listener!.listening).toBe(true);
    const before = await boardLinks(other, items.physmap);
    expect(before).not.toBeNull();
    expect(await boardLinks(other, items.physmap)).toEqual(before);
    await raw.query(
      `INSERT INTO "ActionItemLink" ("id", "itemId", "kind", "url", "title") VALUES ('l-kept-pg', $1, 'patch', 'https://lore.kernel.org/kept-pg', 'kept')`,
      [items.physmap],
    );
    await eventually(
      async () => (await boardLinks(other, items.physmap))?.includes("https://lore.kernel.org/kept-pg") === true,
      "the board shows the new link",
    );
  });

  it("keeps nothing while the LISTEN connection is down, and trusts nothing kept before once it is back", async () => {
    expect(listener!.listening).toBe(true);
    const r = countedRead(other);
    const v = await r.read();
    await r.read();
    expect(r.runs).toBe(1);
    // A write committed while the listener is down is announced to nobody here.
    await raw.query("BEGIN");
    await raw.query(`UPDATE "ActionItem" SET "status" = 'done' WHERE "id" = (SELECT "id" FROM "ActionItem" WHERE "status" = 'open' LIMIT 1)`);
    const ended = new pg.Client({ connectionString: t.config.url });
    await ended.connect();
    await ended.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`dmboard-writes ${process.pid}`]);
    await ended.end();
    await eventually(() => !listener!.listening, "the listener noticed its connection ended");
    await raw.query("COMMIT"); // well within the first reconnect's pause
    // Nothing may be kept meanwhile. Both reads start in this same turn (their stamps are
    // taken at once), before any reconnect can.
    const down = r.runs;
    await Promise.all([r.read(), r.read()]);
    expect(r.runs).toBe(down + 2);
    await eventually(() => listener!.listening, "the listener reconnected");
    // The answer kept before the connection ended is not trusted: the epoch moved on.
    expect(await r.read()).toBe(v - 1);
    const back = r.runs;
    await r.read();
    await r.read();
    expect(r.runs).toBe(back);
  });
});
