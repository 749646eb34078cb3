/**
 * The audit trail. It lives with the transaction helper because it is the data layer's
 * invariant, not a feature: every command writes its event through the same `Tx` as the
 * change it describes, so there is never a change without its event (or the reverse).
 */
import type { Tx } from "./types";

export interface AuditActor {
  userId: string | null;
  label: string;
}

export const systemActor: AuditActor = { userId: null, label: "system" };

/** Records who changed what, inside the caller's transaction. */
export async function audit(
  tx: Pick<Tx, "auditEvent">,
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

/** A signed-in user (lib/auth's Actor, or anything with its id and email) as an audit actor. */
export function auditActorOf(actor: { userId: string; email: string }): AuditActor {
  return { userId: actor.userId, label: actor.email };
}
