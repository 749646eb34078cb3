"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { addException, deleteSchedule, removeException, saveSchedule } from "@/lib/calendar/commands";
import { revokeFeedToken, rotateFeedToken } from "@/lib/calendar/feed-tokens";
import { deleteScheduleSchema, exceptionInputSchema, feedTokenSchema, removeExceptionSchema, scheduleInputSchema } from "@/lib/calendar/schemas";
import { calendarOverview } from "@/lib/calendar/reads";
import { feedUrl } from "@/lib/calendar/feed";
import { publicBaseUrl } from "@/lib/http/public-url";

function refresh() {
  revalidatePath("/calendar");
  revalidatePath("/agenda");
  revalidatePath("/");
}

export const saveScheduleAction = defineAction({ role: "editor", input: scheduleInputSchema }, async (input, actor) => {
  const r = await saveSchedule(input, actor);
  refresh();
  return r;
});

export const deleteScheduleAction = defineAction({ role: "editor", input: deleteScheduleSchema }, async ({ seriesId }, actor) => {
  await deleteSchedule(seriesId, actor);
  refresh();
  return { seriesId };
});

export const addExceptionAction = defineAction({ role: "editor", input: exceptionInputSchema }, async (input, actor) => {
  await addException(input, actor);
  refresh();
  return { day: input.day };
});

export const removeExceptionAction = defineAction({ role: "editor", input: removeExceptionSchema }, async ({ seriesId, exceptionId }, actor) => {
  await removeException(seriesId, exceptionId, actor);
  refresh();
  return { exceptionId };
});

// Viewers may do these two: a feed token only opens their own calendar feeds
// (listed in e2e/route-roles.spec.ts's VIEWER_MAY).

/** A new feed token (the old one stops working); its feed URLs are returned once and never shown again. */
export const rotateFeedTokenAction = defineAction({ role: "viewer", input: feedTokenSchema }, async (_input, actor) => {
  const { token, prefix } = await rotateFeedToken(actor);
  const base = publicBaseUrl();
  const feeds = (await calendarOverview()).filter((s) => s.schedule).map((s) => ({ series: s.series.name, url: feedUrl(base, s.series.slug, token) }));
  revalidatePath("/calendar");
  return { prefix, feeds };
});

export const revokeFeedTokenAction = defineAction({ role: "viewer", input: feedTokenSchema }, async (_input, actor) => {
  const revoked = await revokeFeedToken(actor);
  revalidatePath("/calendar");
  return { revoked };
});
