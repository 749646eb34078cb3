import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "@/lib/db/config";

/**
 * The key better-auth signs session cookies with. BETTER_AUTH_SECRET wins; otherwise a
 * random one is created once in <DMBOARD_DATA_DIR>/auth-secret (mode 0600) so the
 * zero-config install keeps its sessions across restarts.
 */
export function resolveAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BETTER_AUTH_SECRET) {
    if (env.BETTER_AUTH_SECRET.length < 32) throw new Error("BETTER_AUTH_SECRET must be at least 32 characters");
    return env.BETTER_AUTH_SECRET;
  }
  const file = path.join(dataDir(env), "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      // Another process created it first: use theirs.
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
