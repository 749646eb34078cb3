"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { auditActorOf } from "@/lib/db/audit";
import { labRegistrationSchema, registerLab } from "@/lib/hosts/lab";
import { reloadCollector } from "@/lib/hosts/service";

/** Every host of a running simulator lab, from its hosts.json, in one step. */
export const registerLabAction = defineAction({ role: "admin", input: labRegistrationSchema }, async (input, actor) => {
  const r = await registerLab(auditActorOf(actor), input);
  await reloadCollector();
  revalidatePath("/hosts");
  revalidatePath("/vms");
  revalidatePath("/");
  return r;
});
