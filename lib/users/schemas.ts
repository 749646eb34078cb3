/** What an admin submits about accounts. Pure zod. */
import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";

export const newUserSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email({ message: "Enter a valid email address" })),
  name: z.string().trim().min(1, "Enter a name").max(120),
  role: z.enum(ROLES, { message: "Choose viewer, editor or admin" }),
  password: z.string().min(10, "At least 10 characters").max(256),
});
export type NewUser = z.infer<typeof newUserSchema>;

export const setRoleSchema = z.object({ userId: z.string().min(1), role: z.enum(ROLES, { message: "Choose viewer, editor or admin" }) });

export const linkPersonSchema = z.object({ userId: z.string().min(1), personId: z.string().max(64).default("") });
