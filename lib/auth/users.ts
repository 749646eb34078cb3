import { getAuth } from "./auth";
import { DomainError } from "@/lib/db/errors";
import type { Role } from "./roles";
import { newUserSchema, type NewUser } from "@/lib/users/schemas";

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

/** How the first admin of a real deployment is made (said at start-up and on the sign-in page). */
export const FIRST_ADMIN_COMMAND = "npm run user:create -- --email you@example.org --role admin";
