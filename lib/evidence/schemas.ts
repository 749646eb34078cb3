/** What the evidence panel's forms submit. Pure zod. */
import { z } from "zod";
import { rowId } from "@/lib/forms/fields";

/** A rule id as the analysis writes them ("physmap", "trad-logdirty"). */
export const ruleKey = z
  .string({ error: "Choose a dependency" })
  .trim()
  .min(1, "Choose a dependency")
  .max(64, "Unknown dependency")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "Unknown dependency");

export const linkDependencySchema = z.object({ itemId: rowId("item"), rule: ruleKey });
export const closeByEvidenceSchema = z.object({
  itemId: rowId("item"),
  version: z.coerce.number({ error: "Missing version" }).int().min(1, "Missing version"),
});
