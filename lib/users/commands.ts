/**
 * Account administration: create an account, change a role (never removing the last
 * admin), link an account to its Person. Role and link changes are one transaction
 * each, the rule's check, the change and the audit event together.
 */
import { createUser } from "@/lib/auth/users";
import type { Role } from "@/lib/auth/roles";
import { audit, type AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import type { NewUser } from "./schemas";

/**
 * A new email+password account. better-auth writes the user and its credential through
 * its own adapter (its password hashing, its ids), outside our transaction; the audit
 * event follows once the account exists.
 */
export async function createAccount(input: NewUser, actor: AuditActor, db: DbOrTx = getDb()): Promise<{ id: string; email: string; role: Role }> {
  const user = await createUser(input);
  await audit(db, actor, "user", user.id, "create", { email: user.email, role: user.role });
  return user;
}

/** Admins who can still act (a banned admin does not count). */
const activeAdmins = { role: "admin", banned: { not: true } } as const;

/**
 * Changes a user's role and ends their sessions, so a demotion takes effect at once.
 * The last active admin cannot be demoted: the count, the change and the audit event
 * are one serializable transaction, so two admins demoting each other at the same
 * moment cannot leave the install without one (one of them is refused).
 */
export async function setUserRole(
  userId: string,
  role: Role,
  actor: AuditActor,
  db: DbOrTx = getDb(),
): Promise<{ userId: string; role: Role; changed: boolean }> {
  return inTransaction(
    db,
    async (tx) => {
      const target = await tx.user.findUnique({ where: { id: userId }, select: { id: true, role: true, banned: true } });
      if (!target) throw new DomainError("NOT_FOUND", "No such user");
      if (target.role === role) return { userId, role, changed: false };
      if (target.role === "admin" && !target.banned && (await tx.user.count({ where: activeAdmins })) <= 1) {
        throw new DomainError("INVALID", "This is the last admin; make someone else admin first.", undefined, {
          role: ["The last admin keeps the admin role"],
        });
      }
      await tx.user.update({ where: { id: userId }, data: { role } });
      await tx.session.deleteMany({ where: { userId } });
      await audit(tx, actor, "user", userId, "role", { from: target.role, to: role });
      return { userId, role, changed: true };
    },
    { serializable: true, conflict: "Someone changed roles at the same time; nothing was saved. Try again." },
  );
}

/**
 * Links an account to a Person (or unlinks it with null). A Person belongs to at most one
 * account: linking moves it away from any previous account, in one transaction.
 */
export async function linkUserToPerson(userId: string, personId: string | null, actor: AuditActor, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    if (!(await tx.user.findUnique({ where: { id: userId } }))) throw new DomainError("NOT_FOUND", "No such user");
    if (personId && !(await tx.person.findUnique({ where: { id: personId } }))) {
      throw new DomainError("INVALID", "No such person", undefined, { personId: ["Choose a person from the list"] });
    }
    await tx.person.updateMany({ where: { userId }, data: { userId: null } });
    if (personId) await tx.person.update({ where: { id: personId }, data: { userId } });
    await audit(tx, actor, "user", userId, "link-person", { personId });
  });
}
