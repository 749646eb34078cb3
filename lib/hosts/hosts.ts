/** Hosts in the database: CRUD for admins, configs for the collector. */
import type { Db } from "@/lib/db/client";
import { dataDir } from "@/lib/db/config";
import { audit, type AuditActor } from "@/lib/audit";
import { DomainError } from "@/lib/auth/errors";
import { embeddedSimWanted, simPaths } from "@/lib/devmodel/sim-defaults";
import type { HostInput } from "./schemas";
import type { HostConfig } from "./types";

export const EMBEDDED_SIM_NAME = "simulated";

type HostRow = { id: string; name: string; kind: string; xenstoredPath: string; qmpDir: string; procRoot: string; pollIntervalSec: number; enabled: boolean };

export function toConfig(r: HostRow): HostConfig {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind === "sim" ? "sim" : "local",
    xenstoredPath: r.xenstoredPath,
    qmpDir: r.qmpDir,
    procRoot: r.procRoot,
    pollIntervalSec: r.pollIntervalSec,
    enabled: r.enabled,
  };
}

export async function loadHostConfigs(db: Db): Promise<HostConfig[]> {
  return (await db.host.findMany({ orderBy: { name: "asc" } })).map(toConfig);
}

/** Resolve the paths a host is reached by: a "sim" host is the embedded simulator. */
export function reachOf(input: Pick<HostInput, "kind" | "xenstoredPath" | "qmpDir" | "procRoot">): { xenstoredPath: string; qmpDir: string; procRoot: string } {
  if (input.kind === "sim") {
    const p = simPaths(dataDir());
    return { xenstoredPath: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir };
  }
  return { xenstoredPath: input.xenstoredPath, qmpDir: input.qmpDir, procRoot: input.procRoot };
}

async function assertNameFree(db: Pick<Db, "host">, name: string, exceptId?: string) {
  const other = await db.host.findUnique({ where: { name } });
  if (other && other.id !== exceptId) throw new DomainError("INVALID", `a host named "${name}" exists`, undefined, { name: [`a host named "${name}" exists`] });
}

export async function createHost(db: Db, actor: AuditActor, input: HostInput): Promise<{ id: string }> {
  return db.$transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const row = await tx.host.create({ data: { name: input.name, kind: input.kind, ...reachOf(input), pollIntervalSec: input.pollIntervalSec, enabled: input.enabled } });
    await audit(tx, actor, "host", row.id, "create", { ...toConfig(row) });
    return { id: row.id };
  });
}

export async function updateHost(db: Db, actor: AuditActor, id: string, version: number, input: HostInput): Promise<{ id: string; version: number }> {
  return db.$transaction(async (tx) => {
    const cur = await tx.host.findUnique({ where: { id } });
    if (!cur) throw new DomainError("NOT_FOUND", "No such host");
    await assertNameFree(tx, input.name, id);
    const res = await tx.host.updateMany({
      where: { id, version },
      data: { name: input.name, kind: input.kind, ...reachOf(input), pollIntervalSec: input.pollIntervalSec, enabled: input.enabled, version: { increment: 1 } },
    });
    if (res.count === 0) throw new DomainError("CONFLICT", "Someone else changed this host; reload to see their version.", { version: cur.version });
    const after = await tx.host.findUniqueOrThrow({ where: { id } });
    await audit(tx, actor, "host", id, "update", { before: toConfig(cur), after: toConfig(after) });
    return { id, version: after.version };
  });
}

export async function deleteHost(db: Db, actor: AuditActor, id: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const cur = await tx.host.findUnique({ where: { id } });
    if (!cur) throw new DomainError("NOT_FOUND", "No such host");
    await tx.host.delete({ where: { id } });
    await audit(tx, actor, "host", id, "delete", { ...toConfig(cur) });
  });
}

/**
 * On an install with no host at all, register the embedded simulated host (npm start
 * runs it unless DMBOARD_SIM=off) so the fleet is not empty on first start.
 */
export async function ensureEmbeddedSimHost(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!embeddedSimWanted(env)) return false;
  if ((await db.host.count()) > 0) return false;
  const p = simPaths(dataDir(env));
  const row = await db.host.create({
    data: { name: EMBEDDED_SIM_NAME, kind: "sim", xenstoredPath: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir, pollIntervalSec: 30, enabled: true },
  });
  await audit(db, { userId: null, label: "system" }, "host", row.id, "create", { ...toConfig(row), embedded: true });
  return true;
}
