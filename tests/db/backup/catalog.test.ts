import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OMITTED_TABLES } from "@/lib/backup/catalog";
import { openConn, type Conn } from "@/lib/backup/conn";
import { carriedTables } from "@/lib/backup/source";
import { emptyTestDb, setupTestDb, testProvider, type TestDb } from "../harness";
import { ROOT } from "./fixtures";

/** Table names of prisma/schema.prisma's models (`@@map` applied). */
function schemaTables(): string[] {
  const schema = fs.readFileSync(path.join(ROOT, "prisma", "schema.prisma"), "utf8");
  return [...schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map((m) => /@@map\("([^"]+)"\)/.exec(m[2])?.[1] ?? m[1]).sort();
}

describe(`what a backup of ${testProvider()} holds`, () => {
  let t: TestDb;
  let conn: Conn;
  beforeAll(async () => {
    t = await setupTestDb();
    conn = await openConn(t.config);
  });
  afterAll(async () => {
    await conn.close();
    await t.cleanup();
  });

  it("every model's table but the omitted ones; no search index, no migration bookkeeping", async () => {
    const tables = await conn.tables();
    expect(tables.map((x) => x.name).sort()).toEqual(schemaTables());
    expect(
      carriedTables(tables)
        .map((x) => x.name)
        .sort(),
    ).toEqual(schemaTables().filter((n) => !(n in OMITTED_TABLES)));
  });

  it("no derived column: PostgreSQL's tsvectors are rebuilt by the target, not copied", async () => {
    const meeting = (await conn.tables()).find((x) => x.name === "Meeting")!;
    expect(meeting.columns.map((c) => c.name)).not.toContain("search_tsv");
    expect(meeting.columns.map((c) => c.name)).toEqual([...meeting.columns.map((c) => c.name)].sort());
    expect(meeting.primaryKey).toEqual(["id"]);
    expect(meeting.parents).toEqual(["Series"]);
  });

  it("parents come before children", async () => {
    const order = (await conn.tables()).map((x) => x.name);
    for (const [parent, child] of [
      ["Series", "Meeting"],
      ["Meeting", "ActionItem"],
      ["ActionItem", "ActionItemOwner"],
      ["Person", "ActionItemOwner"],
      ["user", "account"],
      ["Topic", "XsRule"],
    ]) {
      expect(order.indexOf(parent), `${parent} before ${child}`).toBeLessThan(order.indexOf(child));
    }
  });
});

describe("after a load into PostgreSQL", () => {
  it("a sequence-fed column continues after the largest loaded value", async () => {
    const target = await emptyTestDb("postgresql");
    const conn = await openConn(target.config);
    try {
      await conn.beginWrite();
      const pg = conn as unknown as { client: { query: (q: string) => Promise<{ rows: { id: number }[] }> } };
      await pg.client.query(`CREATE TABLE "Scratch" ("id" SERIAL PRIMARY KEY, "note" TEXT NOT NULL)`);
      const table = (await conn.tables()).find((x) => x.name === "Scratch")!;
      await conn.insert(table, table.columns, [
        [41, "loaded"],
        [42, "loaded"],
      ]);
      expect(await conn.afterLoad([table])).toEqual({ sequences: 1 });
      const { rows } = await pg.client.query(`INSERT INTO "Scratch" ("note") VALUES ('new') RETURNING "id"`);
      expect(rows[0].id).toBe(43);
      await conn.rollback();
    } finally {
      await conn.close();
      await target.cleanup();
    }
  });
});
