"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/guard";
import { addItemToMeeting } from "@/lib/items/commands";
import { meetingItemFormSchema } from "@/lib/items/schemas";
import { createMeeting, deleteMeeting, updateMeeting } from "@/lib/meetings/commands";
import { createMeetingFormSchema, deleteMeetingFormSchema, reviseReviewsFormSchema, updateMeetingSchema } from "@/lib/meetings/schemas";
import { reviseMeetingReviews } from "@/lib/reviews/commands";

/** New meeting, with its guided review and new items, in one transaction. */
export const createMeetingAction = defineAction({ role: "editor", input: createMeetingFormSchema }, async (input, actor) => {
  const m = await createMeeting(input, actor);
  revalidatePath("/meetings");
  revalidatePath("/");
  redirect(`/meetings/${m.id}`);
});

/** Save an edit; refused with CONFLICT (and the stored meeting) when the version moved on. */
export const updateMeetingAction = defineAction({ role: "editor", input: updateMeetingSchema }, async (input, actor) => {
  const { id, version, ...fields } = input;
  await updateMeeting(id, version, fields, actor);
  revalidatePath("/meetings");
  revalidatePath(`/meetings/${id}`);
  redirect(`/meetings/${id}`);
});

/** The edit page's review: outcomes given or changed after the meeting was saved. */
export const reviseReviewsAction = defineAction({ role: "editor", input: reviseReviewsFormSchema }, async (input, actor) => {
  const r = await reviseMeetingReviews(input.meetingId, input.reviews, actor);
  revalidatePath(`/meetings/${input.meetingId}`);
  revalidatePath("/items");
  return { recorded: r.recorded.length, removed: r.removed.length };
});

/** An action item added to a saved meeting, with target, due date and a link. */
export const addMeetingItemAction = defineAction({ role: "editor", input: meetingItemFormSchema }, async (input, actor) => {
  const item = await addItemToMeeting(input, actor);
  revalidatePath(`/meetings/${input.meetingId}`);
  revalidatePath("/items");
  return item;
});

/** Admins only (checked here, on the server): the meeting goes, its items stay (detached or moved). */
export const deleteMeetingAction = defineAction({ role: "admin", input: deleteMeetingFormSchema }, async (input, actor) => {
  await deleteMeeting(input.id, { moveItemsTo: input.moveItemsTo }, actor);
  revalidatePath("/meetings");
  revalidatePath("/");
  redirect(`/meetings?deleted=1`);
});
