/**
 * Calendar feed tokens: what a calendar client, which cannot sign in, puts in the feed
 * URL. One active token per user; creating a new one revokes the old (rotate), and it
 * can be revoked. Only a SHA-256 of the secret is stored (as for API tokens), and a
 * feed token opens the feeds only, never the read API: a calendar URL ends up in more
 * places than a script's secret does.
 */
import { randomBytes } from "node:crypto";
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import { hashToken } from "@/lib/tokens/secret";

export const FEED_TOKEN_PREFIX = "dmf_";

export interface FeedTokenActor {
  userId: string;
  email: string;
}

export interface FeedTokenState {
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The user's active feed token (never its secret), or null. */
export async function activeFeedToken(userId: string, db: DbOrTx = getDb()): Promise<FeedTokenState | null> {
  const t = await db.feedToken.findFirst({
    where: { userId, revokedAt: null },
    orderBy: { createdAt: "desc" },
    select: { prefix: true, createdAt: true, lastUsedAt: true },
  });
  return t ? { prefix: t.prefix, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null } : null;
}

/** A new token for the user; any active one is revoked in the same transaction. The secret is returned once. */
export async function rotateFeedToken(actor: FeedTokenActor, db: DbOrTx = getDb()): Promise<{ token: string; prefix: string }> {
  return inTransaction(db, async (tx) => {
    const now = new Date();
    const revoked = await tx.feedToken.updateMany({ where: { userId: actor.userId, revokedAt: null }, data: { revokedAt: now } });
    const token = FEED_TOKEN_PREFIX + randomBytes(32).toString("base64url");
    const prefix = token.slice(0, 10);
    const row = await tx.feedToken.create({ data: { userId: actor.userId, prefix, tokenHash: hashToken(token) } });
    await audit(tx, auditActorOf(actor), "feedToken", row.id, "create", { prefix, revokedBefore: revoked.count });
    return { token, prefix };
  });
}

/** Revoke the user's active token: every calendar subscribed with it stops updating. */
export async function revokeFeedToken(actor: FeedTokenActor, db: DbOrTx = getDb()): Promise<number> {
  return inTransaction(db, async (tx) => {
    const active = await tx.feedToken.findMany({ where: { userId: actor.userId, revokedAt: null }, select: { id: true, prefix: true } });
    if (!active.length) return 0;
    await tx.feedToken.updateMany({ where: { id: { in: active.map((t) => t.id) } }, data: { revokedAt: new Date() } });
    for (const t of active) await audit(tx, auditActorOf(actor), "feedToken", t.id, "revoke", { prefix: t.prefix });
    return active.length;
  });
}

/** The user a feed token stands for, or null for an unknown, revoked or malformed one and for banned users. */
export async function userForFeedToken(token: string, db: DbOrTx = getDb()) {
  if (!token.startsWith(FEED_TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db.feedToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.banned) return null;
  // Advisory, like an API token's: a lost update harms nothing.
  await db.feedToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  return row.user;
}
