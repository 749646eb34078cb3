import http from "node:http";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "../playwright.config";

/**
 * Sign-in throttling against the real server (scripts/serve.mjs + Next). Requests come
 * from their own loopback addresses (127.0.0.x), so the other specs, signing in from
 * 127.0.0.1, never meet these limits.
 */
function signIn(from: string, email: string, forwardedFor: string): Promise<{ status: number; retryAfter: string | undefined; body: string }> {
  const data = JSON.stringify({ email, password: "definitely-not-the-password" });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: E2E_PORT,
        localAddress: from,
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(data),
          origin: `http://localhost:${E2E_PORT}`,
          "x-forwarded-for": forwardedFor,
          "x-real-ip": forwardedFor,
        },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, body }));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

test("15 bad sign-ins with a different X-Forwarded-For each are limited by the real client address", async () => {
  const statuses: number[] = [];
  let last = { status: 0, retryAfter: undefined as string | undefined, body: "" };
  for (let i = 0; i < 15; i++) {
    // A different account each time too, so only the per-address limit (10 a minute) applies.
    last = await signIn("127.0.0.21", `nobody-${i}@example.org`, `203.0.113.${i + 1}`);
    statuses.push(last.status);
  }
  expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
  expect(statuses.slice(10)).toEqual(Array(5).fill(429));
  expect(Number(last.retryAfter)).toBeGreaterThan(0);
  expect(JSON.parse(last.body).message).toMatch(/^Too many sign-in attempts from your address: at most 10 a minute\. Try again in \d+ s\.$/);
});

test("one account is throttled with backoff whichever addresses the attempts come from", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await signIn(`127.0.0.${30 + i}`, "Target@Example.org", `198.51.100.${i}`)).status);
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  const r = await signIn("127.0.0.40", "target@example.org", "198.51.100.99");
  expect(r.status).toBe(429);
  expect(JSON.parse(r.body).message).toMatch(/^Too many failed sign-ins for this account\. Try again in \d+ s\.$/);
});
