"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { auditActorOf } from "@/lib/db/audit";
import { createRule, setRuleEnabled, updateRule } from "@/lib/hosts/rules";
import { ruleInputSchema, ruleToggleSchema, ruleUpdateSchema } from "@/lib/hosts/schemas";
import { reloadCollector } from "@/lib/hosts/service";

const done = async () => {
  // The collector re-analyses every kept snapshot with the new rules right away.
  await reloadCollector();
  revalidatePath("/admin/rules");
  revalidatePath("/vms");
  revalidatePath("/");
};

export const createRuleAction = defineAction({ role: "admin", input: ruleInputSchema }, async (input, actor) => {
  const r = await createRule(auditActorOf(actor), input);
  await done();
  return r;
});

export const updateRuleAction = defineAction({ role: "admin", input: ruleUpdateSchema }, async (input, actor) => {
  const r = await updateRule(auditActorOf(actor), input.rowId, input.version, input);
  await done();
  return r;
});

export const toggleRuleAction = defineAction({ role: "admin", input: ruleToggleSchema }, async (input, actor) => {
  await setRuleEnabled(auditActorOf(actor), input.rowId, input.version, input.enabled);
  await done();
  return { rowId: input.rowId, enabled: input.enabled };
});
