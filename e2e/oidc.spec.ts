import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PORT } from "../playwright.config";

/**
 * OpenID Connect sign-in against a real provider (oidc-provider, on a loopback port),
 * started by this spec, with a dmboard server of its own configured for it the way
 * the README says (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME; redirect
 * URI <BETTER_AUTH_URL>/api/auth/callback/oidc). The first sign-in creates a viewer; a
 * provider that answers under another issuer fails with a clear message on the sign-in
 * page, not a 500.
 */
const APP_PORT = Number(process.env.E2E_OIDC_APP_PORT || E2E_PORT + 3);
const IDP_PORT = Number(process.env.E2E_OIDC_IDP_PORT || E2E_PORT + 4);
const APP = `http://localhost:${APP_PORT}`;
const ISSUER = `http://127.0.0.1:${IDP_PORT}`;
const CLIENT = { id: "dmboard-e2e", secret: "dmboard-e2e-client-secret-0123456789" };
const DATA_DIR = path.join(os.tmpdir(), `dmboard-e2e-oidc-${APP_PORT}`);
const ROOT = path.resolve(import.meta.dirname, "..");

/** A real OpenID Connect provider: any login name signs in as <name>@sso.example.org. */
async function startProvider(issuer: string): Promise<http.Server> {
  const { default: Provider } = await import("oidc-provider");
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [`${APP}/api/auth/callback/oidc`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: ["oidc-e2e-cookie-key-0123456789abcdef"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@sso.example.org`, email_verified: true, name: `SSO ${sub}` }),
    }),
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(IDP_PORT, "127.0.0.1", () => resolve()));
  return server;
}

const stop = (s: http.Server | null) => new Promise<void>((resolve) => (s ? (s.closeAllConnections(), s.close(() => resolve())) : resolve()));

async function waitFor(url: string, app: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (app.exitCode !== null) throw new Error(`the OIDC e2e server exited (${app.exitCode}):\n${log()}`);
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the OIDC e2e server did not come up:\n${log()}`);
}

/** The provider's own pages (devInteractions): any login and password, then consent. */
async function signInAtProvider(page: Page, login: string) {
  await expect(page).toHaveURL(new RegExp(`^${ISSUER}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe.serial("OpenID Connect sign-in", () => {
  let idp: http.Server | null = null;
  let app: ChildProcess | null = null;
  let output = "";

  test.beforeAll(async () => {
    test.setTimeout(240_000);
    idp = await startProvider(ISSUER);
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
    app = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(APP_PORT),
        DMBOARD_DATA_DIR: DATA_DIR,
        DATABASE_URL: "",
        BETTER_AUTH_URL: APP,
        OIDC_ISSUER: ISSUER,
        OIDC_CLIENT_ID: CLIENT.id,
        OIDC_CLIENT_SECRET: CLIENT.secret,
        OIDC_NAME: "Test SSO",
        DMBOARD_DEMO_PASSWORD: "oidc-e2e-demo-password",
        DMBOARD_SIM_VMS: "2",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    app.stdout?.on("data", (d) => (output = (output + d).slice(-20_000)));
    app.stderr?.on("data", (d) => (output = (output + d).slice(-20_000)));
    await waitFor(`${APP}/api/health`, app, () => output);
  });

  test.afterAll(async () => {
    if (app && app.exitCode === null) {
      const exited = new Promise((r) => app!.once("exit", r));
      app.kill("SIGTERM");
      await exited;
    }
    await stop(idp);
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
  });

  test("the first sign-in creates a viewer", async ({ page }) => {
    await page.route(/fonts\.googleapis\.com/, (r) => r.abort());
    await page.goto(`${APP}/sign-in?next=/items`);
    await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
    await signInAtProvider(page, "ada");
    // Back in dmboard, signed in, where the sign-in was asked for.
    await expect(page).toHaveURL(`${APP}/items`);
    await page.goto(`${APP}/account`);
    await expect(page.getByRole("main")).toContainText("ada@sso.example.org");
    await expect(page.getByRole("main")).toContainText(/viewer/i);
    // A viewer: the admin pages are refused.
    await page.goto(`${APP}/admin/users`);
    await expect(page).toHaveURL(/\/forbidden/);
  });

  test("a provider answering under another issuer fails clearly on the sign-in page", async ({ page }) => {
    await stop(idp);
    idp = await startProvider(`${ISSUER}/realms/other`);
    await page.goto(`${APP}/sign-in`);
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/social"));
    await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
    expect((await answer).status()).toBe(503);
    const alert = page.getByRole("alert").filter({ hasText: "Single sign-on" });
    await expect(alert).toContainText("wrong issuer");
    await expect(alert).toContainText(`${ISSUER}/realms/other`);
    await expect(page).toHaveURL(`${APP}/sign-in`);

    // No provider at all: said as clearly.
    await stop(idp);
    idp = null;
    await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
    await expect(alert).toContainText(`the identity provider ${ISSUER} did not answer`);
  });
});
