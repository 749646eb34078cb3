/**
 * The session reuse (lib/auth/session-memo.ts) ends when another process writes the session
 * or user tables: another server instance or psql on PostgreSQL (the NOTIFY of migration
 * 0007), a CLI on SQLite (data_version). Revocation and role changes must not wait for the
 * reuse's max age.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorFromHeaders } from "@/lib/auth/actor";
import { getAuth } from "@/lib/auth/auth";
import { createUser } from "@/lib/auth/users";
import { listenForWrites, type WriteListener } from "@/lib/db/write-notices";
import { setupTestDb, testProvider, useAsProcessDb, type TestDb } from "../harness";

const BASE = "http://localhost:3000";

async function signIn(email: string, password: string): Promise<string> {
  const res = await getAuth().handler(
    new Request(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE, "x-forwarded-for": "203.0.113.9" },
      body: JSON.stringify({ email, password }),
    }),
  );
  const set = res.headers.getSetCookie().find((c) => c.includes("session_token"));
  if (!set) throw new Error(`no session cookie (HTTP ${res.status})`);
  return set.split(";")[0];
}

/** Polls until `check` holds; a bound, not a speed (a notice takes milliseconds). */
async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`still not: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`a reused session ends with another process's write (${testProvider()})`, () => {
  let t: TestDb;
  let restore: () => Promise<void>;
  let listener: WriteListener | null = null;
  /** Raw SQL from another program: psql, or a CLI's own SQLite connection. */
  let other: (sql: string) => Promise<void>;
  let close: () => Promise<void> = async () => {};
  const actor = (cookie: string) => actorFromHeaders(new Headers({ cookie }));

  beforeAll(async () => {
    t = await setupTestDb();
    restore = await useAsProcessDb(t);
    if (t.config.provider === "postgresql") {
      // What instrumentation.ts starts in every server: without it nothing is reused.
      listener = listenForWrites(t.config.url);
      await listener.ready;
      const c = new pg.Client({ connectionString: t.config.url });
      await c.connect();
      other = async (sql) => void (await c.query(sql));
      close = () => c.end();
    } else {
      const c = new Database(t.config.url);
      other = async (sql) => void c.exec(sql);
      close = async () => void c.close();
    }
    await createUser({ email: "rev@example.org", name: "Rev", role: "editor", password: "correct-horse-2" });
  });
  afterAll(async () => {
    await close();
    await listener?.stop();
    await restore?.();
    await t?.cleanup();
  });

  const q = (name: string) => (t.config.provider === "postgresql" ? `"${name}"` : `\`${name}\``);

  it("a role changed by another process shows on the next request", async () => {
    const cookie = await signIn("rev@example.org", "correct-horse-2");
    expect(await actor(cookie)).toMatchObject({ role: "editor" });
    expect(await actor(cookie)).toMatchObject({ role: "editor" });
    await other(`UPDATE ${q("user")} SET ${q("role")} = 'viewer' WHERE ${q("email")} = 'rev@example.org'`);
    if (t.config.provider === "sqlite") expect(await actor(cookie)).toMatchObject({ role: "viewer" });
    else await eventually(async () => (await actor(cookie))?.role === "viewer", "the other instance's role change is seen");
  });

  it("a session revoked by another process ends on the next request", async () => {
    const cookie = await signIn("rev@example.org", "correct-horse-2");
    expect(await actor(cookie)).not.toBeNull();
    expect(await actor(cookie)).not.toBeNull();
    await other(`DELETE FROM ${q("session")}`);
    if (t.config.provider === "sqlite") expect(await actor(cookie)).toBeNull();
    else await eventually(async () => (await actor(cookie)) === null, "the other instance's revocation is seen");
  });
});
