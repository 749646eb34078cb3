"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { addLink, addLinkFormSchema, bulkSetStatus, bulkStatusSchema, removeLink, removeLinkFormSchema, updateItem, updateItemFormSchema } from "@/lib/meetings/items";

/** Save an edit; refused with CONFLICT (and the stored item) when the version moved on. */
export const updateItemAction = defineAction({ role: "editor", input: updateItemFormSchema }, async (input, actor) => {
  const { id, version, ...fields } = input;
  const r = await updateItem(getDb(), id, version, fields, actor);
  revalidatePath("/items");
  redirect(`/items/${id}?saved=${r.version}`);
});

/** One status for many items: all or nothing, audited per item. */
export const bulkStatusAction = defineAction({ role: "editor", input: bulkStatusSchema }, async (input, actor) => {
  const r = await bulkSetStatus(getDb(), input.ids, input.status, actor);
  revalidatePath("/items");
  return r;
});

export const addLinkAction = defineAction({ role: "editor", input: addLinkFormSchema }, async ({ itemId, ...link }, actor) => {
  const l = await addLink(getDb(), itemId, link, actor);
  revalidatePath(`/items/${itemId}`);
  return l;
});

export const removeLinkAction = defineAction({ role: "editor", input: removeLinkFormSchema }, async ({ itemId, linkId }, actor) => {
  await removeLink(getDb(), itemId, linkId, actor);
  revalidatePath(`/items/${itemId}`);
  return { linkId };
});
