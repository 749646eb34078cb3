/** Hosts in the database: CRUD for admins, configs for the collector. */
import { audit, type AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { dataDir } from "@/lib/db/config";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { Db, DbOrTx, Tx } from "@/lib/db/types";
import { embeddedSimWanted, simHostCount, simPaths } from "@/lib/devmodel/sim-defaults";
import { registerEmbeddedLab } from "./lab";
import type { ConnectionTestInput, HostInput } from "./schemas";
import { sshFieldsOf, probeSshHost, type HostKeyReport } from "./ssh-hosts";
import { testConnection, type ConnectionReport } from "./test-connection";
import type { HostConfig } from "./types";

export const EMBEDDED_SIM_NAME = "simulated";

/** A Host row as stored: the config's fields, with the kind still a plain string. */
type HostRow = Omit<HostConfig, "kind"> & { kind: string };

export function toConfig(r: HostRow): HostConfig {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind === "sim" ? "sim" : r.kind === "ssh" ? "ssh" : "local",
    ...(r.kind === "ssh" ? { sshTarget: r.sshTarget ?? null, sshIdentityPath: r.sshIdentityPath ?? null, sshHostKey: r.sshHostKey ?? null } : {}),
    xenstoredPath: r.xenstoredPath,
    qmpDir: r.qmpDir,
    procRoot: r.procRoot,
    pollIntervalSec: r.pollIntervalSec,
    enabled: r.enabled,
    libxlSocket: r.libxlSocket === true,
  };
}

export async function loadHostConfigs(db: Db): Promise<HostConfig[]> {
  return (await db.host.findMany({ orderBy: { name: "asc" } })).map(toConfig);
}

/** Resolve the paths a host is reached by: a "sim" host is the embedded simulator. */
export interface Reach {
  xenstoredPath: string;
  qmpDir: string;
  procRoot: string;
}

export function reachOf(input: Pick<HostInput, "kind" | "xenstoredPath" | "qmpDir" | "procRoot">): Reach {
  if (input.kind === "sim") {
    const p = simPaths(dataDir());
    return { xenstoredPath: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir };
  }
  return { xenstoredPath: input.xenstoredPath, qmpDir: input.qmpDir, procRoot: input.procRoot };
}

async function assertNameFree(db: Pick<Tx, "host">, name: string, exceptId?: string) {
  const other = await db.host.findUnique({ where: { name } });
  if (other && other.id !== exceptId) throw new DomainError("INVALID", `a host named "${name}" exists`, undefined, { name: [`a host named "${name}" exists`] });
}

export async function createHost(actor: AuditActor, input: HostInput, db: DbOrTx = getDb()): Promise<{ id: string }> {
  return inTransaction(db, async (tx) => {
    await assertNameFree(tx, input.name);
    const row = await tx.host.create({
      data: {
        name: input.name,
        kind: input.kind,
        ...reachOf(input),
        ...sshFieldsOf(input, null),
        pollIntervalSec: input.pollIntervalSec,
        enabled: input.enabled,
        libxlSocket: input.libxlSocket,
      },
    });
    await audit(tx, actor, "host", row.id, "create", { ...toConfig(row) });
    return { id: row.id };
  });
}

export async function updateHost(
  actor: AuditActor,
  id: string,
  version: number,
  input: HostInput,
  db: DbOrTx = getDb(),
): Promise<{ id: string; version: number }> {
  return inTransaction(db, async (tx) => {
    const cur = await tx.host.findUnique({ where: { id } });
    if (!cur) throw new DomainError("NOT_FOUND", "No such host");
    await assertNameFree(tx, input.name, id);
    const res = await tx.host.updateMany({
      where: { id, version },
      data: {
        name: input.name,
        kind: input.kind,
        ...reachOf(input),
        ...sshFieldsOf(input, cur),
        pollIntervalSec: input.pollIntervalSec,
        enabled: input.enabled,
        libxlSocket: input.libxlSocket,
        version: { increment: 1 },
      },
    });
    if (res.count === 0) throw new DomainError("CONFLICT", "Someone else changed this host; reload to see their version.", { version: cur.version });
    const after = await tx.host.findUniqueOrThrow({ where: { id } });
    await audit(tx, actor, "host", id, "update", { before: toConfig(cur), after: toConfig(after) });
    return { id, version: after.version };
  });
}

