import { describe, expect, it } from "vitest";
import { ACCOUNT_MAX_DELAY_MS, SignInThrottle } from "@/lib/auth/throttle";
// @ts-expect-error: plain JavaScript, the production server process (no types).
import { normalizeForwarding, trustedProxyHops } from "../../scripts/serve.mjs";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("sign-in throttle: per client address", () => {
  it("allows N attempts in any minute and refuses only until the oldest is a minute old (issue 13)", () => {
    const c = clock();
    const th = new SignInThrottle(10, { now: c.now });
    for (let i = 0; i < 10; i++) {
      expect(th.check("192.0.2.1", `u${i}@example.org`)).toBeNull();
      c.advance(1_000);
    }
    // t = 10 s: ten attempts at 0..9 s.
    const r = th.check("192.0.2.1", "other@example.org");
    expect(r).toMatchObject({ scope: "address", retryAfterSeconds: 50 });
    expect(r?.message).toBe("Too many sign-in attempts from your address: at most 10 a minute. Try again in 50 s.");
    // Another address is not affected.
    expect(th.check("192.0.2.2", "other@example.org")).toBeNull();
    // Refused attempts do not count: at 60 s the first attempt has left the window, one more is allowed.
    c.advance(49_000);
    expect(th.check("192.0.2.1", "x@example.org")?.retryAfterSeconds).toBe(1);
    c.advance(1_000);
    expect(th.check("192.0.2.1", "x@example.org")).toBeNull();
    expect(th.check("192.0.2.1", "x@example.org")?.retryAfterSeconds).toBe(1);
  });

  it("can be left to a proxy (DMBOARD_RATE_LIMIT=off) without losing the per-account backoff", () => {
    const th = new SignInThrottle(1, { addressLimit: false, now: clock().now });
    for (let i = 0; i < 5; i++) {
      expect(th.check("192.0.2.1", "a@example.org")).toBeNull();
      th.record("a@example.org", false);
    }
    expect(th.check("192.0.2.1", "a@example.org")?.scope).toBe("account");
  });
});

describe("sign-in throttle: per account, with backoff", () => {
  it("after 5 failures in a row from any addresses, waits 30 s, doubling per failure, up to 15 min", () => {
    const c = clock();
    const th = new SignInThrottle(1000, { now: c.now });
    for (let i = 0; i < 5; i++) {
      expect(th.check(`198.51.100.${i}`, "Admin@dmboard.local")).toBeNull();
      th.record("admin@dmboard.local", false);
    }
    const r = th.check("203.0.113.9", " admin@DMBOARD.local ");
    expect(r).toMatchObject({ scope: "account", retryAfterSeconds: 30, message: "Too many failed sign-ins for this account. Try again in 30 s." });
    c.advance(30_000);
    expect(th.check("203.0.113.9", "admin@dmboard.local")).toBeNull();
    th.record("admin@dmboard.local", false);
    expect(th.check("203.0.113.9", "admin@dmboard.local")?.retryAfterSeconds).toBe(60);
    expect(SignInThrottle.accountDelay(20)).toBe(ACCOUNT_MAX_DELAY_MS);
    // Other accounts are not affected; a success clears the account's record.
    expect(th.check("203.0.113.9", "editor@dmboard.local")).toBeNull();
    c.advance(60_000);
    expect(th.check("203.0.113.9", "admin@dmboard.local")).toBeNull();
    th.record("admin@dmboard.local", true);
    th.record("admin@dmboard.local", false);
    expect(th.check("203.0.113.9", "admin@dmboard.local")).toBeNull();
  });

  it("forgets failures after a day without any", () => {
    const c = clock();
    const th = new SignInThrottle(1000, { now: c.now });
    for (let i = 0; i < 9; i++) th.record("a@example.org", false);
    expect(th.check("192.0.2.1", "a@example.org")?.scope).toBe("account");
    c.advance(24 * 60 * 60_000);
    expect(th.check("192.0.2.1", "a@example.org")).toBeNull();
    th.record("a@example.org", false);
    expect(th.check("192.0.2.1", "a@example.org")).toBeNull();
  });
});

describe("client address (scripts/serve.mjs)", () => {
  it("ignores every forwarding header unless a proxy is trusted", () => {
    const h: Record<string, string> = {
      "x-forwarded-for": "203.0.113.7",
      "x-real-ip": "203.0.113.8",
      forwarded: "for=203.0.113.9",
      "x-forwarded-host": "evil.example",
      host: "localhost:3000",
    };
    expect(normalizeForwarding(h, "::ffff:127.0.0.1", 0)).toBe("127.0.0.1");
    expect(h).toEqual({ "x-forwarded-for": "127.0.0.1", host: "localhost:3000" });
  });

  it("with N trusted proxies takes the address the outermost one saw, whatever the client wrote to the left", () => {
    const one = { "x-forwarded-for": "10.9.9.9, 203.0.113.7", "x-forwarded-proto": "https" };
    expect(normalizeForwarding(one, "192.0.2.10", 1)).toBe("203.0.113.7");
    expect(one).toEqual({ "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" });
    expect(normalizeForwarding({ "x-forwarded-for": "10.9.9.9, 203.0.113.7, 192.0.2.11" }, "192.0.2.10", 2)).toBe("203.0.113.7");
    // A proxy that sent no header: the peer itself.
    expect(normalizeForwarding({}, "192.0.2.10", 1)).toBe("192.0.2.10");
  });

  it("reads DMBOARD_TRUST_PROXY strictly", () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops("off")).toBe(0);
    expect(trustedProxyHops("on")).toBe(1);
    expect(trustedProxyHops("2")).toBe(2);
    expect(() => trustedProxyHops("10.0.0.1")).toThrow(/DMBOARD_TRUST_PROXY/);
  });
});
