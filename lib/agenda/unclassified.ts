/**
 * Device-model keys no rule explains, remembered per host with when each was first and
 * last seen. The stored host reads (HostSample) keep rule counts only, so this is what
 * lets an agenda say "2 new keys since the last meeting", also from the CLI, which has
 * no collector of its own. Written by lib/agenda/fleet-watch.ts from the collector's
 * reads; read by the agenda.
 */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";

/** Bounds on what one host's read may store (a broken guest must not fill the table). */
export const MAX_PATTERNS_PER_HOST = 500;
export const MAX_PATTERN_LENGTH = 1000;

export interface HostUnclassified {
  hostId: string;
  /** When the read was taken. */
  at: Date;
  patterns: { pattern: string; vmCount: number }[];
}

const isUniqueViolation = (err: unknown) => typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";

/**
 * Record one good read of each host: its patterns are present (first seen now if new),
 * the host's other patterns are gone. Idempotent, so two instances reading the same host
 * at once agree; a read older than what is stored changes nothing.
 */
export async function recordUnclassified(reads: readonly HostUnclassified[], db: DbOrTx = getDb()): Promise<void> {
  for (const r of reads) {
    const patterns = r.patterns.filter((p) => p.pattern.length <= MAX_PATTERN_LENGTH).slice(0, MAX_PATTERNS_PER_HOST);
    for (const p of patterns) {
      const where = { hostId_pattern: { hostId: r.hostId, pattern: p.pattern } };
      try {
        const cur = await db.unclassifiedKey.findUnique({ where });
        if (!cur) await db.unclassifiedKey.create({ data: { hostId: r.hostId, pattern: p.pattern, firstSeenAt: r.at, lastSeenAt: r.at, vmCount: p.vmCount } });
        else if (cur.lastSeenAt <= r.at) await db.unclassifiedKey.update({ where, data: { lastSeenAt: r.at, vmCount: p.vmCount, goneAt: null } });
      } catch (err) {
        // Another instance created it a moment ago: theirs stands.
        if (!isUniqueViolation(err)) throw err;
      }
    }
    await db.unclassifiedKey.updateMany({
      where: { hostId: r.hostId, goneAt: null, lastSeenAt: { lt: r.at }, pattern: { notIn: patterns.map((p) => p.pattern) } },
      data: { goneAt: r.at },
    });
  }
}

export interface UnclassifiedNow {
  pattern: string;
  vmCount: number;
  hosts: number;
  firstSeenAt: Date;
}

/** The unclassified patterns present now on the enabled hosts, fleet-wide, most VMs first. */
export async function unclassifiedNow(db: DbOrTx = getDb()): Promise<{ recorded: boolean; patterns: UnclassifiedNow[] }> {
  const hosts = await db.host.findMany({ where: { enabled: true }, select: { id: true } });
  const ids = hosts.map((h) => h.id);
  const [rows, any] = await Promise.all([
    ids.length ? db.unclassifiedKey.findMany({ where: { hostId: { in: ids }, goneAt: null } }) : Promise.resolve([]),
    db.unclassifiedKey.count({ where: ids.length ? { hostId: { in: ids } } : { hostId: "" } }),
  ]);
  const byPattern = new Map<string, UnclassifiedNow>();
  for (const r of rows) {
    const e = byPattern.get(r.pattern) ?? { pattern: r.pattern, vmCount: 0, hosts: 0, firstSeenAt: r.firstSeenAt };
    e.vmCount += r.vmCount;
    e.hosts += 1;
    if (r.firstSeenAt < e.firstSeenAt) e.firstSeenAt = r.firstSeenAt;
    byPattern.set(r.pattern, e);
  }
  return { recorded: any > 0, patterns: [...byPattern.values()].sort((a, b) => b.vmCount - a.vmCount || a.pattern.localeCompare(b.pattern)) };
}
