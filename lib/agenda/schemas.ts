/** The agenda page's and the CLI's query. Pure zod. */
import { z } from "zod";
import { emptyToUndefined, isoDay } from "@/lib/forms/fields";

export const seriesSlug = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "A series slug: lower-case letters, digits and dashes");

export const agendaQuerySchema = z.object({
  series: z.preprocess(emptyToUndefined, seriesSlug.optional()),
  date: z.preprocess(emptyToUndefined, isoDay.optional()),
});
export type AgendaQuery = z.output<typeof agendaQuerySchema>;
