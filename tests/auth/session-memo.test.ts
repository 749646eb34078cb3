import { beforeEach, describe, expect, it } from "vitest";
import { noteStatement } from "@/lib/db/kept";
import { forgetSessions, memoSession, SESSION_MEMO_MS } from "@/lib/auth/session-memo";

type S = { id: string; expiresAt: number };
const db = { $transaction: () => undefined };
const at = (v: S) => v.expiresAt;

function reader(result: S | null) {
  const r = { calls: 0, read: async () => (r.calls++, result) };
  return r;
}

describe("memoSession", () => {
  beforeEach(() => forgetSessions());

  it("reads once for the same cookie, again for another", async () => {
    const r = reader({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c1", r.read, at, 0);
    expect(await memoSession(db, "c1", r.read, at, 1)).toEqual({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c2", r.read, at, 2);
    expect(r.calls).toBe(2);
  });

  it("reads again after a write to the session or user table", async () => {
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

  it("reads again after the reuse window", async () => {
    const r = reader({ id: "a", expiresAt: Infinity });
    await memoSession(db, "c", r.read, at, 0);
    await memoSession(db, "c", r.read, at, SESSION_MEMO_MS - 1);
    expect(r.calls).toBe(1);
    await memoSession(db, "c", r.read, at, SESSION_MEMO_MS);
    expect(r.calls).toBe(2);
  });

  it("reads again once the session has expired, within the window", async () => {
    const r = reader({ id: "a", expiresAt: 5 });
    await memoSession(db, "c", r.read, at, 0);
    await memoSession(db, "c", r.read, at, 4);
    expect(r.calls).toBe(1);
    await memoSession(db, "c", r.read, at, 5);
    expect(r.calls).toBe(2);
  });

  it("never keeps no session, nor a failed read", async () => {
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
