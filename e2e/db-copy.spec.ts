import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { expect, test, type Browser, type Page } from "@playwright/test";

/**
 * Moving to PostgreSQL as the README says: a SQLite database with months of record (demo,
 * imported minutes, 1,000 generated meetings) copied with the real `npm run db:copy`
 * into a new PostgreSQL database; then the app started on the copy, signed into with the
 * copied password hash, and its pages rendered for records picked from the source.
 */
const ROOT = path.resolve(import.meta.dirname, "..");
const PG_URL = process.env.DMBOARD_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/test";
const PASSWORD = "moved-to-postgres-password";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

interface Picked {
  demo: { id: string; title: string };
  imported: { id: string; title: string };
  generated: { id: string; title: string };
  item: { id: string; text: string };
  person: { id: string; displayName: string };
}

test.describe("an install moved from SQLite to PostgreSQL", () => {
  test.describe.configure({ timeout: 300_000 });
  let dir: string;
  let dbName: string;
  let server: ChildProcess | null = null;
  let baseURL: string;
  let picked: Picked;
  let copyOutput: string;
  let page: Page;

  test.beforeAll(async ({ browser }: { browser: Browser }) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-e2e-copy-"));
    const file = path.join(dir, "dmboard.db");
    const made = spawnSync(process.execPath, ["--import", "tsx", "e2e/fixtures/make-record.ts", file, PASSWORD], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, LOG_LEVEL: "warn" },
      timeout: 180_000,
    });
    expect(made.status, made.stderr).toBe(0);
    expect(JSON.parse(made.stdout.trim().split("\n").at(-1)!).imported).toBeGreaterThanOrEqual(3);

    const src = new Database(file, { readonly: true });
    try {
      const one = <T>(sql: string) => src.prepare(sql).get() as T;
      picked = {
        demo: one(`SELECT id, title FROM "Meeting" WHERE source = 'typed' AND id NOT LIKE 'bm%' ORDER BY date LIMIT 1`),
        imported: one(`SELECT id, title FROM "Meeting" WHERE source = 'import' ORDER BY date DESC LIMIT 1`),
        generated: one(`SELECT id, title FROM "Meeting" WHERE id = 'bm00000r'`),
        item: one(`SELECT id, text FROM "ActionItem" WHERE id = 'bi000001a'`),
        person: one(`SELECT id, displayName FROM "Person" WHERE displayName = 'Igor Druzhinin' LIMIT 1`),
      };
    } finally {
      src.close();
    }

    dbName = `dmboard_e2e_copy_${randomBytes(4).toString("hex")}`;
    await admin(`CREATE DATABASE ${dbName}`);
    const url = new URL(PG_URL);
    url.pathname = `/${dbName}`;
    const copy = spawnSync(process.execPath, ["--import", "tsx", "scripts/db-copy.ts", "--to", url.toString()], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, DATABASE_URL: `file:${file}`, LOG_LEVEL: "warn" },
      timeout: 180_000,
    });
    copyOutput = copy.stdout;
    expect(copy.status, copy.stderr).toBe(0);

    const port = await freePort();
    baseURL = `http://localhost:${port}`;
    server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: ROOT,
      detached: true,
      stdio: "ignore",
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: url.toString(),
        DMBOARD_DATA_DIR: path.join(dir, "data"),
        DMBOARD_SIM: "off",
        DMBOARD_METRICS_TOKEN: "",
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        BETTER_AUTH_URL: baseURL,
      },
    });
    await expect
      .poll(
        async () =>
          (
            await fetch(`${baseURL}/api/health`).then(
              (r) => r.json(),
              () => null,
            )
          )?.database?.provider ?? null,
        { timeout: 90_000 },
      )
      .toBe("postgresql");

    const context = await browser.newContext({ baseURL });
    const res = await context.request.post("/api/auth/sign-in/email", {
      data: { email: "admin@dmboard.local", password: PASSWORD },
      headers: { origin: baseURL },
    });
    expect(res.status(), "the copied password hash signs in").toBe(200);
    page = await context.newPage();
  });

  test.afterAll(async () => {
    await page?.context().close();
    if (server?.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
      await new Promise((r) => (server!.exitCode !== null ? r(null) : server!.once("exit", r)));
    }
    if (dbName) await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("db:copy says it verified every table", () => {
    expect(copyOutput).toMatch(/copied and verified: \d+ tables, \d+ rows; row counts and checksums equal on both sides/);
    expect(copyOutput).toMatch(/^ {2}Meeting +\d+ rows +sha256 [0-9a-f]{16}…$/m);
  });

  test("the copied records' pages render on PostgreSQL", async () => {
    const pages: [string, string][] = [
      ["/", "Dashboard"],
      ["/meetings", picked.demo.title],
      [`/meetings/${picked.demo.id}`, picked.demo.title],
      [`/meetings/${picked.imported.id}`, picked.imported.title],
      [`/meetings/${picked.generated.id}`, picked.generated.title],
      [`/items/${picked.item.id}`, picked.item.text],
      ["/items", "Action items"],
      [`/people/${picked.person.id}`, picked.person.displayName],
      ["/topics/physmap-keys", "Physmap"],
      ["/admin/users", "viewer@dmboard.local"],
    ];
    for (const [url, text] of pages) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      await expect(page.locator("main"), url).toContainText(text);
    }
  });

  test("search on the copy finds the demo's minutes and the generated ones (tsvectors built by PostgreSQL)", async () => {
    await page.goto("/meetings?q=confluence");
    await expect(page.getByRole("link", { name: picked.demo.title }).first()).toBeVisible();
    await page.goto("/meetings?q=physmap");
    await expect(page.locator("main mark").first()).toBeVisible();
    await expect(page.getByRole("link", { name: /^Working group meeting \d+/ }).first()).toBeVisible();
  });
});
