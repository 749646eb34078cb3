"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { saveDigestSchedule } from "@/lib/reminders/commands";
import { digestScheduleSchema } from "@/lib/reminders/schemas";

/** When the e-mail digests go out (admins only). */
export const saveDigestScheduleAction = defineAction({ role: "admin", input: digestScheduleSchema }, async (input, actor) => {
  const r = await saveDigestSchedule(input, actor);
  revalidatePath("/admin/reminders");
  revalidatePath("/account");
  return r;
});
