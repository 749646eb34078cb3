import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_DATA_DIR, E2E_PORT } from "../playwright.config";
import { stateFor } from "./global-setup";
import { gotoHydrated } from "./fixtures/hydration";

/** Content-Security-Policy and HSTS on real responses of the built server (issue 10). */

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

test.describe("headers of real responses", () => {
  test("pages and APIs carry a strict CSP with a fresh nonce that the page's scripts use; no HSTS over http", async ({ request }) => {
    const res = await request.get("/sign-in");
    expect(res.status()).toBe(200);
    const csp = res.headers()["content-security-policy"];
    const d = directives(csp);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    const script = d.get("script-src")!;
    expect(script).toContain("'strict-dynamic'");
    expect(script.join(" ")).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(d.get("style-src")!.join(" ")).not.toMatch(/unsafe-inline/);
    const nonce = script.find((s) => s.startsWith("'nonce-"))!.slice(7, -1);
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    // Every script element of the page carries this response's nonce.
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
    expect(res.headers()["strict-transport-security"]).toBeUndefined();

    const again = directives((await request.get("/sign-in")).headers()["content-security-policy"]);
    expect(again.get("script-src")!.find((s) => s.startsWith("'nonce-"))).not.toBe(`'nonce-${nonce}'`);
    // The redirect to sign-in and the API answer too.
    expect((await request.get("/meetings", { maxRedirects: 0 })).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect((await request.get("/api/health")).headers()["content-security-policy"]).toContain("object-src 'none'");
  });
});

test.describe("HSTS when the public URL is https", () => {
  const port = E2E_PORT + 900;
  let server: ChildProcess;
  test.beforeAll(async () => {
    server = spawn(process.execPath, [path.join(import.meta.dirname, "..", "scripts", "serve.mjs")], {
      env: {
        ...process.env,
        PORT: String(port),
        BETTER_AUTH_URL: "https://dmboard.example.org",
        BETTER_AUTH_SECRET: "an-e2e-secret-that-is-long-enough-0123456789",
        DATABASE_URL: `file:${path.join(E2E_DATA_DIR, "dmboard.db")}`,
        DMBOARD_COLLECTOR: "off",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: "ignore",
      detached: true,
    });
    for (let i = 0; i < 200; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the https-configured server did not start");
  });
  test.afterAll(() => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
  });

  test("every response says Strict-Transport-Security, and the CSP upgrades insecure requests", async () => {
    for (const p of ["/sign-in", "/api/health", "/meetings"]) {
      const res = await fetch(`http://127.0.0.1:${port}${p}`, { redirect: "manual" });
      expect(res.headers.get("strict-transport-security"), p).toBe("max-age=63072000; includeSubDomains");
      expect(res.headers.get("content-security-policy"), p).toContain("upgrade-insecure-requests");
    }
  });
});

/** Records CSP violations the page reports, from the start of each document. */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(`${page.url()}: ${m.text()}`);
  });
  await page.exposeFunction("__cspViolation", (s: string) => seen.push(s));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __cspViolation: (s: string) => void }).__cspViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return seen;
}

test.describe("no CSP violations on the app's pages (Chromium)", () => {
  test("anonymous: sign-in and forbidden", async ({ page }) => {
    const seen = await watchCsp(page);
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("x@example.org");
    await page.goto("/forbidden");
    await page.goto("/no-such-page");
    expect(seen).toEqual([]);
  });

  test.describe("signed in", () => {
    test.use({ storageState: stateFor("admin") });
    test("every page, hydrated", async ({ page }) => {
      const seen = await watchCsp(page);
      const pages = [
        "/",
        "/meetings",
        "/meetings/new",
        "/meetings/import",
        "/items",
        "/people",
        "/topics",
        "/vms",
        "/hosts",
        "/admin",
        "/admin/users",
        "/admin/rules",
        "/account",
        "/no-such-page",
      ];
      await page.goto("/meetings");
      const meeting = await page.locator('a[href^="/meetings/"]:not([href="/meetings/new"]):not([href="/meetings/import"])').first().getAttribute("href");
      await page.goto("/items");
      const item = await page.locator('a[href^="/items/"]').first().getAttribute("href");
      await page.goto("/vms");
      const vm = await page.locator('a[href^="/vms/"]').first().getAttribute("href");
      await page.goto("/people");
      const person = await page.locator('a[href^="/people/"]').first().getAttribute("href");
      await page.goto("/topics");
      const topic = await page.locator('a[href^="/topics/"]').first().getAttribute("href");
      for (const p of [...pages, meeting, `${meeting}/edit`, item, vm, person, topic]) {
        expect(p).toBeTruthy();
        // Hydrated: React has attached to the page (client navigation works), so its scripts ran.
        await gotoHydrated(page, p!);
      }
      // A client-side navigation loads more chunks under the same policy.
      await gotoHydrated(page, "/");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Meetings" }).click();
      await expect(page).toHaveURL(/\/meetings$/);
      expect(seen).toEqual([]);
    });
  });
});
