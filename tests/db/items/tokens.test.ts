import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as actionItemsGET } from "@/app/api/v1/action-items/route";
import { GET as meetingsGET } from "@/app/api/v1/meetings/route";
import { GET as csvGET } from "@/app/api/items/export.csv/route";
import { createUser } from "@/lib/auth/users";
import { createToken, revokeToken, MAX_ACTIVE_TOKENS } from "@/lib/tokens/commands";
import { listTokens } from "@/lib/tokens/reads";
import { setupTestDb, useAsProcessDb, type TestDb } from "../harness";
import { seedItems } from "./fixtures";

/**
 * API tokens end to end, through the real route handlers (defineRoute with token: true)
 * on the test database: a new token reads the API, the database holds only its hash,
 * a revoked token gets 401.
 */
describe("API tokens and the read API routes", () => {
  let t: TestDb;
  let restore: () => Promise<void>;
  let actor: { userId: string; email: string };
  beforeAll(async () => {
    t = await setupTestDb();
    restore = await useAsProcessDb(t);
    await seedItems(t.db);
    const u = await createUser({ email: "viewer@example.org", name: "Vera Viewer", role: "viewer", password: "correct-horse-1" });
    actor = { userId: u.id, email: u.email };
  });
  afterAll(async () => {
    await restore();
    await t.cleanup();
  });

  const call = (handler: typeof actionItemsGET, url: string, token?: string) =>
    handler(new NextRequest(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }), { params: Promise.resolve({}) });

  /** Every text column of every table: the secret must be in none of them. */
  async function databaseContains(needle: string): Promise<boolean> {
    const tables = ["ApiToken", "AuditEvent", "user", "session", "account", "verification"];
    for (const table of tables) {
      const rows = (await t.db.$queryRawUnsafe(`SELECT * FROM "${table}"`)) as Record<string, unknown>[];
      if (JSON.stringify(rows).includes(needle)) return true;
    }
    return false;
  }

  it("a created token reads the API; only its hash is stored; revoked, it gets 401", async () => {
    const created = await createToken(actor, "CI dashboard", t.db);
    expect(created.token).toMatch(/^dmb_[\w-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 10));

    const ok = await call(actionItemsGET, "http://localhost/api/v1/action-items?status=open&pageSize=1", created.token);
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ page: 1, pageSize: 1, total: 2, pageCount: 2 });
    expect(body.next).toBe("http://localhost/api/v1/action-items?status=open&pageSize=1&page=2");
    expect((await call(meetingsGET, "http://localhost/api/v1/meetings", created.token)).status).toBe(200);
    const csv = await call(csvGET, "http://localhost/api/items/export.csv?status=done", created.token);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).split("\r\n").filter(Boolean)).toHaveLength(2);

    // The secret is nowhere in the database (hash, prefix and audit only).
    expect(await databaseContains(created.token)).toBe(false);
    expect(await databaseContains(created.token.slice(10))).toBe(false);
    const listed = await listTokens(actor.userId, t.db);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: "CI dashboard", prefix: created.prefix, revokedAt: null });
    expect(listed[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain("tokenHash");

    await revokeToken(actor, created.id, t.db);
    const refused = await call(actionItemsGET, "http://localhost/api/v1/action-items", created.token);
    expect(refused.status).toBe(401);
    expect((await call(meetingsGET, "http://localhost/api/v1/meetings", created.token)).status).toBe(401);
    expect((await listTokens(actor.userId, t.db))[0].revokedAt).not.toBeNull();
    const audits = await t.db.auditEvent.findMany({ where: { entity: "apiToken", entityId: created.id }, orderBy: { at: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["create", "revoke"]);
  });

  it("no token, a made-up token, or a bad query: 401, 401, 400 with the field", async () => {
    expect((await call(actionItemsGET, "http://localhost/api/v1/action-items")).status).toBe(401);
    expect((await call(actionItemsGET, "http://localhost/api/v1/action-items", "dmb_madeupmadeupmadeupmadeupmadeupmadeupmadeupm")).status).toBe(401);
    const { token } = await createToken(actor, "second", t.db);
    const bad = await call(actionItemsGET, "http://localhost/api/v1/action-items?status=finished", token);
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error.code).toBe("INVALID");
    expect(err.error.fieldErrors).toEqual({ "status.0": ["Choose open, in progress, blocked, done or dropped"] });
  });

  it("someone else's token cannot be revoked by id; names are validated; active tokens are capped", async () => {
    const other = await createUser({ email: "other@example.org", name: "Other", role: "viewer", password: "correct-horse-2" });
    const theirs = await createToken({ userId: other.id, email: other.email }, "theirs", t.db);
    await expect(revokeToken(actor, theirs.id, t.db)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await call(actionItemsGET, "http://localhost/api/v1/action-items", theirs.token)).status).toBe(200);
    await expect(createToken(actor, "   ", t.db)).rejects.toMatchObject({ name: "ZodError" });
    await expect(createToken(actor, "x".repeat(101), t.db)).rejects.toMatchObject({ name: "ZodError" });
    const active = (await listTokens(actor.userId, t.db)).filter((x) => !x.revokedAt).length;
    for (let i = active; i < MAX_ACTIVE_TOKENS; i++) await createToken(actor, `t${i}`, t.db);
    await expect(createToken(actor, "one too many", t.db)).rejects.toMatchObject({ code: "INVALID" });
  });
});
