/**
 * The fleet's stored history for readers outside the collector (the agenda's measures,
 * the evidence for closing an item): every registered host with its stored reads
 * (HostSample rows, compacted by lib/hosts/compaction.ts) in a time range. Read-only.
 */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";

export interface StoredRead {
  at: Date;
  /** false: the host could not be read then (down, unreachable). */
  ok: boolean;
  vmCount: number;
  /** Blocker dependencies: { ruleId: VMs with it }. */
  dependencies: Record<string, number>;
}

export interface HostHistory {
  host: { id: string; name: string; enabled: boolean; createdAt: Date };
  /** Oldest first: the last read before `from` (when there is one), then every read in [from, to]. */
  reads: StoredRead[];
}

function parseDependencies(json: string): Record<string, number> {
  try {
    const v = JSON.parse(json);
    if (!v || typeof v !== "object" || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === "number"));
  } catch {
    return {};
  }
}

const readSelect = { takenAt: true, ok: true, vmCount: true, dependencies: true } as const;
const toRead = (r: { takenAt: Date; ok: boolean; vmCount: number; dependencies: string }): StoredRead => ({
  at: r.takenAt,
  ok: r.ok,
  vmCount: r.vmCount,
  dependencies: parseDependencies(r.dependencies),
});

/** Every host (enabled or not) with its reads between `from` and `to`, by host name. */
export async function fleetHistory(range: { from: Date; to: Date }, db: DbOrTx = getDb()): Promise<HostHistory[]> {
  const hosts = await db.host.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, enabled: true, createdAt: true } });
  if (!hosts.length) return [];
  const [inRange, before] = await Promise.all([
    db.hostSample.findMany({
      where: { hostId: { in: hosts.map((h) => h.id) }, takenAt: { gte: range.from, lte: range.to } },
      orderBy: [{ hostId: "asc" }, { takenAt: "asc" }],
      select: { hostId: true, ...readSelect },
    }),
    Promise.all(
      hosts.map((h) => db.hostSample.findFirst({ where: { hostId: h.id, takenAt: { lt: range.from } }, orderBy: { takenAt: "desc" }, select: readSelect })),
    ),
  ]);
  const byHost = new Map<string, StoredRead[]>();
  for (const r of inRange) {
    const list = byHost.get(r.hostId) ?? [];
    list.push(toRead(r));
    byHost.set(r.hostId, list);
  }
  return hosts.map((host, i) => ({ host, reads: [...(before[i] ? [toRead(before[i]!)] : []), ...(byHost.get(host.id) ?? [])] }));
}
