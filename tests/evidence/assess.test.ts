import { describe, expect, it } from "vitest";
import { assessEvidence, describeEvidence, MAX_READ_GAP_MS, type EvidenceRule } from "@/lib/evidence/assess";
import type { HostHistory, StoredRead } from "@/lib/hosts/history";

const NOW = new Date("2025-06-20T12:00:00Z");
const H = 3600_000;
const D = 24 * H;
const rules: EvidenceRule[] = [
  { id: "physmap", dependency: "VRAM physmap records", topic: "physmap-keys", severity: "blocker", enabled: true, changedAt: null },
  { id: "trad-logdirty", dependency: "log-dirty handshake", topic: "log-dirty", severity: "blocker", enabled: true, changedAt: null },
  { id: "console-tty", dependency: "pty name", topic: "xenstore-removal", severity: "info", enabled: true, changedAt: null },
];

/** Reads the way the compacted history keeps them: hourly past a day, every minute within it. */
function reads(
  fromMs: number,
  toMs: number,
  deps: (at: number) => Record<string, number>,
  opts: { ok?: (at: number) => boolean; vms?: number } = {},
): StoredRead[] {
  const out: StoredRead[] = [];
  for (let t = fromMs; t <= toMs; t += NOW.getTime() - t > D ? H : 60_000) {
    const ok = opts.ok ? opts.ok(t) : true;
    out.push({ at: new Date(t), ok, vmCount: ok ? (opts.vms ?? 40) : 0, dependencies: ok ? deps(t) : {} });
  }
  return out;
}
const host = (name: string, r: StoredRead[], enabled = true): HostHistory => ({ host: { id: name, name, enabled, createdAt: new Date(0) }, reads: r });
const t0 = NOW.getTime() - 30 * D;
const goneAt = NOW.getTime() - 10 * D;
const physmapUntil =
  (end: number) =>
  (at: number): Record<string, number> =>
    at < end ? { physmap: 3 } : {};

