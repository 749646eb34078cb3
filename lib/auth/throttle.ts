/**
 * Sign-in throttling, in front of better-auth's email sign-in (issue 10).
 *
 * - Per client address: at most N attempts in any 60 seconds (DMBOARD_SIGNIN_RATE_LIMIT,
 *   default 10). A sliding window, so "N a minute" means exactly that: a refused client
 *   waits only until its oldest attempt is a minute old, and Retry-After says how long
 *   (better-auth's own limiter refused until a whole quiet minute had passed; issue 13).
 *   The address is the one scripts/serve.mjs put in X-Forwarded-For: the socket's peer,
 *   or what a trusted proxy saw (DMBOARD_TRUST_PROXY), never what a client claims.
 * - Per account, whatever the address: after 5 failed sign-ins in a row, each further
 *   attempt waits 30 s, doubling with every failure up to 15 min; a success clears it,
 *   so does a day without failures. Unknown emails are tracked the same way, so the
 *   answer never says whether an account exists.
 * A refused attempt never reaches the password check, so it cannot lengthen a lock.
 * State is in memory, one per server: with several worker processes (DMBOARD_WORKERS) the
 * lead keeps it and the others ask it (lib/cluster/workers.ts), so landing on another process
 * buys no attempts. Several instances on PostgreSQL each keep their own.
 */
import { callWorker, isLeadWorker, serveMethod, workerIndex } from "@/lib/cluster/workers";

export const SIGNIN_WINDOW_MS = 60_000;
export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_BASE_DELAY_MS = 30_000;
export const ACCOUNT_MAX_DELAY_MS = 15 * 60_000;
const ACCOUNT_FORGET_MS = 24 * 60 * 60_000;
/** Keys kept at most per map; beyond, the oldest go (an address flood cannot exhaust memory). */
const MAX_KEYS = 100_000;

export interface Refusal {
  scope: "address" | "account";
  retryAfterSeconds: number;
  message: string;
}

