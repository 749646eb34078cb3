import { describe, expect, it } from "vitest";
import { noteStatement } from "@/lib/db/kept";
import { memoSession, SESSION_MEMO_MAX_AGE_MS } from "@/lib/auth/session-memo";

type S = { id: string; expiresAt: number };
const at = (v: S) => v.expiresAt;
/** A handle of its own per test: the reuse is kept per database handle. */
const handle = () => ({ $transaction: () => undefined });

function reader(result: S | null) {
  const r = { calls: 0, read: async () => (r.calls++, result) };
  return r;
}

describe("memoSession", () => {
  it("reads once for the same cookie, again for another", async () => {
    const db = handle();
    const r = reader({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c1", r.read, at, 0);
    expect(await memoSession(db, "c1", r.read, at, 1)).toEqual({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c2", r.read, at, 2);
    expect(r.calls).toBe(2);
  });

  it("reads again after a write to the session or user table, not after other writes", async () => {
    const db = handle();
    const r = reader({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c", r.read, at, 0);
    noteStatement(db, "DELETE FROM `main`.`session` WHERE `id` = ?");
    await memoSession(db, "c", r.read, at, 1);
    noteStatement(db, 'UPDATE "public"."user" SET "role" = $1');
    await memoSession(db, "c", r.read, at, 2);
    noteStatement(db, "UPDATE `main`.`ActionItem` SET `title` = ?");
    await memoSession(db, "c", r.read, at, 3);
    expect(r.calls).toBe(3);
  });

  it("reads again after the max age, so better-auth still refreshes a session in use", async () => {
    const db = handle();
    const r = reader({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c", r.read, at, 0);
    await memoSession(db, "c", r.read, at, SESSION_MEMO_MAX_AGE_MS - 1);
    expect(r.calls).toBe(1);
    await memoSession(db, "c", r.read, at, SESSION_MEMO_MAX_AGE_MS);
    expect(r.calls).toBe(2);
  });

  it("asks better-auth again once the session has expired", async () => {
    const db = handle();
    const r = reader({ id: "a", expiresAt: 5 });
    await memoSession(db, "c", r.read, at, 0);
    await memoSession(db, "c", r.read, at, 4);
    expect(r.calls).toBe(1);
    await memoSession(db, "c", r.read, at, 5);
    expect(r.calls).toBe(2);
  });

  it("never keeps no session, nor a failed read", async () => {
    const db = handle();
    const none = reader(null);
    await memoSession(db, "c", none.read, at, 0);
    await memoSession(db, "c", none.read, at, 1);
    expect(none.calls).toBe(2);
    const failing = async () => {
      throw new Error("db down");
    };
    await expect(memoSession(db, "d", failing, at, 0)).rejects.toThrow("db down");
    const r = reader({ id: "a", expiresAt: Infinity });
    await memoSession(db, "d", r.read, at, 1);
    expect(r.calls).toBe(1);
  });
});
