"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { revokeTokenSchema, tokenNameSchema } from "@/lib/meetings/items-schemas";
import { createToken, revokeToken } from "@/lib/meetings/people-tokens";

// Viewers may do these: a token only ever reads, and only as its owner
// (listed in e2e/route-roles.spec.ts's VIEWER_MAY).

/** Returns the secret once; it is never stored or shown again. */
export const createApiTokenAction = defineAction({ role: "viewer", input: tokenNameSchema }, async ({ name }, actor) => {
  const t = await createToken(getDb(), actor, name);
  revalidatePath("/account");
  return t;
});

export const revokeApiTokenAction = defineAction({ role: "viewer", input: revokeTokenSchema }, async ({ id }, actor) => {
  await revokeToken(getDb(), actor, id);
  revalidatePath("/account");
  return { id };
});
