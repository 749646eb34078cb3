import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_DATA_DIR } from "../playwright.config";
import { routeHandlers } from "../tests/auth/app-tree";
import { stateFor } from "./global-setup";

/**
 * The runtime half of the route × role proof. Every server action (from the build's
 * server-reference manifest) and every route handler (from the app/ file tree) is
 * called as an anonymous visitor and as a viewer; every write must be refused and the
 * database must not change. Removing a guard, or lowering a write to "viewer", fails it.
 */

// Writes a viewer may make, each for a reason. Anything else must be refused.
const VIEWER_MAY = new Map<string, string>([
  ["createApiTokenAction", "a viewer manages their own API tokens for the read API"],
  ["revokeApiTokenAction", "a viewer manages their own API tokens for the read API"],
  ["rotateFeedTokenAction", "a viewer subscribes to the meeting calendar with their own feed token"],
  ["revokeFeedTokenAction", "a viewer subscribes to the meeting calendar with their own feed token"],
  ["setDigestAction", "a viewer chooses whether they get the e-mail digest of their own items"],
]);
// Route files anyone may call: better-auth's own endpoints authenticate themselves.
const PUBLIC_ROUTE_FILES = new Set(["api/health/route.ts", "api/auth/[...all]/route.ts"]);

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename: string;
  exportedName: string;
}

function actions(): { id: string; name: string; file: string; url: string }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", ".next", "server", "server-reference-manifest.json"), "utf8"));
  return Object.entries(manifest.node as Record<string, ManifestEntry>).map(([id, e]) => {
    const worker = Object.keys(e.workers)[0];
    const url =
      "/" +
      worker
        .replace(/^app\//, "")
        .replace(/\/?page$/, "")
        .split("/")
        .filter((s) => !(s.startsWith("(") && s.endsWith(")")))
        .map((s) => (s.startsWith("[") ? "x" : s))
        .join("/");
    return { id, name: e.exportedName, file: e.filename, url };
  });
}

function auditCount(): number {
  const db = new Database(path.join(E2E_DATA_DIR, "dmboard.db"), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM "AuditEvent"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function callAction(request: APIRequestContext, a: { id: string; url: string }, headers: Record<string, string> = {}) {
  const res = await request.post(a.url, {
    headers: { "Next-Action": a.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", ...headers },
    data: "[]",
    maxRedirects: 0,
  });
  return { status: res.status(), body: await res.text() };
}

test.describe("server actions", () => {
  test("the build has server actions to check", () => {
    expect(actions().length).toBeGreaterThanOrEqual(2);
  });

  test("an anonymous visitor is refused every server action", async ({ playwright, baseURL }) => {
    // A session cookie that does not exist gets past the optimistic proxy, so this
    // proves the check inside each action, against the database.
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Cookie: "better-auth.session_token=forged.value" } });
    const before = auditCount();
    for (const a of actions()) {
      const r = await callAction(request, a);
      expect(r.body, `${a.file}: ${a.name} as anonymous`).toContain('"code":"UNAUTHENTICATED"');
    }
    expect(auditCount()).toBe(before);
    await request.dispose();
  });

  test("a viewer is refused every write", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL, storageState: stateFor("viewer") });
    const before = auditCount();
    for (const a of actions()) {
      const r = await callAction(request, a);
      if (VIEWER_MAY.has(a.name)) expect(r.body, `${a.name} as viewer`).not.toContain('"code":"FORBIDDEN"');
      else expect(r.body, `${a.file}: ${a.name} as viewer`).toContain('"code":"FORBIDDEN"');
    }
    expect(auditCount()).toBe(before);
    await request.dispose();
  });
});

test.describe("route handlers", () => {
  const routes = routeHandlers().filter((r) => !PUBLIC_ROUTE_FILES.has(path.relative(path.join(import.meta.dirname, "..", "app"), r.file)));

  test("an anonymous visitor gets 401 from every non-public route, any method", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    for (const r of routes) {
      for (const { method } of r.methods) {
        const res = await request.fetch(r.url, { method, data: method === "GET" || method === "HEAD" ? undefined : "{}", maxRedirects: 0 });
        expect(res.status(), `${method} ${r.url}`).toBe(401);
      }
    }
    await request.dispose();
  });

  test("a viewer gets 403 from every write route", async ({ playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL, storageState: stateFor("viewer") });
    const before = auditCount();
    for (const r of routes) {
      for (const { method } of r.methods.filter((m) => !["GET", "HEAD", "OPTIONS"].includes(m.method))) {
        const res = await request.fetch(r.url, { method, data: "{}", headers: { "content-type": "application/json" }, maxRedirects: 0 });
        expect(res.status(), `${method} ${r.url} as viewer`).toBe(403);
      }
    }
    expect(auditCount()).toBe(before);
    await request.dispose();
  });
});
