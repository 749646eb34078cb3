"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { createToken, revokeToken } from "@/lib/tokens/commands";
import { revokeTokenSchema, tokenNameSchema } from "@/lib/tokens/schemas";

// Viewers may do these: a token only ever reads, and only as its owner
// (listed in e2e/route-roles.spec.ts's VIEWER_MAY).

/** Returns the secret once; it is never stored or shown again. */
export const createApiTokenAction = defineAction({ role: "viewer", input: tokenNameSchema }, async ({ name }, actor) => {
  const t = await createToken(actor, name);
  revalidatePath("/account");
  return t;
});

export const revokeApiTokenAction = defineAction({ role: "viewer", input: revokeTokenSchema }, async ({ id }, actor) => {
  await revokeToken(actor, id);
  revalidatePath("/account");
  return { id };
});
