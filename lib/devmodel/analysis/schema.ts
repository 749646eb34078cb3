/**
 * Validation of admin-edited XenStore rules. The pattern is checked with the same
 * parser the matcher compiles with, so a rule that validates always compiles.
 */
import { z } from "zod";
import { validatePattern } from "./pattern";
import { TOPIC_SLUGS } from "./topics";

export const xsRuleSchema = z.object({
  id: z
    .string()
    .min(1, "id is required")
    .max(64, "id must be at most 64 characters")
    .regex(/^[a-z0-9][a-z0-9-]*$/, "id must be lower-case letters, digits and '-', starting with a letter or digit"),
  pattern: z.string().superRefine((pattern, ctx) => {
    for (const message of validatePattern(pattern)) ctx.addIssue({ code: "custom", message });
  }),
  dependency: z.string().trim().min(1, 'dependency is required (use "none" for toolstack bookkeeping)'),
  topic: z.enum(TOPIC_SLUGS, { error: `topic must be one of: ${TOPIC_SLUGS.join(", ")}` }),
  description: z.string().trim().min(1, "description is required: say why the key matters and cite the source"),
  severity: z.enum(["blocker", "info"], { error: 'severity must be "blocker" or "info"' }),
});

/** A list of rules: each valid, ids unique (order matters: the first match wins). */
export const xsRulesSchema = z.array(xsRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: "custom", message: `duplicate rule id "${r.id}"`, path: [i, "id"] });
    seen.add(r.id);
  });
});
