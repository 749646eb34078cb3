"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { auditActorOf } from "@/lib/db/audit";
import { createAccount, linkUserToPerson, setUserRole } from "@/lib/users/commands";
import { linkPersonSchema, newUserSchema, setRoleSchema } from "@/lib/users/schemas";

export const createUserAction = defineAction({ role: "admin", input: newUserSchema }, async (input, actor) => {
  const user = await createAccount(input, auditActorOf(actor));
  revalidatePath("/admin/users");
  return { id: user.id };
});

/** Refused for the last admin (lib/users/commands.ts). */
export const setRoleAction = defineAction({ role: "admin", input: setRoleSchema }, async ({ userId, role }, actor) => {
  await setUserRole(userId, role, auditActorOf(actor));
  revalidatePath("/admin/users");
  return { userId, role };
});

/** Links an account to the Person the minutes name, so "my items" means something. */
export const linkPersonAction = defineAction({ role: "admin", input: linkPersonSchema }, async ({ userId, personId }, actor) => {
  await linkUserToPerson(userId, personId || null, auditActorOf(actor));
  revalidatePath("/admin/users");
  return { userId, personId: personId || null };
});
