"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { createMeeting, createMeetingFormSchema, updateMeeting, updateMeetingSchema } from "@/lib/meetings/meetings";

/** New meeting, with its guided review and new items, in one transaction. */
export const createMeetingAction = defineAction({ role: "editor", input: createMeetingFormSchema }, async (input, actor) => {
  const m = await createMeeting(getDb(), input, actor);
  revalidatePath("/meetings");
  revalidatePath("/");
  redirect(`/meetings/${m.id}`);
});

/** Save an edit; refused with CONFLICT (and the stored meeting) when the version moved on. */
export const updateMeetingAction = defineAction({ role: "editor", input: updateMeetingSchema }, async (input, actor) => {
  const { id, version, ...fields } = input;
  await updateMeeting(getDb(), id, version, fields, actor);
  revalidatePath("/meetings");
  revalidatePath(`/meetings/${id}`);
  redirect(`/meetings/${id}`);
});
