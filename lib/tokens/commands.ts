/**
 * A signed-in user's API tokens for the read API (/api/v1): create (the secret is
 * returned once and never stored: only its SHA-256 is), revoke. Every change is audited
 * with the token's id and prefix, never the secret.
 */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import { tokenNameSchema } from "./schemas";
import { newToken } from "./secret";

/** Enough live tokens for any honest use; a cap keeps a runaway script from filling the table. */
export const MAX_ACTIVE_TOKENS = 20;

/** Who acts: the token's owner. */
export interface TokenActor {
  userId: string;
  email: string;
}

export async function createToken(actor: TokenActor, name: string, db: DbOrTx = getDb()): Promise<{ id: string; token: string; prefix: string; name: string }> {
  const input = tokenNameSchema.parse({ name });
  return inTransaction(db, async (tx) => {
    const active = await tx.apiToken.count({ where: { userId: actor.userId, revokedAt: null } });
    if (active >= MAX_ACTIVE_TOKENS)
      throw new DomainError("INVALID", `You have ${active} active tokens; revoke one first.`, undefined, {
        name: [`At most ${MAX_ACTIVE_TOKENS} active tokens; revoke one first`],
      });
    const { token, prefix, tokenHash } = newToken();
    const row = await tx.apiToken.create({ data: { userId: actor.userId, name: input.name, prefix, tokenHash } });
    await audit(tx, auditActorOf(actor), "apiToken", row.id, "create", { name: input.name, prefix });
    // The only time the secret exists outside the caller's hands: returned once, never stored.
    return { id: row.id, token, prefix, name: input.name };
  });
}

/** Only the owner revokes their token; someone else's id is "not found", not "forbidden". */
export async function revokeToken(actor: TokenActor, id: string, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id, userId: actor.userId }, select: { id: true, prefix: true, revokedAt: true } });
    if (!row) throw new DomainError("NOT_FOUND", "No such token.");
    if (row.revokedAt) return;
    await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await audit(tx, auditActorOf(actor), "apiToken", id, "revoke", { prefix: row.prefix });
  });
}
