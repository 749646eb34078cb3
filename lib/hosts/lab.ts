/**
 * A simulator lab as hosts: every host of a running `npm run sim -- --hosts N --dir D` from
 * its manifest (D/hosts.json) registered in one step, and the embedded quick start's small
 * lab (DMBOARD_SIM_HOSTS > 1) registered on first start. Lab hosts are plain local hosts
 * (their sockets and /proc are files here): edited, disabled or deleted like any other.
 */
import { z } from "zod";
import { audit, type AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { dataDir } from "@/lib/db/config";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { Db, DbOrTx } from "@/lib/db/types";
import { labHostPaths, readLabManifest } from "@/lib/devmodel/sim/lab";
import { simHostCount, simLabDir } from "@/lib/devmodel/sim-defaults";
import { toConfig } from "./hosts";

export const labRegistrationSchema = z.object({
  manifest: z
    .string()
    .trim()
    .min(1, "the path of the lab's hosts.json is required")
    .max(1000, "path is too long")
    .refine((p) => p.startsWith("/"), "must be an absolute path")
    .refine((p) => !p.includes("\0"), "must not contain NUL"),
  prefix: z
    .string()
    .trim()
    .max(40, "prefix must be at most 40 characters")
    .regex(/^[\w.-]*$/, "letters, digits, '.', '_' and '-' only")
    .optional()
    .default(""),
  pollIntervalSec: z.coerce
    .number()
    .int()
    .min(2, "poll interval must be at least 2 s")
    .max(3600, "poll interval must be at most 3600 s")
    .optional()
    .default(30),
});
export type LabRegistration = z.output<typeof labRegistrationSchema>;

interface LabEntry {
  name: string;
  xenstoredPath: string;
  qmpDir: string;
  procRoot: string;
}

/** Create the hosts not registered yet; a name taken by a host reached elsewhere is refused (nothing is created then). */
async function registerEntries(
  db: DbOrTx,
  actor: AuditActor,
  entries: readonly LabEntry[],
  pollIntervalSec: number,
  source: string,
): Promise<{ created: string[]; existing: string[] }> {
  return inTransaction(db, async (tx) => {
    const created: string[] = [];
    const existing: string[] = [];
    const taken = new Map((await tx.host.findMany({ where: { name: { in: entries.map((e) => e.name) } } })).map((h) => [h.name, h]));
    const clash = entries.filter((e) => taken.has(e.name) && taken.get(e.name)!.xenstoredPath !== e.xenstoredPath).map((e) => e.name);
    if (clash.length)
      throw new DomainError("INVALID", `hosts named ${clash.slice(0, 3).join(", ")} exist and are reached elsewhere: choose a name prefix`, undefined, {
        prefix: ["these names are taken by other hosts"],
      });
    for (const e of entries) {
      if (taken.has(e.name)) {
        existing.push(e.name);
        continue;
      }
      const row = await tx.host.create({
        data: { name: e.name, kind: "local", xenstoredPath: e.xenstoredPath, qmpDir: e.qmpDir, procRoot: e.procRoot, pollIntervalSec, enabled: true },
      });
      await audit(tx, actor, "host", row.id, "create", { ...toConfig(row), lab: source });
      created.push(e.name);
    }
    return { created, existing };
  });
}

/** Every host of a running simulator lab, from its manifest. */
export async function registerLab(actor: AuditActor, input: LabRegistration, db: DbOrTx = getDb()): Promise<{ created: string[]; existing: string[] }> {
  let manifest;
  try {
    manifest = readLabManifest(input.manifest);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === "ENOENT" ? `${input.manifest} does not exist` : (e as Error).message;
    throw new DomainError("INVALID", why, undefined, { manifest: [why] });
  }
  const entries = manifest.hosts.map((h) => ({ name: `${input.prefix}${h.name}`, xenstoredPath: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot }));
  return registerEntries(db, actor, entries, input.pollIntervalSec, input.manifest);
}

/** The quick start's lab (DMBOARD_SIM_HOSTS > 1): its layout is known before the simulator runs. */
export async function registerEmbeddedLab(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const n = simHostCount(env);
  const dir = simLabDir(dataDir(env));
  const entries = Array.from({ length: n }, (_, k) => labHostPaths(dir, k + 1, n));
  const r = await registerEntries(db, { userId: null, label: "system" }, entries, 30, "embedded");
  return r.created.length;
}
