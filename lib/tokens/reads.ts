/** API tokens as their owner sees them, and the user a bearer token stands for. */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";
import { hashToken, TOKEN_PREFIX } from "./secret";

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listTokens(userId: string, db: DbOrTx = getDb()): Promise<TokenRow[]> {
  const rows = await db.apiToken.findMany({
    where: { userId },
    // Never select tokenHash: nothing on a page needs it.
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
  });
  return rows.map((r) => ({
    ...r,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  }));
}

/** The user a bearer token belongs to, or null for unknown / revoked tokens and banned users. */
export async function userForToken(token: string, db: DbOrTx = getDb()) {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.banned) return null;
  // lastUsedAt is advisory: a lost update here harms nothing.
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  return row.user;
}
