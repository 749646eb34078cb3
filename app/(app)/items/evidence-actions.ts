"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { closeByEvidence, linkDependency, unlinkDependency } from "@/lib/evidence/commands";
import { closeByEvidenceSchema, linkDependencySchema } from "@/lib/evidence/schemas";

const refresh = (itemId: string) => {
  revalidatePath(`/items/${itemId}`);
  revalidatePath("/items");
  revalidatePath("/agenda");
};

/** Say which XenStore dependency (a blocker rule) this item retires. */
export const linkDependencyAction = defineAction({ role: "editor", input: linkDependencySchema }, async ({ itemId, rule }, actor) => {
  await linkDependency(itemId, rule, actor);
  refresh(itemId);
  return { rule };
});

export const unlinkDependencyAction = defineAction({ role: "editor", input: linkDependencySchema }, async ({ itemId, rule }, actor) => {
  await unlinkDependency(itemId, rule, actor);
  refresh(itemId);
  return { rule };
});

/** Close as done on the fleet's evidence (assessed again on the server); the evidence is kept in the item's history. */
export const closeByEvidenceAction = defineAction({ role: "editor", input: closeByEvidenceSchema }, async ({ itemId, version }, actor) => {
  const r = await closeByEvidence(itemId, version, actor);
  refresh(itemId);
  return { version: r.version };
});