describe("evidence that a dependency is gone", () => {
  it("free: every host read throughout the last 7 days, none with it; the first read without it and the hosts are given", () => {
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host("a", reads(t0, NOW.getTime(), physmapUntil(goneAt))),
        host(
          "b",
          reads(t0, NOW.getTime(), () => ({}), { vms: 12 }),
        ),
      ],
    });
    expect(e.state).toBe("free");
    // Host a lost it last; host b never had it.
    expect(e.freeSince).toBe(new Date(goneAt).toISOString());
    expect(e.freeSinceAtLeast).toBe(false);
    expect(e.hosts.map((h) => [h.name, h.vmCount, h.present, h.gaps.length])).toEqual([
      ["a", 40, 0, 0],
      ["b", 12, 0, 0],
    ]);
    expect(e.vmCount).toBe(52);
    expect(e.reads).toBeGreaterThan(2 * (6 * 24 + 1440));
    expect(describeEvidence(e)).toContain("ready to close");
  });

  it("present: still on a VM at the latest read", () => {
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host(
          "a",
          reads(t0, NOW.getTime(), () => ({ physmap: 2 })),
        ),
      ],
    });
    expect(e.state).toBe("present");
    expect(e.present).toBe(2);
  });

  it("waiting: gone for less than 7 days, with the day it will be 7", () => {
    const recently = NOW.getTime() - 3 * D;
    const e = assessEvidence({ ruleIds: ["physmap"], rules, now: NOW, history: [host("a", reads(t0, NOW.getTime(), physmapUntil(recently)))] });
    expect(e.state).toBe("waiting");
    expect(e.readyAt).toBe(new Date(recently + 7 * D).toISOString());
  });

  it("a host that was down is not free of it: a failed stretch longer than the read gap breaks the evidence", () => {
    const down = (at: number) => !(at > NOW.getTime() - 4 * D && at < NOW.getTime() - 4 * D + 5 * H);
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host("a", reads(t0, NOW.getTime(), physmapUntil(goneAt), { ok: down })),
        host(
          "b",
          reads(t0, NOW.getTime(), () => ({})),
        ),
      ],
    });
    expect(e.state).toBe("insufficient");
    expect(e.hosts.find((h) => h.name === "a")!.gaps).toEqual([expect.objectContaining({ why: "down" })]);
    expect(e.problems.join(" ")).toMatch(/^a: down from /);
  });

  it("a host not read at all for hours (the collector stopped) is a gap too; a single failed read is not", () => {
    const unread = reads(t0, NOW.getTime(), () => ({})).filter(
      (r) => !(r.at.getTime() > NOW.getTime() - 3 * D && r.at.getTime() < NOW.getTime() - 3 * D + MAX_READ_GAP_MS + H),
    );
    expect(assessEvidence({ ruleIds: ["physmap"], rules, now: NOW, history: [host("a", unread)] }).hosts[0].gaps).toEqual([
      expect.objectContaining({ why: "unread" }),
    ]);
    const blip = reads(t0, NOW.getTime(), () => ({}), { ok: (at) => at !== NOW.getTime() - 2 * H });
    expect(assessEvidence({ ruleIds: ["physmap"], rules, now: NOW, history: [host("a", blip)] }).state).toBe("free");
  });

  it("a host registered 3 days ago has no reads for the start of the period: 7 days from its first read", () => {
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host(
          "a",
          reads(t0, NOW.getTime(), () => ({})),
        ),
        host(
          "new",
          reads(NOW.getTime() - 3 * D, NOW.getTime(), () => ({})),
        ),
      ],
    });
    expect(e.state).toBe("waiting");
    expect(e.readyAt).toBe(new Date(NOW.getTime() + 4 * D).toISOString());
    expect(e.problems[0]).toMatch(/^new has good reads only since /);
    expect(e.problems.join(" ")).toContain("new: not read from");
  });

  it("a host whose latest reads failed (down now) is not covered", () => {
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host(
          "a",
          reads(t0, NOW.getTime(), () => ({}), { ok: (at) => at < NOW.getTime() - 4 * H }),
        ),
      ],
    });
    expect(e.state).toBe("insufficient");
  });

  it("a disabled host is not part of the fleet watched, and says so", () => {
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host(
          "a",
          reads(t0, NOW.getTime(), () => ({})),
        ),
        host("off", [], false),
      ],
    });
    expect(e.state).toBe("free");
    expect(e.notes).toEqual(["Not watched (disabled): off."]);
    expect(assessEvidence({ ruleIds: ["physmap"], rules, now: NOW, history: [host("off", [], false)] }).state).toBe("insufficient");
  });

  it("needs every linked rule gone, and counts only enabled blocker rules", () => {
    const both = host(
      "a",
      reads(t0, NOW.getTime(), (at): Record<string, number> => (at < goneAt ? { physmap: 1 } : { "trad-logdirty": 1 })),
    );
    expect(assessEvidence({ ruleIds: ["physmap"], rules, now: NOW, history: [both] }).state).toBe("free");
    expect(assessEvidence({ ruleIds: ["physmap", "trad-logdirty"], rules, now: NOW, history: [both] }).state).toBe("present");
    expect(assessEvidence({ ruleIds: ["console-tty"], rules, now: NOW, history: [both] }).problems[0]).toMatch(/informational/);
    expect(assessEvidence({ ruleIds: ["physmap"], rules: rules.map((r) => ({ ...r, enabled: false })), now: NOW, history: [both] }).state).toBe("insufficient");
    expect(assessEvidence({ ruleIds: ["gone-rule"], rules, now: NOW, history: [both] }).problems[0]).toMatch(/does not exist/);
    expect(assessEvidence({ ruleIds: [], rules, now: NOW, history: [both] }).state).toBe("unlinked");
  });

  it("a change to a linked rule restarts the clock", () => {
    const changed = NOW.getTime() - 2 * D;
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules: rules.map((r) => (r.id === "physmap" ? { ...r, changedAt: new Date(changed) } : r)),
      now: NOW,
      history: [
        host(
          "a",
          reads(t0, NOW.getTime(), () => ({})),
        ),
      ],
    });
    expect(e.state).toBe("waiting");
    expect(e.readyAt).toBe(new Date(changed + 7 * D).toISOString());
  });

  it("never seen in the history looked at: free since at least the first read", () => {
    const e = assessEvidence({
      ruleIds: ["physmap"],
      rules,
      now: NOW,
      history: [
        host(
          "a",
          reads(t0, NOW.getTime(), () => ({})),
        ),
      ],
    });
    expect(e.freeSinceAtLeast).toBe(true);
    expect(e.freeSince).toBe(new Date(t0).toISOString());
  });
});
