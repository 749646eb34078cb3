import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/client";

/** Tokens look like `dmb_<43 base64url chars>`; only their SHA-256 is stored. */
const PREFIX = "dmb_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(db: Db, userId: string, name: string): Promise<{ id: string; token: string; prefix: string }> {
  const token = PREFIX + randomBytes(32).toString("base64url");
  const prefix = token.slice(0, 10);
  const row = await db.apiToken.create({ data: { userId, name, prefix, tokenHash: hashToken(token) } });
  // The only time the secret exists outside the caller's hands: returned once, never stored.
  return { id: row.id, token, prefix };
}

export async function revokeApiToken(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.apiToken.updateMany({ where: { id, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return res.count === 1;
}

/** The user a bearer token belongs to, or null for unknown / revoked tokens. */
export async function userForToken(db: Db, token: string) {
  if (!token.startsWith(PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.banned) return null;
  // lastUsedAt is advisory: a lost update here harms nothing.
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  return row.user;
}
