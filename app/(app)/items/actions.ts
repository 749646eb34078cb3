"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/guard";
import { addLink, bulkSetStatus, removeLink, updateItem } from "@/lib/items/commands";
import { addLinkFormSchema, bulkStatusSchema, removeLinkFormSchema, updateItemFormSchema } from "@/lib/items/schemas";

/** Save an edit; refused with CONFLICT (and the stored item) when the version moved on. */
export const updateItemAction = defineAction({ role: "editor", input: updateItemFormSchema }, async (input, actor) => {
  const { id, version, ...fields } = input;
  const r = await updateItem(id, version, fields, actor);
  revalidatePath("/items");
  redirect(`/items/${id}?saved=${r.version}`);
});

/** One status for many items: all or nothing, audited per item. */
export const bulkStatusAction = defineAction({ role: "editor", input: bulkStatusSchema }, async (input, actor) => {
  const r = await bulkSetStatus(input.ids, input.status, actor);
  revalidatePath("/items");
  return r;
});

export const addLinkAction = defineAction({ role: "editor", input: addLinkFormSchema }, async ({ itemId, ...link }, actor) => {
  const l = await addLink(itemId, link, actor);
  revalidatePath(`/items/${itemId}`);
  return l;
});

export const removeLinkAction = defineAction({ role: "editor", input: removeLinkFormSchema }, async ({ itemId, linkId }, actor) => {
  await removeLink(itemId, linkId, actor);
  revalidatePath(`/items/${itemId}`);
  return { linkId };
});
