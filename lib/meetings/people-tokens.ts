/**
 * A signed-in user's API tokens for the read API (/api/v1): create (the secret is
 * returned once and never stored: lib/auth/api-tokens keeps only its SHA-256), list
 * by prefix and last use, revoke. Every change is audited with the token's id and
 * prefix, never the secret.
 */
import { audit, auditActorOf } from "@/lib/audit";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { DomainError } from "@/lib/auth/errors";
import type { Db } from "@/lib/db/client";
import { tokenNameSchema } from "./items-schemas";
import type { ItemActor } from "./items";

/** Enough live tokens for any honest use; a cap keeps a runaway script from filling the table. */
export const MAX_ACTIVE_TOKENS = 20;

export interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listTokens(db: Db, userId: string): Promise<TokenRow[]> {
  const rows = await db.apiToken.findMany({
    where: { userId },
    // Never select tokenHash: nothing on a page needs it.
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: [{ revokedAt: { sort: "asc", nulls: "first" } }, { createdAt: "desc" }],
  });
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null }));
}

export async function createToken(db: Db, actor: ItemActor, name: string): Promise<{ id: string; token: string; prefix: string; name: string }> {
  const input = tokenNameSchema.parse({ name });
  return db.$transaction(async (tx) => {
    const active = await tx.apiToken.count({ where: { userId: actor.userId, revokedAt: null } });
    if (active >= MAX_ACTIVE_TOKENS) throw new DomainError("INVALID", `You have ${active} active tokens; revoke one first.`, undefined, { name: [`At most ${MAX_ACTIVE_TOKENS} active tokens; revoke one first`] });
    // createApiToken only uses db.apiToken, which the transaction has.
    const t = await createApiToken(tx as unknown as Db, actor.userId, input.name);
    await audit(tx, auditActorOf(actor), "apiToken", t.id, "create", { name: input.name, prefix: t.prefix });
    return { ...t, name: input.name };
  });
}

/** Only the owner revokes their token; someone else's id is "not found", not "forbidden". */
export async function revokeToken(db: Db, actor: ItemActor, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id, userId: actor.userId }, select: { id: true, prefix: true, revokedAt: true } });
    if (!row) throw new DomainError("NOT_FOUND", "No such token.");
    if (row.revokedAt) return;
    await revokeApiToken(tx as unknown as Db, actor.userId, id);
    await audit(tx, auditActorOf(actor), "apiToken", id, "revoke", { prefix: row.prefix });
  });
}
