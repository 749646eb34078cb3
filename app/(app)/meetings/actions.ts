"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/guard";
import { createMeeting, updateMeeting } from "@/lib/meetings/commands";
import { createMeetingFormSchema, updateMeetingSchema } from "@/lib/meetings/schemas";

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
