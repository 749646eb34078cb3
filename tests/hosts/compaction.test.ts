import { describe, expect, it } from "vitest";
import { DEFAULT_COMPACTION, mergeSeries, samplesToPrune, shouldStoreSample, type CompactionPolicy } from "@/lib/hosts/compaction";

const H = 3600_000;
const now = new Date("2026-03-10T12:00:00Z");
const at = (msAgo: number) => new Date(now.getTime() - msAgo);

describe("shouldStoreSample", () => {
  it("stores the first, then at most one per minute, and always a change of ok", () => {
    expect(shouldStoreSample(null, { takenAt: now, ok: true })).toBe(true);
    expect(shouldStoreSample({ takenAt: at(30_000), ok: true }, { takenAt: now, ok: true })).toBe(false);
    expect(shouldStoreSample({ takenAt: at(60_000), ok: true }, { takenAt: now, ok: true })).toBe(true);
    expect(shouldStoreSample({ takenAt: at(5_000), ok: true }, { takenAt: now, ok: false })).toBe(true);
  });
});

describe("samplesToPrune", () => {
  it("keeps everything recent", () => {
    const s = Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, takenAt: at(i * 60_000), ok: true }));
    expect(samplesToPrune(s, now)).toEqual([]);
  });

  it("thins older samples to the first of each hour, and drops what is past the maximum age", () => {
    const policy: CompactionPolicy = { ...DEFAULT_COMPACTION, recentMs: 2 * H, bucketMs: H, maxAgeMs: 10 * H };
    // One sample per minute from 12 h ago to now.
    const s = Array.from({ length: 12 * 60 }, (_, i) => ({ id: `m${i}`, takenAt: at(i * 60_000), ok: true }));
    const prune = new Set(samplesToPrune(s, now, policy));
    const kept = s.filter((x) => !prune.has(x.id));
    const old = kept.filter((x) => now.getTime() - x.takenAt.getTime() > 2 * H);
    // 2 h..10 h ago: one per hour bucket (8 full hours, plus the partial bucket at each end).
    const buckets = new Set(old.map((x) => Math.floor(x.takenAt.getTime() / H)));
    expect(buckets.size).toBe(old.length);
    expect(old.length).toBeGreaterThanOrEqual(8);
    expect(old.length).toBeLessThanOrEqual(9);
    expect(kept.every((x) => now.getTime() - x.takenAt.getTime() <= 10 * H)).toBe(true);
    expect(kept.filter((x) => now.getTime() - x.takenAt.getTime() <= 2 * H).length).toBe(121);
    // Idempotent: compacting the result again deletes nothing more.
    expect(samplesToPrune(kept, now, policy)).toEqual([]);
  });

  it("keeps a failed sample next to the first of its bucket, so outages stay visible", () => {
    const policy: CompactionPolicy = { ...DEFAULT_COMPACTION, recentMs: H, bucketMs: H };
    const base = Math.floor((now.getTime() - 5 * H) / H) * H;
    const s = [
      { id: "a", takenAt: new Date(base + 1000), ok: true },
      { id: "b", takenAt: new Date(base + 2000), ok: false },
      { id: "c", takenAt: new Date(base + 3000), ok: false },
      { id: "d", takenAt: new Date(base + 4000), ok: true },
    ];
    expect(samplesToPrune(s, now, policy).sort()).toEqual(["c", "d"]);
  });
});

describe("mergeSeries", () => {
  it("sums hosts per bucket (last sample of each host), skipping failed reads", () => {
    const p = (min: number, ok: boolean, vm: number, deps: Record<string, number>) => ({
      at: new Date(Date.UTC(2026, 0, 1, 0, min)),
      ok,
      vmCount: vm,
      deprivCount: 1,
      dependencies: deps,
    });
    const merged = mergeSeries(
      [[p(0, true, 10, { physmap: 2 }), p(1, true, 11, { physmap: 3 }), p(70, false, 0, {})], [p(5, true, 5, { physmap: 1, "dm-state": 4 })]],
      H,
    );
    expect(merged).toHaveLength(1);
    expect(merged[0].vmCount).toBe(16);
    expect(merged[0].dependencies).toEqual({ physmap: 4, "dm-state": 4 });
  });
});
