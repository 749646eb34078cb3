"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/auth/guard";
import { auditActorOf } from "@/lib/db/audit";
import { MAX_MESSAGE_CHARS } from "@/lib/minutes";
import { commitImport, fromWire, importDraftSchema, importMessage, planImport } from "@/lib/minutes/server";

const optionalId = z.preprocess((v) => (v === "" ? undefined : v), z.string().max(64).optional());

/** Pasted text or an uploaded file (an empty file input still sends an empty File: ignored). */
const previewInput = z
  .object({
    text: z.string().optional().default(""),
    file: z.preprocess((v) => (v instanceof File && v.size === 0 ? undefined : v), z.instanceof(File).optional()),
    seriesId: optionalId,
  })
  .refine((i) => i.file || i.text.trim(), { path: ["text"], message: "Paste the minutes or choose a .txt, .eml or mbox file" });

/** Decode and preview against the database; writes nothing. */
export const previewImportAction = defineAction({ role: "editor", input: previewInput }, async (input) => {
  const bytes = input.file ? Buffer.from(await input.file.arrayBuffer()) : input.text;
  return planImport(bytes, input.file?.name, { seriesId: input.seriesId, withSources: true });
});

/** Commit one previewed message as edited: one transaction; "already imported" changes nothing. */
export const commitImportAction = defineAction({ role: "editor", input: importDraftSchema }, async (draft, actor) => {
  const result = await commitImport(draft, auditActorOf(actor));
  if (result.status === "imported") revalidatePath("/meetings");
  return result;
});

const wireMessage = z.object({
  index: z.number().int().min(0),
  source: z.enum(["text", "eml", "mbox"]),
  messageId: z.string().max(998).nullable(),
  subject: z.string().max(2000).nullable(),
  date: z.string().max(40).nullable(),
  from: z.string().max(2000).nullable(),
  // A message is minutes only up to this size (lib/minutes/parse.ts), so no longer one is committed.
  text: z.string().max(MAX_MESSAGE_CHARS),
});

/** Bulk import, one message per call: previewed against the database as it is now, then committed. */
export const importMessageAction = defineAction(
  { role: "editor", input: z.object({ seriesId: z.string().min(1).max(64), message: wireMessage }) },
  async (input, actor) => {
    const out = await importMessage(fromWire(input.message), { seriesId: input.seriesId, actor: auditActorOf(actor) });
    if (out.status === "imported") revalidatePath("/meetings");
    return out;
  },
);
