/** Opting in and out of the digest, and the admin's schedule: each one transaction with its audit event. */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import { digestSettings, SETTINGS_ID } from "./reads";
import { digestScheduleSchema, type DigestScheduleInput } from "./schemas";

export interface ReminderActor {
  userId: string;
  email: string;
}

/** The user's own digest switch. Only an account linked to a person has items to be reminded of. */
export async function setDigestSubscription(actor: ReminderActor, subscribe: boolean, db: DbOrTx = getDb()): Promise<{ subscribed: boolean }> {
  return inTransaction(db, async (tx) => {
    const current = await tx.digestSubscription.findUnique({ where: { userId: actor.userId } });
    if (subscribe === !!current) return { subscribed: subscribe };
    if (subscribe) {
      const person = await tx.person.findUnique({ where: { userId: actor.userId }, select: { id: true } });
      if (!person)
        throw new DomainError(
          "INVALID",
          "Your account is not linked to a person of the working group, so no item is yours to be reminded of; an admin links it.",
        );
      await tx.digestSubscription.create({ data: { userId: actor.userId } });
    } else await tx.digestSubscription.delete({ where: { userId: actor.userId } });
    await audit(tx, auditActorOf(actor), "user", actor.userId, subscribe ? "digest.subscribe" : "digest.unsubscribe", {});
    return { subscribed: subscribe };
  });
}

/** The admin's schedule; `version` is what the form was read at (0: never saved). */
export async function saveDigestSchedule(raw: DigestScheduleInput, actor: ReminderActor, db: DbOrTx = getDb()): Promise<{ version: number }> {
  const input = digestScheduleSchema.parse(raw);
  return inTransaction(db, async (tx) => {
    const before = await digestSettings(tx);
    if (before.version !== input.version) throw new DomainError("CONFLICT", "Someone else changed the digest schedule; reload to see it.", before);
    const data = {
      enabled: input.enabled,
      frequency: input.frequency,
      weekday: input.weekday,
      time: input.time,
      timeZone: input.timeZone,
      dueSoonDays: input.dueSoonDays,
    };
    if (input.version === 0) {
      try {
        await tx.reminderSchedule.create({ data: { id: SETTINGS_ID, ...data } });
      } catch {
        throw new DomainError("CONFLICT", "Someone else saved the digest schedule first; reload to see it.");
      }
    } else {
      const res = await tx.reminderSchedule.updateMany({ where: { id: SETTINGS_ID, version: input.version }, data: { ...data, version: { increment: 1 } } });
      if (res.count === 0) throw new DomainError("CONFLICT", "Someone else changed the digest schedule; reload to see it.");
    }
    const { version: _v, ...was } = before;
    await audit(tx, auditActorOf(actor), "reminders", SETTINGS_ID, "schedule", { before: was, after: data });
    return { version: input.version + 1 };
  });
}