/** DMBOARD_SIGNIN_RATE_LIMIT: attempts per minute per client address. */
export function signInRateLimit(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DMBOARD_SIGNIN_RATE_LIMIT ?? 10);
  return Number.isInteger(n) && n > 0 ? n : 10;
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function inWords(s: number): string {
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

function accountKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

/** Drop the oldest keys past MAX_KEYS (Maps keep insertion order): the rate limits of lib/auth/rate-limit-store.ts too. */
export function bounded<K, V>(m: Map<K, V>): void {
  if (m.size <= MAX_KEYS) return;
  for (const k of m.keys()) {
    m.delete(k);
    if (m.size <= MAX_KEYS) break;
  }
}

export class SignInThrottle {
  private readonly attempts = new Map<string, number[]>();
  private readonly failures = new Map<string, { count: number; last: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly opts: { addressLimit?: boolean; now?: () => number } = {},
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** How long an account waits after `count` failures in a row. */
  static accountDelay(count: number): number {
    if (count < ACCOUNT_FREE_FAILURES) return 0;
    return Math.min(ACCOUNT_BASE_DELAY_MS * 2 ** (count - ACCOUNT_FREE_FAILURES), ACCOUNT_MAX_DELAY_MS);
  }

  /** Before the password is checked: a refusal, or null and the attempt is counted. */
  check(address: string, email: string): Refusal | null {
    const t = this.now();
    if (this.opts.addressLimit !== false) {
      const recent = (this.attempts.get(address) ?? []).filter((x) => t - x < SIGNIN_WINDOW_MS);
      if (recent.length >= this.perMinute) {
        this.attempts.set(address, recent);
        const wait = seconds(recent[0] + SIGNIN_WINDOW_MS - t);
        return {
          scope: "address",
          retryAfterSeconds: wait,
          message: `Too many sign-in attempts from your address: at most ${this.perMinute} a minute. Try again in ${inWords(wait)}.`,
        };
      }
      recent.push(t);
      this.attempts.delete(address);
      this.attempts.set(address, recent);
      bounded(this.attempts);
    }
    const f = this.failures.get(accountKey(email));
    if (f && t - f.last >= ACCOUNT_FORGET_MS) this.failures.delete(accountKey(email));
    else if (f) {
      const until = f.last + SignInThrottle.accountDelay(f.count);
      if (t < until) {
        const wait = seconds(until - t);
        return {
          scope: "account",
          retryAfterSeconds: wait,
          message: `Too many failed sign-ins for this account. Try again in ${inWords(wait)}.`,
        };
      }
    }
    return null;
  }

  /** After the password was checked. */
  record(email: string, ok: boolean): void {
    const key = accountKey(email);
    if (ok) {
      this.failures.delete(key);
      return;
    }
    const f = this.failures.get(key);
    this.failures.delete(key);
    this.failures.set(key, { count: (f?.count ?? 0) + 1, last: this.now() });
    bounded(this.failures);
  }
}

const globalForThrottle = globalThis as unknown as { dmboardSignInThrottle?: SignInThrottle };

function throttle(): SignInThrottle {
  if (!globalForThrottle.dmboardSignInThrottle) {
    globalForThrottle.dmboardSignInThrottle = new SignInThrottle(signInRateLimit(), { addressLimit: process.env.DMBOARD_RATE_LIMIT !== "off" });
    const t = globalForThrottle.dmboardSignInThrottle;
    if (workerIndex() === 0) {
      serveMethod("throttle.check", (a) => t.check(...(a as [string, string])));
      serveMethod("throttle.record", (a) => t.record(...(a as [string, boolean])));
    }
  }
  return globalForThrottle.dmboardSignInThrottle;
}

/** The throttle's answer: here on the lead (or alone), from the lead in another worker. */
async function check(address: string, email: string): Promise<Refusal | null> {
  return isLeadWorker() ? throttle().check(address, email) : callWorker<Refusal | null>(0, "throttle.check", [address, email]);
}

async function record(email: string, ok: boolean): Promise<void> {
  if (isLeadWorker()) throttle().record(email, ok);
  else await callWorker(0, "throttle.record", [email, ok]);
}

/** The lead answers siblings from its first start (instrumentation.ts), before any sign-in reaches it. */
export function serveSignInThrottle(): void {
  if (isLeadWorker()) throttle();
}

/** The client's address as scripts/serve.mjs left it: one entry in X-Forwarded-For. */
export function clientAddress(headers: Headers): string {
  const xff = headers.get("x-forwarded-for") ?? "";
  return xff.split(",").pop()?.trim() || "unknown";
}

/**
 * Wraps better-auth's handler: email sign-ins are checked and recorded, everything else
 * passes through untouched.
 */
export async function throttleSignIn(req: Request, handler: (req: Request) => Promise<Response>): Promise<Response> {
  if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/sign-in/email")) return handler(req);
  const body: unknown = await req
    .clone()
    .json()
    .catch(() => null);
  const email = typeof (body as { email?: unknown } | null)?.email === "string" ? (body as { email: string }).email : "";
  let refusal: Refusal | null;
  try {
    refusal = await check(clientAddress(req.headers), email);
  } catch {
    // The lead worker is restarting: refuse (never let an attempt past an unknown count).
    return Response.json(
      { code: "TEMPORARILY_UNAVAILABLE", message: "Sign-in is briefly unavailable. Try again in a few seconds." },
      { status: 503, headers: { "Retry-After": "2" } },
    );
  }
  if (refusal) {
    return Response.json(
      { code: "TOO_MANY_REQUESTS", message: refusal.message },
      { status: 429, headers: { "Retry-After": String(refusal.retryAfterSeconds), "X-Retry-After": String(refusal.retryAfterSeconds) } },
    );
  }
  const res = await handler(req);
  // A lost record (the lead restarting) forgets one attempt at most; the answer stands.
  if (res.status === 200) await record(email, true).catch(() => undefined);
  else if (res.status === 401) await record(email, false).catch(() => undefined);
  return res;
}
