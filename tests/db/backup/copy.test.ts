import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyDatabase } from "@/lib/backup/commands";
import { openConn } from "@/lib/backup/conn";
import { checksumDatabase } from "@/lib/backup/source";
import { createDb, type Db } from "@/lib/db/client";
import type { DbConfig, Provider } from "@/lib/db/config";
import { createMeeting } from "@/lib/meetings/commands";
import { search } from "@/lib/search/search";
import { userForToken } from "@/lib/tokens/reads";
import { emptyTestDb, setupTestDb, testProvider, type TestDb } from "../harness";
import { expectSameRecord, ROOT, seedRecord } from "./fixtures";

/**
 * `db:copy` between the two real engines: the run for SQLite copies SQLite → PostgreSQL,
 * the run for PostgreSQL copies PostgreSQL → SQLite, so CI covers both directions.
 */
const other = (p: Provider): Provider => (p === "sqlite" ? "postgresql" : "sqlite");

describe(`db:copy ${testProvider()} → ${other(testProvider())}`, () => {
  let src: TestDb;
  let dst: { config: DbConfig; cleanup: () => Promise<void> };
  let copy: Db;
  let seeded: Awaited<ReturnType<typeof seedRecord>>;
  let report: Awaited<ReturnType<typeof copyDatabase>>;

  beforeAll(async () => {
    src = await setupTestDb();
    seeded = await seedRecord(src, { meetings: 1000, items: 5000 });
    dst = await emptyTestDb(other(src.provider));
    report = await copyDatabase(src.config, dst.config, { root: ROOT });
    copy = createDb(dst.config);
  }, 240_000);
  afterAll(async () => {
    await copy?.$disconnect();
    await dst?.cleanup();
    await src?.cleanup();
  });

  it("copies the demo, the imported minutes and 1,000 generated meetings", async () => {
    expect(seeded.imported).toBeGreaterThanOrEqual(3);
    expect(await src.db.meeting.count()).toBeGreaterThan(1000);
    expect(report.tables.find((t) => t.name === "Meeting")?.rows).toBe(await src.db.meeting.count());
    expect(report.rows).toBeGreaterThan(10_000);
  });

  it("every table is equal, read through Prisma on both engines; sessions are left out on purpose", async () => {
    expect(await src.db.session.count()).toBe(1);
    await expectSameRecord(src.db, copy);
  });

  it("row counts and checksums agree when both are read again", async () => {
    const [a, b] = [await openConn(src.config), await openConn(dst.config)];
    try {
      const [sa, sb] = [await checksumDatabase(a), await checksumDatabase(b)];
      expect([...sb.entries()]).toEqual([...sa.entries()]);
      expect(sa.has("session")).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  /** Every hit of `q`, page by page (the engines rank differently; the hits are what must match). */
  async function allHits(q: string, db: Db): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await search(q, { limit: 1000, offset, snippets: false }, db);
      out.push(...page.map((h) => `${h.kind}:${h.id}`));
      if (page.length < 1000) return out.sort();
    }
  }

  it("search finds the same hits on both", async () => {
    for (const q of ["physmap", "clipboard", "xenstore depriv", "continuation", "libxl hotplug", '"shared page"', "confluence"]) {
      const [a, b] = [await allHits(q, src.db), await allHits(q, copy)];
      expect(a.length, q).toBeGreaterThan(0);
      expect(b, q).toEqual(a);
    }
    expect((await search("physmap", {}, copy)).length).toBeGreaterThan(0);
  });

  it("the target's derived data works: a new meeting is found by search, API tokens still authenticate", async () => {
    const series = await copy.series.findFirstOrThrow({ where: { slug: "qemu-wg" } });
    const m = await createMeeting(
      { seriesId: series.id, date: "2026-01-15", title: "After the move", body: "The zanzibarite stays deprivileged." },
      { userId: "u-test", email: "t@example.org" },
      copy,
    );
    expect((await search("zanzibarite", {}, copy)).map((h) => h.id)).toContain(m.id);
    expect((await userForToken(seeded.token, copy))?.email).toBe("admin@dmboard.local");
  });

  it("refuses to copy again into the now non-empty target, and leaves it as it was", async () => {
    const before = await copy.meeting.count();
    await expect(copyDatabase(src.config, dst.config, { root: ROOT })).rejects.toMatchObject({
      code: "NOT_EMPTY",
      message: expect.stringMatching(/is not empty: .*Meeting \(\d+\)/),
    });
    expect(await copy.meeting.count()).toBe(before);
  });
});
