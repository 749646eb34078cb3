/** Validation of what admins submit for hosts and rules. */
import { z } from "zod";
import { xsRuleSchema } from "@/lib/devmodel/analysis";
import { formatSshTarget, isSshFingerprint, parseSshTarget } from "@/lib/devmodel/ssh";

const absPath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(1000, `${what} is too long`)
    .refine((p) => p.startsWith("/"), `${what} must be an absolute path`)
    .refine((p) => !p.includes("\0"), `${what} must not contain NUL`);

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

/**
 * A host as the form submits it. For kind "sim" the paths are the embedded simulator's (filled in
 * by the server); for kind "ssh" they are paths on the remote dom0, reached through `sshTarget`.
 * `sshHostKey` is the fingerprint an admin accepted in the form's connection test (empty: none).
 */
export const hostInputSchema = z
  .object({
    name: z.string().trim().min(1, "name is required").max(80, "name must be at most 80 characters"),
    kind: z.enum(["local", "sim", "ssh"], { error: 'kind must be "local", "sim" or "ssh"' }),
    xenstoredPath: z.string().trim().optional().default(""),
    qmpDir: z.string().trim().optional().default(""),
    procRoot: z.string().trim().optional().default(""),
    pollIntervalSec: z.coerce
      .number({ error: "poll interval must be a number" })
      .int("poll interval must be whole seconds")
      .min(2, "poll interval must be at least 2 s")
      .max(3600, "poll interval must be at most 3600 s"),
    enabled: checkbox.optional().default(false),
    sshTarget: z.string().trim().max(300, "SSH target is too long").optional().default(""),
    sshIdentityPath: z.string().trim().optional().default(""),
    sshHostKey: z
      .string()
      .trim()
      .optional()
      .default("")
      .refine((v) => v === "" || isSshFingerprint(v), "host key must be a SHA256:… fingerprint"),
    libxlSocket: checkbox.optional().default(false),
  })
  .superRefine((h, ctx) => {
    if (h.kind === "ssh") {
      const t = parseSshTarget(h.sshTarget);
      if (!t.ok) ctx.addIssue({ code: "custom", message: t.error, path: ["sshTarget"] });
      else h.sshTarget = formatSshTarget(t.target);
      if (h.sshIdentityPath !== "") {
        const r = absPath("identity file").safeParse(h.sshIdentityPath);
        if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: ["sshIdentityPath"] });
      }
    }
    if (h.kind === "sim") return;
    for (const [key, label] of [
      ["xenstoredPath", "xenstored socket path"],
      ["qmpDir", "QMP socket directory"],
      ["procRoot", "procfs root"],
    ] as const) {
      const r = absPath(label).safeParse(h[key]);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: "custom", message: i.message, path: [key] });
    }
  });
export type HostInput = z.output<typeof hostInputSchema>;

export const hostUpdateSchema = z.intersection(hostInputSchema, z.object({ id: z.string().min(1), version: z.coerce.number().int().min(1) }));
export const hostIdSchema = z.object({ id: z.string().min(1) });

/** An admin accepts the host key a connection test showed (pins it). */
export const acceptHostKeySchema = z.object({
  id: z.string().min(1),
  fingerprint: z.string().trim().refine(isSshFingerprint, "host key must be a SHA256:… fingerprint"),
});

/** A connection test of values typed in the form (not saved yet) or of a saved host. */
export const connectionTestSchema = z.union([z.object({ id: z.string().min(1) }), hostInputSchema]);
export type ConnectionTestInput = z.output<typeof connectionTestSchema>;

/** A rule as the form submits it: the analysis' own schema plus order and switch. */
export const ruleInputSchema = z.object({
  id: xsRuleSchema.shape.id,
  pattern: xsRuleSchema.shape.pattern,
  dependency: xsRuleSchema.shape.dependency,
  topic: xsRuleSchema.shape.topic,
  description: xsRuleSchema.shape.description,
  severity: xsRuleSchema.shape.severity,
  position: z.coerce.number({ error: "position must be a number" }).int("position must be a whole number").min(0).max(1_000_000),
  enabled: checkbox.optional().default(false),
});
export type RuleInput = z.output<typeof ruleInputSchema>;
export const ruleUpdateSchema = z.intersection(ruleInputSchema, z.object({ rowId: z.string().min(1), version: z.coerce.number().int().min(1) }));
export const ruleToggleSchema = z.object({ rowId: z.string().min(1), enabled: checkbox, version: z.coerce.number().int().min(1) });
