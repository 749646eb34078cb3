/**
 * How the history of host reads (HostSample) is kept: dense while recent, thinning with
 * age, bounded. Pure functions; lib/hosts/persist.ts applies them to the database.
 */
export interface CompactionPolicy {
  /** Store at most one sample per this many ms (a status change is always stored). */
  minIntervalMs: number;
  /** Samples younger than this are all kept. */
  recentMs: number;
  /** Older samples: one per bucket of this size (the first in it). */
  bucketMs: number;
  /** Samples older than this are deleted. */
  maxAgeMs: number;
}

export const DEFAULT_COMPACTION: CompactionPolicy = {
  minIntervalMs: 60_000,
  recentMs: 24 * 3600_000,
  bucketMs: 3600_000,
  maxAgeMs: 90 * 24 * 3600_000,
};

/** Whether a new read should become a stored sample. */
export function shouldStoreSample(
  last: { takenAt: Date; ok: boolean } | null,
  next: { takenAt: Date; ok: boolean },
  policy: CompactionPolicy = DEFAULT_COMPACTION,
): boolean {
  if (!last) return true;
  if (last.ok !== next.ok) return true;
  return next.takenAt.getTime() - last.takenAt.getTime() >= policy.minIntervalMs;
}

/**
 * Ids of samples to delete: older than maxAge; and among those older than `recentMs`,
 * every sample but the first of its bucket (buckets aligned to the epoch so repeated
 * runs agree). A failed sample is kept in its bucket next to the first good one, so an
 * outage stays visible in the history.
 */
export function samplesToPrune(
  samples: readonly { id: string; takenAt: Date; ok: boolean }[],
  now: Date,
  policy: CompactionPolicy = DEFAULT_COMPACTION,
): string[] {
  const t = now.getTime();
  const sorted = [...samples].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime() || (a.id < b.id ? -1 : 1));
  const prune: string[] = [];
  const kept = new Map<number, { ok: boolean; failed: boolean }>();
  for (const s of sorted) {
    const age = t - s.takenAt.getTime();
    if (age > policy.maxAgeMs) {
      prune.push(s.id);
      continue;
    }
    if (age <= policy.recentMs) continue;
    const bucket = Math.floor(s.takenAt.getTime() / policy.bucketMs);
    const k = kept.get(bucket);
    if (!k) kept.set(bucket, { ok: s.ok, failed: !s.ok });
    else if (!s.ok && !k.failed) k.failed = true;
    else prune.push(s.id);
  }
  return prune;
}

/** Dependencies over time for the chart: one point per sample, counts by rule id. */
export interface SamplePoint {
  at: Date;
  ok: boolean;
  vmCount: number;
  deprivCount: number;
  dependencies: Record<string, number>;
}

/** Sum samples of several hosts into one series, bucketed by `bucketMs` (last sample of each host per bucket). */
export function mergeSeries(byHost: readonly (readonly SamplePoint[])[], bucketMs: number): SamplePoint[] {
  const buckets = new Map<number, Map<number, SamplePoint>>();
  byHost.forEach((series, hostIndex) => {
    for (const p of series) {
      if (!p.ok) continue;
      const b = Math.floor(p.at.getTime() / bucketMs);
      const m = buckets.get(b) ?? new Map<number, SamplePoint>();
      m.set(hostIndex, p);
      buckets.set(b, m);
    }
  });
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, m]) => {
      const deps: Record<string, number> = {};
      let vmCount = 0;
      let deprivCount = 0;
      for (const p of m.values()) {
        vmCount += p.vmCount;
        deprivCount += p.deprivCount;
        for (const [k, v] of Object.entries(p.dependencies)) deps[k] = (deps[k] ?? 0) + v;
      }
      return { at: new Date(b * bucketMs), ok: true, vmCount, deprivCount, dependencies: deps };
    });
}
