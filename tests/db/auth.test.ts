import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDb, useAsProcessDb, type TestDb } from "./harness";
import { getAuth } from "@/lib/auth/auth";
import { createUser } from "@/lib/auth/users";
import { createToken, revokeToken } from "@/lib/tokens/commands";
import { userForToken } from "@/lib/tokens/reads";
import { hashToken } from "@/lib/tokens/secret";
import { linkUserToPerson, setUserRole } from "@/lib/users/commands";
import { actorFromHeaders } from "@/lib/auth/actor";
import { seedDemo } from "@/lib/db/seed";
import { throttleSignIn } from "@/lib/auth/throttle";

const BASE = "http://localhost:3000";

/** As app/api/auth/[...all]/route.ts does: the sign-in throttle, then better-auth. */
function signIn(email: string, password: string, ip = "203.0.113.7") {
  return throttleSignIn(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": ip },
      body: JSON.stringify({ email, password }),
    }),
    (r) => getAuth().handler(r),
  );
}

function authPost(path: string, cookie: string, body: unknown) {
  return getAuth().handler(
    new Request(`${BASE}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, cookie },
      body: JSON.stringify(body),
    }),
  );
}

function cookieOf(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.includes("session_token"));
  if (!set) throw new Error("no session cookie");
  return set.split(";")[0];
}

describe("accounts, sessions and roles (better-auth on the real database)", () => {
  let t: TestDb;
  let restore: () => Promise<void>;
  beforeAll(async () => {
    t = await setupTestDb();
    restore = await useAsProcessDb(t);
    process.env.DMBOARD_SIGNIN_RATE_LIMIT = "5";
    await createUser({ email: "ed@example.org", name: "Ed", role: "editor", password: "correct-horse-1" });
  });
  afterAll(async () => {
    delete process.env.DMBOARD_SIGNIN_RATE_LIMIT;
    await restore();
    await t.cleanup();
  });

  it("stores no plain password", async () => {
    const account = await t.db.account.findFirstOrThrow({ where: { user: { email: "ed@example.org" } } });
    expect(account.password).toBeTruthy();
    expect(account.password).not.toContain("correct-horse-1");
  });

  it("signs in with the right password: httpOnly session cookie, session row in the database", async () => {
    const res = await signIn("ed@example.org", "correct-horse-1", "203.0.113.1");
    expect(res.status).toBe(200);
    const set = res.headers.getSetCookie().find((c) => c.includes("session_token"))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    const actor = await actorFromHeaders(new Headers({ cookie: cookieOf(res) }));
    expect(actor).toMatchObject({ email: "ed@example.org", role: "editor", via: "session" });
    expect(await t.db.session.count({ where: { user: { email: "ed@example.org" } } })).toBeGreaterThan(0);
  });

  it("refuses a wrong password with 401", async () => {
    const res = await signIn("ed@example.org", "wrong-password", "203.0.113.2");
    expect(res.status).toBe(401);
  });

  it("refuses sign-up: accounts come from admins only", async () => {
    const res = await getAuth().handler(
      new Request(`${BASE}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: BASE },
        body: JSON.stringify({ email: "intruder@example.org", password: "intruder-pass-1", name: "x", role: "admin" }),
      }),
    );
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await t.db.user.count({ where: { email: "intruder@example.org" } })).toBe(0);
  });

  it("rate-limits sign-in attempts per address", async () => {
    const statuses: number[] = [];
    // Different accounts, so the per-account backoff (after 5 failures) plays no part.
    for (let i = 0; i < 7; i++) statuses.push((await signIn(`nobody${i}@example.org`, "wrong-password", "198.51.100.9")).status);
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    expect((await signIn("ed@example.org", "correct-horse-1", "198.51.100.10")).status).toBe(200);
  });

  it("a user may change their own name, and nothing else about themselves (issue 10)", async () => {
    const cookie = cookieOf(await signIn("ed@example.org", "correct-horse-1", "203.0.113.8"));
    const before = await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } });
    for (const body of [
      { image: "javascript:alert(document.cookie)" },
      { name: "Ed", image: "https://example.org/a.png" },
      { role: "admin" },
      { name: "Ed\u202eadmin" },
      { name: "" },
      { email: "x@example.org" },
    ]) {
      const res = await authPost("/update-user", cookie, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const path of ["/change-email", "/update-session", "/unlink-account", "/link-social", "/delete-user"]) {
      expect((await authPost(path, cookie, { newEmail: "x@example.org", providerId: "credential", provider: "oidc" })).status, path).toBe(403);
    }
    expect(await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } })).toEqual(before);
    const ok = await authPost("/update-user", cookie, { name: "Ed Edwards" });
    expect(ok.status).toBe(200);
    expect(await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } })).toMatchObject({ name: "Ed Edwards", image: null, role: before.role });
  });

  it("a role change ends the user's sessions at once", async () => {
    const res = await signIn("ed@example.org", "correct-horse-1", "203.0.113.3");
    const cookie = cookieOf(res);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } });
    // Verified once, then reused for the same cookie (lib/auth/session-memo.ts) until a write ends it.
    expect(await actorFromHeaders(new Headers({ cookie }))).toMatchObject({ role: "editor" });
    expect(await actorFromHeaders(new Headers({ cookie }))).toMatchObject({ role: "editor" });
    await setUserRole(user.id, "viewer", { userId: null, label: "test" }, t.db);
    expect(await actorFromHeaders(new Headers({ cookie }))).toBeNull();
  });

  it("an unknown role grants nothing (fail closed)", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } });
    await t.db.user.update({ where: { id: user.id }, data: { role: "superuser" } });
    const res = await signIn("ed@example.org", "correct-horse-1", "203.0.113.4");
    expect(await actorFromHeaders(new Headers({ cookie: cookieOf(res) }))).toBeNull();
    await t.db.user.update({ where: { id: user.id }, data: { role: "editor" } });
  });

  it("API tokens: only the hash is stored; revoked tokens are refused", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } });
    const { id, token } = await createToken({ userId: user.id, email: user.email }, "ci", t.db);
    const row = await t.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const actor = await actorFromHeaders(new Headers({ authorization: `Bearer ${token}` }), { allowToken: true });
    expect(actor).toMatchObject({ email: "ed@example.org", via: "token" });
    // Without allowToken (pages, actions) a bearer token is not a session.
    expect(await actorFromHeaders(new Headers({ authorization: `Bearer ${token}` }))).toBeNull();
    await revokeToken({ userId: user.id, email: user.email }, id, t.db);
    expect(await userForToken(token, t.db)).toBeNull();
  });

  it("seeds the demo: three roles and the 10 May 2017 meeting", async () => {
    const demo = await seedDemo(t.db, { password: "demo-password-9" });
    expect(demo.accounts).toHaveLength(3);
    const meeting = await t.db.meeting.findFirstOrThrow({
      where: { date: new Date("2017-05-10T00:00:00Z") },
      include: { attendees: true, itemsCreated: true, reviews: true },
    });
    expect(meeting.attendees).toHaveLength(7);
    expect(meeting.itemsCreated).toHaveLength(4);
    expect(meeting.reviews).toHaveLength(4);
    expect((await signIn("viewer@dmboard.local", "demo-password-9", "203.0.113.5")).status).toBe(200);
  });

  it("links an account to one Person, moving the link and auditing it", async () => {
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ed@example.org" } });
    const [a, b] = await Promise.all([
      t.db.person.create({ data: { displayName: "Anthony Perard" } }),
      t.db.person.create({ data: { displayName: "Roger Pau" } }),
    ]);
    const actor = { userId: null, label: "test" };
    await linkUserToPerson(user.id, a.id, actor, t.db);
    expect((await t.db.person.findUniqueOrThrow({ where: { id: a.id } })).userId).toBe(user.id);
    await linkUserToPerson(user.id, b.id, actor, t.db);
    expect((await t.db.person.findUniqueOrThrow({ where: { id: a.id } })).userId).toBeNull();
    expect((await t.db.person.findUniqueOrThrow({ where: { id: b.id } })).userId).toBe(user.id);
    await expect(linkUserToPerson(user.id, "no-such-person", actor, t.db)).rejects.toThrow(/No such person/);
    // the refused link changed nothing
    expect((await t.db.person.findUniqueOrThrow({ where: { id: b.id } })).userId).toBe(user.id);
    await linkUserToPerson(user.id, null, actor, t.db);
    expect(await t.db.person.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db.auditEvent.count({ where: { entity: "user", entityId: user.id, action: "link-person" } })).toBe(3);
  });
});
