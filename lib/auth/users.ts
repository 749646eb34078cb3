import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { getAuth } from "./auth";
import { DomainError } from "./errors";
import { ROLES, type Role } from "./roles";
import { audit, type AuditActor } from "@/lib/audit";

export const newUserSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address" })),
  name: z.string().trim().min(1, "Enter a name").max(120),
  role: z.enum(ROLES, { message: "Choose viewer, editor or admin" }),
  password: z.string().min(10, "At least 10 characters").max(256),
});
export type NewUser = z.infer<typeof newUserSchema>;

/**
 * Creates an email+password account. Hashing is better-auth's own (scrypt), through its
 * internal adapter, exactly as its admin plugin does: no crypto of ours.
 */
export async function createUser(input: NewUser): Promise<{ id: string; email: string; role: Role }> {
  const ctx = await getAuth().$context;
  const data = newUserSchema.parse(input);
  if (await ctx.internalAdapter.findUserByEmail(data.email)) {
    throw new DomainError("CONFLICT", `A user with email ${data.email} already exists`, undefined, { email: ["Already in use"] });
  }
  const hash = await ctx.password.hash(data.password);
  const user = await ctx.internalAdapter.createUser({ email: data.email, name: data.name, emailVerified: true, role: data.role }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ providerId: "credential", accountId: user.id, userId: user.id, password: hash });
  return { id: user.id, email: data.email, role: data.role };
}

export async function setUserPassword(userId: string, password: string): Promise<void> {
  const ctx = await getAuth().$context;
  const hash = await ctx.password.hash(z.string().min(10).max(256).parse(password));
  if (await ctx.internalAdapter.findCredentialAccount(userId)) await ctx.internalAdapter.updatePassword(userId, hash);
  else await ctx.internalAdapter.linkAccount({ providerId: "credential", accountId: userId, userId, password: hash });
}

/** Changing a role also ends the user's sessions, so a demotion takes effect at once. */
export async function setUserRole(db: Db, userId: string, role: Role): Promise<void> {
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { role } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
}

/** How the first admin of a real deployment is made (said at start-up and on the sign-in page). */
export const FIRST_ADMIN_COMMAND = "npm run user:create -- --email you@example.org --role admin";

/** A fresh deployment has none: the sign-in page then says how to create the first admin. */
export async function hasAnyAccount(db: Db): Promise<boolean> {
  return (await db.user.count()) > 0;
}

export async function countAdmins(db: Db): Promise<number> {
  return db.user.count({ where: { role: "admin", banned: { not: true } } });
}

/**
 * Links an account to a Person (or unlinks it with null). A Person belongs to at most one
 * account: linking moves it away from any previous account, in one transaction.
 */
export async function linkUserToPerson(db: Db, userId: string, personId: string | null, actor: AuditActor): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await tx.user.findUnique({ where: { id: userId } }))) throw new DomainError("NOT_FOUND", "No such user");
    if (personId && !(await tx.person.findUnique({ where: { id: personId } }))) {
      throw new DomainError("INVALID", "No such person", undefined, { personId: ["Choose a person from the list"] });
    }
    await tx.person.updateMany({ where: { userId }, data: { userId: null } });
    if (personId) await tx.person.update({ where: { id: personId }, data: { userId } });
    await audit(tx, actor, "user", userId, "link-person", { personId });
  });
}
