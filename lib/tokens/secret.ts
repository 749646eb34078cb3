/** Token secrets: `dmb_<43 base64url chars>`; only their SHA-256 is ever stored. */
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "dmb_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new secret, the prefix shown to tell tokens apart, and the hash to store. */
export function newToken(): { token: string; prefix: string; tokenHash: string } {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, prefix: token.slice(0, 10), tokenHash: hashToken(token) };
}
