import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDb, useAsProcessDb, type TestDb } from "./harness";
import { demoMode, seedOnStart, startupBanner } from "@/lib/db/startup";
import type { DbConfig } from "@/lib/db/config";

const SQLITE: DbConfig = { provider: "sqlite", url: "/tmp/x/dmboard.db", display: "x" };
const PG: DbConfig = { provider: "postgresql", url: "postgresql://db/x", display: "x" };

describe("which databases get the demo (issue 10)", () => {
  it("the embedded quick start only, unless DMBOARD_DEMO says otherwise", () => {
    expect(demoMode(SQLITE, {}).demo).toBe(true);
    expect(demoMode(SQLITE, { BETTER_AUTH_URL: "http://localhost:3000" }).demo).toBe(true);
    expect(demoMode(SQLITE, { DATABASE_URL: "" }).demo).toBe(true);
    expect(demoMode(PG, { DATABASE_URL: "postgresql://db/x" })).toEqual({ demo: false, reason: "DATABASE_URL is set (a real deployment)" });
    expect(demoMode(SQLITE, { DATABASE_URL: "file:/srv/dmboard.db" }).demo).toBe(false);
    expect(demoMode(SQLITE, { BETTER_AUTH_URL: "https://dmboard.example.org" }).demo).toBe(false);
    expect(demoMode(SQLITE, { DMBOARD_DEMO: "off" }).demo).toBe(false);
    expect(demoMode(PG, { DATABASE_URL: "postgresql://db/x", DMBOARD_DEMO: "on" }).demo).toBe(true);
    expect(() => demoMode(SQLITE, { DMBOARD_DEMO: "maybe" })).toThrow(/DMBOARD_DEMO/);
  });
});

describe("start-up seeding on a real database", () => {
  let t: TestDb;
  let restore: () => Promise<void>;
  let dataDir: string;
  beforeAll(async () => {
    t = await setupTestDb();
    restore = await useAsProcessDb(t);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-startup-"));
  });
  afterAll(async () => {
    await restore();
    await t.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a real deployment starts with no account and says how to create the first admin", async () => {
    const s = await seedOnStart(t.db, t.config, { DATABASE_URL: "postgresql://db/x", DMBOARD_DATA_DIR: dataDir });
    expect(s).toMatchObject({ demo: null, noAccounts: true });
    expect(await t.db.user.count()).toBe(0);
    expect(await t.db.meeting.count()).toBe(0);
    expect(await t.db.series.count()).toBe(1);
    const banner = startupBanner(s, { url: "https://dmboard.example.org", tty: false }).join("\n");
    expect(banner).toContain("npm run user:create -- --email you@example.org --role admin");
    expect(fs.existsSync(path.join(dataDir, "demo-password"))).toBe(false);
  });

  it("the quick start gets the demo; its password goes to a 0600 file and to a terminal, never to a log", async () => {
    const env = { DMBOARD_DATA_DIR: dataDir, ...(t.provider === "postgresql" ? { DMBOARD_DEMO: "on" } : {}) };
    const s = await seedOnStart(t.db, t.config, env);
    expect(s.demo?.accounts).toEqual(["admin@dmboard.local (admin)", "editor@dmboard.local (editor)", "viewer@dmboard.local (viewer)"]);
    const file = path.join(dataDir, "demo-password");
    const password = s.demo!.password!;
    expect(fs.readFileSync(file, "utf8")).toBe(`${password}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const logged = startupBanner(s, { url: "http://localhost:3000", tty: false }).join("\n");
    expect(logged).not.toContain(password);
    expect(logged).toContain(`password: in ${file}`);
    expect(startupBanner(s, { url: "http://localhost:3000", tty: true }).join("\n")).toContain(password);
    // A second start leaves the data alone.
    const again = await seedOnStart(t.db, t.config, env);
    expect(again).toMatchObject({ demo: null, noAccounts: false });
    expect(startupBanner(again, { url: "http://localhost:3000", tty: true })).toEqual([]);
    expect(await t.db.user.count()).toBe(3);
  });
});
