"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { setDigestSubscription } from "@/lib/reminders/commands";
import { digestOptInSchema } from "@/lib/reminders/schemas";

// A viewer may do this: it only switches their own e-mail digest
// (listed in e2e/route-roles.spec.ts's VIEWER_MAY).
export const setDigestAction = defineAction({ role: "viewer", input: digestOptInSchema }, async ({ subscribe }, actor) => {
  const r = await setDigestSubscription(actor, subscribe === "on");
  revalidatePath("/account");
  return r;
});
