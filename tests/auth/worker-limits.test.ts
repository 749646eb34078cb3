import { describe, expect, it } from "vitest";
import { RateLimitCounts } from "@/lib/auth/rate-limit-store";
import { isLeadWorker, workerIndex } from "@/lib/cluster/workers";
// @ts-expect-error: plain JavaScript, the production server process (no types).
import { workerCount } from "../../scripts/serve.mjs";

describe("DMBOARD_WORKERS", () => {
  it("is read strictly: unset or 1 serves alone, auto is one per core (at most 8)", () => {
    expect(workerCount(undefined, 4)).toBe(1);
    expect(workerCount("1", 4)).toBe(1);
    expect(workerCount("3", 4)).toBe(3);
    expect(workerCount("auto", 2)).toBe(2);
    expect(workerCount("auto", 64)).toBe(8);
    for (const bad of ["0", "17", "two", "-2", "2.5"]) expect(() => workerCount(bad, 4)).toThrow(/DMBOARD_WORKERS/);
  });

  it("a process is a worker only with the primary's channel and both variables; worker 0 leads", () => {
    // No IPC channel to a primary here unless vitest's own: the variables decide only with one.
    const channel = typeof process.send === "function";
    expect(workerIndex({ DMBOARD_WORKERS: "2", DMBOARD_WORKER: "1" })).toBe(channel ? 1 : null);
    expect(workerIndex({ DMBOARD_WORKER: "1" })).toBeNull();
    expect(workerIndex({ DMBOARD_WORKERS: "2", DMBOARD_WORKER: "x" })).toBeNull();
    expect(isLeadWorker({})).toBe(true);
    expect(isLeadWorker({ DMBOARD_WORKERS: "2", DMBOARD_WORKER: "0" })).toBe(true);
    expect(isLeadWorker({ DMBOARD_WORKERS: "2", DMBOARD_WORKER: "1" })).toBe(!channel);
  });
});

describe("rate limits kept by the lead worker", () => {
  it("allow max requests per window and say when the window frees up", () => {
    const c = new RateLimitCounts();
    const rule = { window: 60, max: 3 };
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(c.consume("1.2.3.4/sign-in", rule, t0 + i * 1000)).toEqual({ allowed: true, retryAfter: null });
    expect(c.consume("1.2.3.4/sign-in", rule, t0 + 10_000)).toEqual({ allowed: false, retryAfter: 50 });
    // Another key has its own count; the window's end starts a new one.
    expect(c.consume("5.6.7.8/sign-in", rule, t0 + 10_000).allowed).toBe(true);
    expect(c.consume("1.2.3.4/sign-in", rule, t0 + 60_000)).toEqual({ allowed: true, retryAfter: null });
  });
});
