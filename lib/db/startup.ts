/**
 * What `npm start` puts in a database on start-up (issue 10: every empty database used to
 * get demo accounts sharing one password, production included, the password in the logs).
 *
 * Demo data (the 10 May 2017 meeting and admin@/editor@/viewer@dmboard.local) belongs to
 * the embedded quick start: SQLite at its default place (no DATABASE_URL) with a local
 * public URL. DMBOARD_DEMO=on asks for it anywhere, `off` never. Everything else starts
 * with reference data only and no account, and says how to create the first admin.
 * A generated demo password is written to <DMBOARD_DATA_DIR>/demo-password (mode 0600),
 * never logged; the start banner shows it only on an interactive terminal.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "./client";
import { dataDir, type DbConfig } from "./config";
import { isEmpty, seedDemo, seedReferenceData } from "./seed";
import { FIRST_ADMIN_COMMAND } from "@/lib/auth/users";

export { FIRST_ADMIN_COMMAND };

/** The environment the decision reads (process.env, or a test's own). */
type Env = Record<string, string | undefined>;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Whether an empty database gets the demo, and why (said in the start-up log). */
export function demoMode(config: DbConfig, env: Env = process.env): { demo: boolean; reason: string } {
  const v = env.DMBOARD_DEMO?.trim().toLowerCase();
  if (v === "on" || v === "true" || v === "1") return { demo: true, reason: "DMBOARD_DEMO=on" };
  if (v === "off" || v === "false" || v === "0") return { demo: false, reason: "DMBOARD_DEMO=off" };
  if (v) throw new Error(`DMBOARD_DEMO must be on or off (got "${env.DMBOARD_DEMO}")`);
  if (env.DATABASE_URL?.trim()) return { demo: false, reason: "DATABASE_URL is set (a real deployment)" };
  if (config.provider !== "sqlite") return { demo: false, reason: "not the embedded SQLite database" };
  if (env.BETTER_AUTH_URL) {
    let host = "";
    try {
      host = new URL(env.BETTER_AUTH_URL).hostname;
    } catch {
      /* not a URL: not local */
    }
    if (!LOCAL_HOSTS.has(host)) return { demo: false, reason: `BETTER_AUTH_URL is ${env.BETTER_AUTH_URL}, not a local quick start` };
  }
  return { demo: true, reason: "the embedded quick start (SQLite, no DATABASE_URL)" };
}

export interface StartupSeed {
  /** Set when the demo was created now. `password` is null when it came from DMBOARD_DEMO_PASSWORD. */
  demo: { accounts: string[]; password: string | null; passwordFile: string | null } | null;
  /** No account exists: someone has to create the first admin. */
  noAccounts: boolean;
  reason: string;
}

function writeSecretFile(file: string, value: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
}

/** Reference data always; the demo on an empty database when `demoMode` says so. */
export async function seedOnStart(db: Db, config: DbConfig, env: Env = process.env): Promise<StartupSeed> {
  const mode = demoMode(config, env);
  let demo: StartupSeed["demo"] = null;
  if (mode.demo && (await isEmpty(db))) {
    const given = env.DMBOARD_DEMO_PASSWORD || null;
    const password = given ?? randomBytes(12).toString("base64url");
    const seeded = await seedDemo(db, { password });
    let passwordFile: string | null = null;
    if (!given) {
      passwordFile = path.join(dataDir(env as NodeJS.ProcessEnv), "demo-password");
      writeSecretFile(passwordFile, password);
    }
    demo = { accounts: seeded.accounts, password: given ? null : password, passwordFile };
  } else {
    await seedReferenceData(db);
  }
  return { demo, noAccounts: (await db.user.count()) === 0, reason: mode.reason };
}

/** The lines `npm start` prints; the password itself only on a terminal (`tty`), never into a log. */
export function startupBanner(s: StartupSeed, opts: { url: string; tty: boolean }): string[] {
  if (s.demo) {
    const pw =
      s.demo.password === null
        ? "the one in DMBOARD_DEMO_PASSWORD"
        : opts.tty
          ? `${s.demo.password}  (also in ${s.demo.passwordFile})`
          : `in ${s.demo.passwordFile}`;
    return [
      "",
      `  dmboard: empty database, demo data created (${s.reason}).`,
      `  Sign in at ${opts.url}/sign-in with one of:`,
      ...s.demo.accounts.map((a) => `    ${a}`),
      `  password: ${pw}`,
      `  For real use, run with DATABASE_URL or DMBOARD_DEMO=off and create accounts with \`${FIRST_ADMIN_COMMAND}\`.`,
      "",
    ];
  }
  if (s.noAccounts) {
    return [
      "",
      "  dmboard: no account exists yet. Create the first admin with:",
      `    ${FIRST_ADMIN_COMMAND}`,
      "  (the password is asked for, or read from DMBOARD_NEW_PASSWORD), then sign in.",
      "",
    ];
  }
  return [];
}
