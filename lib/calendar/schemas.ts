/** What the schedule and exception forms submit. Pure zod. */
import { z } from "zod";
import { emptyToUndefined, isoDay, rowId } from "@/lib/forms/fields";
import { FREQUENCIES, isValidTimeZone } from "./schedule";

export const LOCATION_MAX = 300;
export const NOTE_MAX = 200;

/** "HH:MM", 24-hour, what <input type="time"> sends. */
export const clockTime = z
  .string({ error: "Enter a time" })
  .trim()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, "Enter the time as HH:MM (24-hour)");

export const timeZoneField = z
  .string({ error: "Enter a time zone" })
  .trim()
  .min(1, "Enter a time zone")
  .refine(isValidTimeZone, "Enter an IANA time zone such as Europe/London or UTC");

const int = (what: string, min: number, max: number) =>
  z.coerce
    .number({ error: `Enter ${what}` })
    .int(`Enter ${what} as a whole number`)
    .min(min, `At least ${min}`)
    .max(max, `At most ${max}`);

export const scheduleInputSchema = z
  .object({
    seriesId: rowId("series"),
    /** 0 for a series with no schedule yet. */
    version: int("the version", 0, 1_000_000),
    frequency: z.enum(FREQUENCIES, { error: "Choose weekly or monthly" }),
    interval: z.preprocess(emptyToUndefined, int("the number of weeks", 1, 8).default(1)),
    weekday: int("the weekday", 1, 7),
    weekOfMonth: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number()
        .int()
        .refine((n) => [1, 2, 3, 4, -1].includes(n), "Choose first, second, third, fourth or last")
        .optional(),
    ),
    startsOn: isoDay,
    endsOn: z.preprocess(emptyToUndefined, isoDay.optional()),
    time: clockTime,
    timeZone: timeZoneField,
    durationMinutes: z.preprocess(emptyToUndefined, int("the length in minutes", 5, 600).default(60)),
    location: z.preprocess((v) => (typeof v === "string" ? v.trim() : (v ?? "")), z.string().max(LOCATION_MAX, `At most ${LOCATION_MAX} characters`)),
  })
  .superRefine((s, ctx) => {
    if (s.frequency === "monthly" && s.weekOfMonth === undefined)
      ctx.addIssue({ code: "custom", path: ["weekOfMonth"], message: "Choose which week of the month" });
    if (s.endsOn && s.endsOn < s.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "The last day comes before the first" });
  });
export type ScheduleInput = z.output<typeof scheduleInputSchema>;

export const exceptionInputSchema = z
  .object({
    seriesId: rowId("series"),
    day: isoDay,
    kind: z.enum(["cancelled", "moved"], { error: "Choose cancelled or moved" }),
    movedToDay: z.preprocess(emptyToUndefined, isoDay.optional()),
    movedToTime: z.preprocess(emptyToUndefined, clockTime.optional()),
    note: z.preprocess((v) => (typeof v === "string" ? v.trim() : (v ?? "")), z.string().max(NOTE_MAX, `At most ${NOTE_MAX} characters`)),
  })
  .superRefine((e, ctx) => {
    if (e.kind === "moved" && !e.movedToDay) ctx.addIssue({ code: "custom", path: ["movedToDay"], message: "Enter the day it moves to" });
  });
export type ExceptionInput = z.output<typeof exceptionInputSchema>;

export const removeExceptionSchema = z.object({ seriesId: rowId("series"), exceptionId: rowId("exception") });
export const deleteScheduleSchema = z.object({ seriesId: rowId("series") });

/** The feed-token buttons send only this, so an empty or forged call is refused. */
export const feedTokenSchema = z.object({ confirm: z.literal("yes", { error: "Confirm" }) });
