/**
 * better-auth's rate limits with several worker processes (DMBOARD_WORKERS): one count per
 * server, kept by the lead worker, so a client gets no more requests by landing on another
 * process (better-auth's "memory" storage is per process). Alone, better-auth's own memory
 * storage does the same job and this module is not used.
 */
import type { BetterAuthOptions } from "better-auth";
import { callWorker, isLeadWorker, serveMethod, workerIndex } from "@/lib/cluster/workers";
import { bounded } from "./throttle";

type RateLimitStorage = NonNullable<NonNullable<BetterAuthOptions["rateLimit"]>["customStorage"]>;
type Rule = { window: number; max: number };
type Decision = { allowed: boolean; retryAfter: number | null };

/** A fixed window per key, like better-auth's own: `max` requests per `window` seconds. */
export class RateLimitCounts {
  private readonly windows = new Map<string, { start: number; count: number }>();

  consume(key: string, rule: Rule, now: number = Date.now()): Decision {
    const w = this.windows.get(key);
    if (!w || now - w.start >= rule.window * 1000) {
      this.windows.delete(key);
      this.windows.set(key, { start: now, count: 1 });
      bounded(this.windows); // an address flood cannot exhaust memory
      return { allowed: true, retryAfter: null };
    }
    if (w.count < rule.max) {
      w.count++;
      return { allowed: true, retryAfter: null };
    }
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((w.start + rule.window * 1000 - now) / 1000)) };
  }
}

const g = globalThis as unknown as { dmboardRateLimits?: RateLimitCounts };

function counts(): RateLimitCounts {
  g.dmboardRateLimits ??= new RateLimitCounts();
  return g.dmboardRateLimits;
}

/** On the lead: answer the other workers (instrumentation.ts, at start). */
export function serveRateLimits(): void {
  if (workerIndex() === 0) serveMethod("ratelimit.consume", (a) => counts().consume(...(a as [string, Rule])));
}

/** better-auth's customStorage when running as one of several workers; undefined alone. */
export function workerRateLimitStorage(): RateLimitStorage | undefined {
  if (workerIndex() === null) return undefined;
  return {
    async consume(key, rule) {
      if (isLeadWorker()) return counts().consume(key, rule);
      // The lead restarting: refuse for a moment rather than count nothing.
      return callWorker<Decision>(0, "ratelimit.consume", [key, rule]).catch(() => ({ allowed: false, retryAfter: 2 }));
    },
  };
}
