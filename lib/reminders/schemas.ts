/** What the digest forms submit. Pure zod. */
import { z } from "zod";
import { clockTime, timeZoneField } from "@/lib/calendar/schemas";
import { flag } from "@/lib/forms/fields";
import { DIGEST_FREQUENCIES } from "./schedule";

export const digestScheduleSchema = z.object({
  version: z.coerce.number({ error: "Missing version" }).int().min(0).max(1_000_000),
  enabled: flag,
  frequency: z.enum(DIGEST_FREQUENCIES, { error: "Choose daily or weekly" }),
  weekday: z.coerce.number({ error: "Choose a weekday" }).int().min(1, "Choose a weekday").max(7, "Choose a weekday"),
  time: clockTime,
  timeZone: timeZoneField,
  dueSoonDays: z.coerce.number({ error: "Enter a number of days" }).int("Enter whole days").min(0, "At least 0").max(90, "At most 90"),
});
export type DigestScheduleInput = z.output<typeof digestScheduleSchema>;

/** The opt-in switch: an explicit on/off, so an empty call changes nothing. */
export const digestOptInSchema = z.object({ subscribe: z.enum(["on", "off"], { error: "Choose on or off" }) });
