import { createHash } from "node:crypto";
import { keptUntilWrite } from "@/lib/db/kept";

/**
 * A verified session, reused for the requests that bring the same cookies. Every signed-in
 * page asked better-auth for the session: two database reads, each compiled by Prisma's query
 * compiler, per view (~15–20 % of the server's CPU on a page that reads little else).
 *
 * The answer is kept like the dashboard's (lib/db/kept.ts): only while nothing wrote to the
 * `user` or `session` table — this process's writes at once; other instances' and CLIs'
 * through PostgreSQL's NOTIFY (migration 0007_more_write_notify) or SQLite's data_version — so
 * sign-out, revocation, a role change or a ban end the reuse everywhere before the next
 * request. Never past the session's own expiry; "no session" is never kept. The real read
 * still runs at least every SESSION_MEMO_MAX_AGE_MS per cookie, so better-auth refreshes a
 * session in use as it would without the reuse.
 */
export const SESSION_MEMO_MAX_AGE_MS = 60_000;
/** What a session's validity depends on (Prisma's @@map names: what the SQL says). */
const TABLES = ["user", "session"] as const;

/**
 * `read()` (better-auth's getSession), or the answer it gave for the same cookie header while
 * the conditions above hold. Concurrent callers share one read.
 */
export async function memoSession<T>(
  db: object,
  cookieHeader: string,
  read: () => Promise<T | null>,
  expiresAt: (session: T) => number,
  now: number = Date.now(),
): Promise<T | null> {
  // The key is a digest: the cookie is a credential, and the kept map is not the place for it.
  const key = `session:${createHash("sha256").update(cookieHeader).digest("base64url")}`;
  const session = await keptUntilWrite(db, key, TABLES, read, { maxAgeMs: SESSION_MEMO_MAX_AGE_MS, now, keepIf: (s) => s !== null });
  // Kept past its expiry (at most the max age): ask better-auth, which says it has ended.
  return session !== null && expiresAt(session) <= now ? read() : session;
}
