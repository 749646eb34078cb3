"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/guard";
import { createUser, newUserSchema, setUserRole, countAdmins, linkUserToPerson } from "@/lib/auth/users";
import { ROLES } from "@/lib/auth/roles";
import { DomainError } from "@/lib/auth/errors";
import { getDb } from "@/lib/db/client";
import { audit, auditActorOf } from "@/lib/audit";

export const createUserAction = defineAction({ role: "admin", input: newUserSchema }, async (input, actor) => {
  const user = await createUser(input);
  await audit(getDb(), auditActorOf(actor), "user", user.id, "create", { email: user.email, role: user.role });
  revalidatePath("/admin/users");
  return { id: user.id };
});

export const setRoleAction = defineAction(
  { role: "admin", input: z.object({ userId: z.string().min(1), role: z.enum(ROLES) }) },
  async ({ userId, role }, actor) => {
    const db = getDb();
    const target = await db.user.findUnique({ where: { id: userId } });
    if (!target) throw new DomainError("NOT_FOUND", "No such user");
    if (target.role === "admin" && role !== "admin" && (await countAdmins(db)) <= 1) {
      throw new DomainError("INVALID", "This is the last admin; make someone else admin first.");
    }
    await setUserRole(db, userId, role);
    await audit(db, auditActorOf(actor), "user", userId, "role", { from: target.role, to: role });
    revalidatePath("/admin/users");
    return { userId, role };
  },
);

/** Links an account to the Person the minutes name, so "my items" means something. */
export const linkPersonAction = defineAction(
  { role: "admin", input: z.object({ userId: z.string().min(1), personId: z.string().max(64).default("") }) },
  async ({ userId, personId }, actor) => {
    await linkUserToPerson(getDb(), userId, personId || null, auditActorOf(actor));
    revalidatePath("/admin/users");
    return { userId, personId: personId || null };
  },
);
