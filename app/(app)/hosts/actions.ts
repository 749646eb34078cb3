"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { DomainError } from "@/lib/auth/errors";
import { audit, auditActorOf } from "@/lib/audit";
import { getDb } from "@/lib/db/client";
import { createHost, deleteHost, reachOf, updateHost } from "@/lib/hosts/hosts";
import { connectionTestSchema, hostIdSchema, hostInputSchema, hostUpdateSchema } from "@/lib/hosts/schemas";
import { reloadCollector } from "@/lib/hosts/service";
import { testConnection } from "@/lib/hosts/test-connection";

const done = async () => {
  await reloadCollector();
  revalidatePath("/hosts");
  revalidatePath("/vms");
  revalidatePath("/");
};

export const createHostAction = defineAction({ role: "admin", input: hostInputSchema }, async (input, actor) => {
  const r = await createHost(getDb(), auditActorOf(actor), input);
  await done();
  return r;
});

export const updateHostAction = defineAction({ role: "admin", input: hostUpdateSchema }, async (input, actor) => {
  const r = await updateHost(getDb(), auditActorOf(actor), input.id, input.version, input);
  await done();
  return r;
});

export const deleteHostAction = defineAction({ role: "admin", input: hostIdSchema }, async ({ id }, actor) => {
  await deleteHost(getDb(), auditActorOf(actor), id);
  await done();
  return { id };
});

/** Probe a saved host (by id) or the values typed in the form. Read-only; audited as a probe. */
export const testConnectionAction = defineAction({ role: "admin", input: connectionTestSchema }, async (input, actor) => {
  let reach;
  let entityId = "unsaved";
  if ("id" in input && !("kind" in input)) {
    const h = await getDb().host.findUnique({ where: { id: input.id } });
    if (!h) throw new DomainError("NOT_FOUND", "No such host");
    reach = { xenstoredPath: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot };
    entityId = h.id;
  } else reach = reachOf(input as Parameters<typeof reachOf>[0]);
  const report = await testConnection(reach);
  await audit(getDb(), auditActorOf(actor), "host", entityId, "test-connection", { ...reach, verdict: report.verdict });
  return { ...report, reach };
});
