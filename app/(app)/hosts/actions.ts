"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/auth/guard";
import { auditActorOf } from "@/lib/db/audit";
import { createHost, deleteHost, probeHost, updateHost } from "@/lib/hosts/hosts";
import { acceptHostKeySchema, connectionTestSchema, hostIdSchema, hostInputSchema, hostUpdateSchema } from "@/lib/hosts/schemas";
import { acceptHostKey } from "@/lib/hosts/ssh-hosts";
import { reloadCollector } from "@/lib/hosts/service";

const done = async () => {
  await reloadCollector();
  revalidatePath("/hosts");
  revalidatePath("/vms");
  revalidatePath("/");
};

export const createHostAction = defineAction({ role: "admin", input: hostInputSchema }, async (input, actor) => {
  const r = await createHost(auditActorOf(actor), input);
  await done();
  return r;
});

export const updateHostAction = defineAction({ role: "admin", input: hostUpdateSchema }, async (input, actor) => {
  const r = await updateHost(auditActorOf(actor), input.id, input.version, input);
  await done();
  return r;
});

export const deleteHostAction = defineAction({ role: "admin", input: hostIdSchema }, async ({ id }, actor) => {
  await deleteHost(auditActorOf(actor), id);
  await done();
  return { id };
});

/** Probe a saved host (by id) or the values typed in the form. Read-only; audited as a probe. */
export const testConnectionAction = defineAction({ role: "admin", input: connectionTestSchema }, async (input, actor) => probeHost(input, auditActorOf(actor)));

/** Pin the SSH host key a connection test showed (first contact, or a verified change). Admin only; audited. */
export const acceptHostKeyAction = defineAction({ role: "admin", input: acceptHostKeySchema }, async ({ id, fingerprint }, actor) => {
  const r = await acceptHostKey(auditActorOf(actor), id, fingerprint);
  await done();
  return r;
});