export async function deleteHost(actor: AuditActor, id: string, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
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
  if (simHostCount(env) > 1) return (await registerEmbeddedLab(db, env)) > 0;
  const p = simPaths(dataDir(env));
  const row = await db.host.create({
    data: { name: EMBEDDED_SIM_NAME, kind: "sim", xenstoredPath: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir, pollIntervalSec: 30, enabled: true },
  });
  await audit(db, { userId: null, label: "system" }, "host", row.id, "create", { ...toConfig(row), embedded: true });
  return true;
}

// ── Reads for the hosts pages ────────────────────────────────────────────────

/** Every registered host, by name. */
export async function listHosts(db: DbOrTx = getDb()) {
  return db.host.findMany({ orderBy: { name: "asc" } });
}

/** One host as its edit form starts, or null. */
export async function hostForm(id: string, db: DbOrTx = getDb()) {
  const h = await db.host.findUnique({ where: { id } });
  if (!h) return null;
  return {
    id: h.id,
    version: h.version,
    name: h.name,
    kind: h.kind === "sim" ? ("sim" as const) : h.kind === "ssh" ? ("ssh" as const) : ("local" as const),
    xenstoredPath: h.xenstoredPath,
    qmpDir: h.qmpDir,
    procRoot: h.procRoot,
    pollIntervalSec: h.pollIntervalSec,
    enabled: h.enabled,
    sshTarget: h.sshTarget ?? "",
    sshIdentityPath: h.sshIdentityPath ?? "",
    sshHostKey: h.sshHostKey ?? "",
  };
}

/** The embedded simulator's socket, shown as the form's hint for a "sim" host. */
export function embeddedSimSocket(): string {
  return simPaths(dataDir()).socket;
}

/** A VM's recorded changes (started, stopped, keys appeared…), newest first. */
export async function vmEvents(hostId: string, domid: number, take = 50, db: DbOrTx = getDb()) {
  return db.vmEvent.findMany({ where: { hostId, domid }, orderBy: { at: "desc" }, take });
}

// ── Connection test ──────────────────────────────────────────────────────────

/**
 * "Test connection" of a saved host (by id) or of the values typed in the form:
 * read-only probes of its three peers, audited as a probe.
 */
export async function probeHost(
  input: ConnectionTestInput,
  actor: AuditActor,
  db: DbOrTx = getDb(),
): Promise<ConnectionReport & { reach: Reach; hostKey?: HostKeyReport | null }> {
  let reach: Reach;
  let entityId = "unsaved";
  let ssh: HostConfig | null = null;
  if ("id" in input && !("kind" in input)) {
    const h = await db.host.findUnique({ where: { id: input.id } });
    if (!h) throw new DomainError("NOT_FOUND", "No such host");
    reach = { xenstoredPath: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot };
    entityId = h.id;
    if (h.kind === "ssh") ssh = toConfig(h);
  } else {
    const i = input as HostInput;
    reach = reachOf(i);
    if (i.kind === "ssh")
      ssh = { id: "unsaved", name: i.name, kind: "ssh", ...reach, pollIntervalSec: i.pollIntervalSec, enabled: true, ...sshFieldsOf(i, null) };
  }
  if (ssh) {
    const report = await probeSshHost(ssh);
    await audit(db, actor, "host", entityId, "test-connection", {
      ...reach,
      sshTarget: ssh.sshTarget,
      verdict: report.verdict,
      offeredHostKey: report.hostKey?.offered ?? null,
    });
    return { ...report, reach };
  }
  const report = await testConnection(reach);
  await audit(db, actor, "host", entityId, "test-connection", { ...reach, verdict: report.verdict });
  return { ...report, reach };
}
