/**
 * "Never remove the last admin" as one command: the check, the change and its audit
 * event in one serializable transaction, on both providers.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/users
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/db/errors";
import { setUserRole } from "@/lib/users/commands";
import { setupTestDb, type TestDb } from "../harness";

const chair = { userId: null, label: "chair@example.org" };

describe("changing roles", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
  });
  afterAll(() => t.cleanup());

  /** Users by id → role; each starts with one session. */
  async function users(roles: Record<string, string>, banned: string[] = []) {
    await t.db.session.deleteMany();
    await t.db.user.deleteMany();
    await t.db.auditEvent.deleteMany();
    for (const [id, role] of Object.entries(roles)) {
      await t.db.user.create({ data: { id, name: id, email: `${id}@example.org`, role, banned: banned.includes(id) } });
      await t.db.session.create({ data: { id: `s-${id}`, token: `token-${id}`, userId: id, expiresAt: new Date(Date.now() + 3_600_000) } });
    }
  }
  const roleOf = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id } })).role;
  const audits = () => t.db.auditEvent.findMany({ where: { entity: "user", action: "role" }, orderBy: { at: "asc" } });

  beforeEach(() => users({ ada: "admin", bob: "editor" }));

  it("refuses to demote the last admin, and changes nothing (role, sessions, audit)", async () => {
    const err = await setUserRole("ada", "editor", chair, t.db).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "INVALID", message: expect.stringMatching(/last admin/) });
    expect(await roleOf("ada")).toBe("admin");
    expect(await t.db.session.count({ where: { userId: "ada" } })).toBe(1);
    expect(await audits()).toEqual([]);
  });

  it("a banned admin does not count as the other admin", async () => {
    await users({ ada: "admin", eve: "admin" }, ["eve"]);
    await expect(setUserRole("ada", "viewer", chair, t.db)).rejects.toMatchObject({ code: "INVALID" });
    // Demoting the banned one leaves the active admin: allowed.
    await expect(setUserRole("eve", "viewer", chair, t.db)).resolves.toMatchObject({ changed: true });
  });

  it("demotes an admin when another remains: sessions ended and the change audited, together", async () => {
    await setUserRole("bob", "admin", chair, t.db);
    const r = await setUserRole("ada", "viewer", chair, t.db);
    expect(r).toEqual({ userId: "ada", role: "viewer", changed: true });
    expect(await roleOf("ada")).toBe("viewer");
    expect(await t.db.session.count({ where: { userId: "ada" } })).toBe(0);
    expect((await audits()).map((a) => [a.entityId, JSON.parse(a.detail), a.actorLabel])).toEqual([
      ["bob", { from: "editor", to: "admin" }, "chair@example.org"],
      ["ada", { from: "admin", to: "viewer" }, "chair@example.org"],
    ]);
  });

  it("the same role again changes nothing and writes no event", async () => {
    expect(await setUserRole("bob", "editor", chair, t.db)).toEqual({ userId: "bob", role: "editor", changed: false });
    expect(await t.db.session.count({ where: { userId: "bob" } })).toBe(1);
    expect(await audits()).toEqual([]);
  });

  it("an unknown user is NOT_FOUND", async () => {
    await expect(setUserRole("nobody", "admin", chair, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("two admins demoting each other at once leave one admin: one of the two is refused", async () => {
    await users({ ada: "admin", bob: "admin" });
    const results = await Promise.allSettled([setUserRole("ada", "editor", chair, t.db), setUserRole("bob", "editor", chair, t.db)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    // SQLite runs the two one after the other (the second sees the last admin); PostgreSQL
    // aborts one at SERIALIZABLE (a conflict to retry). Either way the rule holds.
    expect(refused.reason).toBeInstanceOf(DomainError);
    expect(["INVALID", "CONFLICT"]).toContain((refused.reason as DomainError).code);
    expect(await t.db.user.count({ where: { role: "admin" } })).toBe(1);
    expect(await audits()).toHaveLength(1);
  });
});
