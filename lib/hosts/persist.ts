/**
 * The collector's database side: compacted HostSamples and VmEvents. Writes are queued
 * per host and never block or fail a read; the queue is bounded.
 */
import type { HostAnalysis } from "@/lib/devmodel/analysis";
import type { Db } from "@/lib/db/client";
import { log } from "@/lib/log";
import type { CollectorSink, ReadRecord } from "./collector";
import { DEFAULT_COMPACTION, samplesToPrune, shouldStoreSample, type CompactionPolicy } from "./compaction";

/** Blocker dependencies of a host, as stored: { ruleId: vmCount }. */
export function dependencyCounts(a: HostAnalysis | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of a?.summary.blockers ?? []) out[b.ruleId] = b.vmCount;
  return out;
}

/** VmEvents kept per host (older ones are pruned). */
export const MAX_EVENTS_PER_HOST = 20_000;
const COMPACT_EVERY_MS = 10 * 60_000;
const MAX_QUEUED = 50;

export class DbSink implements CollectorSink {
  private chains = new Map<string, { p: Promise<void>; queued: number }>();
  private lastStored = new Map<string, { takenAt: Date; ok: boolean }>();
  private lastCompacted = new Map<string, number>();
  dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly policy: CompactionPolicy = DEFAULT_COMPACTION,
  ) {}

  record(read: ReadRecord): void {
    const id = read.host.id;
    const chain = this.chains.get(id) ?? { p: Promise.resolve(), queued: 0 };
    if (chain.queued >= MAX_QUEUED && read.events.length === 0) {
      this.dropped++;
      return;
    }
    chain.queued++;
    chain.p = chain.p
      .then(() => this.store(read))
      .catch((err) => log.warn({ err, host: read.host.name }, "collector: could not store a read"))
      .finally(() => chain.queued--);
    this.chains.set(id, chain);
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.chains.values()].map((c) => c.p));
  }

  private async store(read: ReadRecord): Promise<void> {
    const hostId = read.host.id;
    if (!this.lastStored.has(hostId)) {
      const last = await this.db.hostSample.findFirst({ where: { hostId }, orderBy: { takenAt: "desc" }, select: { takenAt: true, ok: true } });
      this.lastStored.set(hostId, last ?? { takenAt: new Date(0), ok: !read.ok });
    }
    if (read.events.length > 0) {
      await this.db.vmEvent.createMany({
        data: read.events.map((e) => ({ hostId, domid: e.domid, at: read.at, kind: e.kind, detail: e.detail.slice(0, 2000) })),
      });
    }
    const next = { takenAt: read.at, ok: read.ok };
    if (shouldStoreSample(this.lastStored.get(hostId) ?? null, next, this.policy)) {
      await this.db.hostSample.create({
        data: {
          hostId,
          takenAt: read.at,
          ok: read.ok,
          error: read.error?.slice(0, 2000) ?? null,
          vmCount: read.analysis?.summary.vmCount ?? 0,
          deprivCount: read.analysis?.summary.deprivileged ?? 0,
          dependencies: JSON.stringify(dependencyCounts(read.analysis)),
        },
      });
      this.lastStored.set(hostId, next);
    }
    const now = Date.now();
    if (now - (this.lastCompacted.get(hostId) ?? 0) >= COMPACT_EVERY_MS) {
      this.lastCompacted.set(hostId, now);
      await compactHost(this.db, hostId, new Date(now), this.policy);
    }
  }
}

/** Apply the compaction policy to one host's samples and bound its events. Returns what was deleted. */
export async function compactHost(
  db: Db,
  hostId: string,
  now: Date = new Date(),
  policy: CompactionPolicy = DEFAULT_COMPACTION,
): Promise<{ samples: number; events: number }> {
  const samples = await db.hostSample.findMany({
    where: { hostId, takenAt: { lt: new Date(now.getTime() - policy.recentMs) } },
    select: { id: true, takenAt: true, ok: true },
  });
  const ids = samplesToPrune(samples, now, policy);
  let deleted = 0;
  for (let i = 0; i < ids.length; i += 500) deleted += (await db.hostSample.deleteMany({ where: { id: { in: ids.slice(i, i + 500) } } })).count;
  let events = 0;
  const cutoff = await db.vmEvent.findMany({ where: { hostId }, orderBy: { at: "desc" }, skip: MAX_EVENTS_PER_HOST, take: 1, select: { at: true } });
  if (cutoff.length) events = (await db.vmEvent.deleteMany({ where: { hostId, at: { lte: cutoff[0].at } } })).count;
  const old = await db.vmEvent.deleteMany({ where: { hostId, at: { lt: new Date(now.getTime() - policy.maxAgeMs) } } });
  return { samples: deleted, events: events + old.count };
}
