import type { Db } from "@/lib/db/client";

/** Anything with the Prisma model methods we need: the client or a transaction. */
type Tx = Pick<Db, "auditEvent">;

export interface AuditActor {
  userId: string | null;
  label: string;
}

export const systemActor: AuditActor = { userId: null, label: "system" };

/**
 * Records who changed what. Called inside the same transaction as the change it
 * describes, so there is never a change without its audit event (or the reverse).
 */
export async function audit(
  tx: Tx,
  actor: AuditActor,
  entity: string,
  entityId: string,
  action: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await tx.auditEvent.create({
    data: { actorId: actor.userId, actorLabel: actor.label, entity, entityId, action, detail: JSON.stringify(detail) },
  });
}

export function auditActorOf(actor: { userId: string; email: string }): AuditActor {
  return { userId: actor.userId, label: actor.email };
}
