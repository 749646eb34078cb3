import fs from "node:fs";
import path from "node:path";

export type Provider = "sqlite" | "postgresql";

export interface DbConfig {
  provider: Provider;
  /** For SQLite, the absolute file path; for PostgreSQL, the connection string. */
  url: string;
  /** Printable form with any password masked: safe for logs. */
  display: string;
}

/** Where dmboard keeps its files (SQLite database, simulated host sockets). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.DMBOARD_DATA_DIR || "./data");
}

/**
 * DATABASE_URL=postgresql://… selects PostgreSQL; DATABASE_URL=file:… a given SQLite
 * file; nothing selects the zero-config default, <DMBOARD_DATA_DIR>/dmboard.db.
 */
export function resolveDbConfig(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const raw = env.DATABASE_URL?.trim();
  if (raw && /^postgres(?:ql)?:\/\//.test(raw)) {
    return { provider: "postgresql", url: raw, display: maskPassword(raw) };
  }
  if (raw && !raw.startsWith("file:")) {
    throw new Error(`DATABASE_URL must start with postgresql:// or file: (got "${maskPassword(raw)}")`);
  }
  const file = raw ? path.resolve(/*turbopackIgnore: true*/ raw.slice("file:".length)) : path.join(dataDir(env), "dmboard.db");
  return { provider: "sqlite", url: file, display: file };
}

export function ensureSqliteDir(config: DbConfig): void {
  if (config.provider === "sqlite") fs.mkdirSync(path.dirname(config.url), { recursive: true });
}

function maskPassword(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
