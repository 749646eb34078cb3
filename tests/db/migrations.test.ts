import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { setupTestDb, type TestDb } from "./harness";
import { migrate, loadMigrations } from "@/lib/db/migrate";
import { checkDatabase } from "@/lib/db/health";

describe("migrations", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
  });
  afterAll(() => t.cleanup());

  it("applies every migration once and is idempotent", async () => {
    const again = await migrate(t.config, path.resolve(import.meta.dirname, "..", ".."));
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(loadMigrations(t.provider).length);
  });

  it("creates the schema the client expects", async () => {
    const series = await t.db.series.create({ data: { name: "WG", slug: "wg" } });
    const topic = await t.db.topic.create({ data: { slug: "physmap-keys", name: "Physmap keys" } });
    const meeting = await t.db.meeting.create({
      data: { seriesId: series.id, date: new Date("2017-05-10"), title: "m", topics: { create: [{ topicId: topic.id }] } },
    });
    const found = await t.db.meeting.findUniqueOrThrow({ where: { id: meeting.id }, include: { topics: true } });
    expect(found.topics).toHaveLength(1);
    expect(found.version).toBe(1);
  });

  it("enforces unique constraints (same on both providers)", async () => {
    await t.db.series.create({ data: { name: "Dup", slug: "dup" } });
    await expect(t.db.series.create({ data: { name: "Dup", slug: "dup2" } })).rejects.toThrow();
  });
});

describe("health", () => {
  it("reports the provider of the configured database", async () => {
    // checkDatabase uses the process-wide client: point it at a migrated test database.
    const t = await setupTestDb();
    const prev = process.env.DATABASE_URL;
    process.env.DATABASE_URL = t.provider === "sqlite" ? `file:${t.config.url}` : t.config.url;
    const { closeDb } = await import("@/lib/db/client");
    await closeDb();
    try {
      const h = await checkDatabase();
      expect(h.ok).toBe(true);
      expect(h.provider).toBe(t.provider);
      expect(h.migrations).toBeGreaterThan(0);
    } finally {
      await closeDb();
      if (prev === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = prev;
      await t.cleanup();
    }
  });
});
