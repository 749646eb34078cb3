import { writeStamp } from "@/lib/db/kept";

/**
 * A verified session, reused for the requests that bring the same cookies. Every signed-in
 * page asked better-auth for the session, one database read (and its query compilation) per
 * view: ~10 % of the server's CPU on a page that reads nothing else (/vms, under load).
 *
 * An answer is reused only while no write to the `user` or `session` table went through the
 * process's client (lib/db/kept.ts counts them: sign-out, revocation, a role change or a
 * ban end the reuse at once), before the session expires, and for at most `SESSION_MEMO_MS`:
 * writes of another process (a CLI) show within that. "No session" is never kept.
 */

/** Reuse window; also how long another process's revocation may take to show. */
export const SESSION_MEMO_MS = 10_000;
/** Distinct cookie headers remembered; the least recently verified go first. */
const MAX_MEMO = 1000;
/** What a session's validity depends on (Prisma's @@map names: what the SQL says). */
const TABLES = ["user", "session"] as const;

interface Memo {
  stamp: string;
  at: number;
  /** When the session itself ends (ms); Infinity until the read is in. */
  until: number;
  value: Promise<unknown>;
}

const g = globalThis as unknown as { dmboardSessionMemo?: Map<string, Memo> };
const memos = (g.dmboardSessionMemo ??= new Map<string, Memo>());

/**
 * `read()` (better-auth's getSession), or the answer it gave for the same `key` (the request's
 * cookie header) while the conditions above hold. Concurrent callers share one read.
 */
export function memoSession<T>(
  db: object,
  key: string,
  read: () => Promise<T | null>,
  expiresAt: (session: T) => number,
  now: number = Date.now(),
): Promise<T | null> {
  // The stamp is taken before reading: a write that lands meanwhile makes the answer stale at once.
  const stamp = writeStamp(db, TABLES);
  const hit = memos.get(key);
  if (hit && hit.stamp === stamp && now - hit.at < SESSION_MEMO_MS && now < hit.until) return hit.value as Promise<T | null>;
  const memo: Memo = { stamp, at: now, until: Infinity, value: read() };
  memos.delete(key); // re-inserted last: the map's order is the order of verification
  memos.set(key, memo);
  if (memos.size > MAX_MEMO) memos.delete(memos.keys().next().value!);
  const forget = () => {
    if (memos.get(key) === memo) memos.delete(key);
  };
  memo.value.then((v) => (v === null ? forget() : (memo.until = expiresAt(v as T))), forget);
  return memo.value as Promise<T | null>;
}

/** Tests: start from nothing. */
export function forgetSessions(): void {
  memos.clear();
}
