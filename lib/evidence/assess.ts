/**
 * Whether the fleet's stored reads show that a dependency is gone: every VM on every
 * watched host free of it for a set time, with reads covering that time on each host.
 * Pure: the reads come from lib/hosts/history.ts, the rules from lib/evidence/reads.ts.
 *
 * What counts, and why:
 * - Only good reads are evidence. A host that was down (failed reads) or not read at
 *   all for longer than MAX_READ_GAP_MS leaves a gap, and a gap in the period means no
 *   evidence: nobody saw its VMs then.
 * - MAX_READ_GAP_MS follows the history's own resolution: past a day, compaction keeps
 *   one read an hour (lib/hosts/compaction.ts), so two kept reads can be nearly two
 *   hours apart; a shorter outage cannot be told from compaction and is not a gap.
 * - A change to a linked rule (an admin edit, from the audit trail) restarts the clock:
 *   reads before it were classified by another pattern.
 * - Only blocker rules are counted in the stored reads, so only they can be linked.
 */
import { DEFAULT_COMPACTION } from "@/lib/hosts/compaction";
import type { HostHistory, StoredRead } from "@/lib/hosts/history";

/** Days of reads without the dependency before an item may be closed on the evidence. */
export const EVIDENCE_DAYS = 7;
/** How far back "first read without it" is looked for. */
export const EVIDENCE_LOOKBACK_DAYS = 30;
export const MAX_READ_GAP_MS = 2 * DEFAULT_COMPACTION.bucketMs + 5 * 60_000;
const DAY_MS = 86_400_000;

export interface EvidenceRule {
  id: string;
  dependency: string;
  topic: string | null;
  severity: "blocker" | "info";
  enabled: boolean;
  /** Last admin change of the rule (null: as seeded). */
  changedAt: Date | null;
}

export type EvidenceState = "free" | "waiting" | "present" | "insufficient" | "unlinked";

export interface HostCoverage {
  id: string;
  name: string;
  /** Good reads in the period. */
  reads: number;
  firstRead: string | null;
  lastRead: string | null;
  /** VMs at the latest good read, and the most seen in the period. */
  vmCount: number;
  maxVmCount: number;
  /** VMs with the dependency at the latest good read. */
  present: number;
  /** Last good read with the dependency, and the first good read after it. */
  lastSeen: string | null;
  freeSince: string | null;
  /** Stretches of the period without a good read for longer than MAX_READ_GAP_MS. */
  gaps: { from: string; to: string; why: "down" | "unread" }[];
}

export interface Evidence {
  state: EvidenceState;
  rules: string[];
  days: number;
  checkedAt: string;
  /** Start of the period the reads must cover: `days` before checkedAt. */
  periodStart: string;
  /** The first read after which no VM on any host had the dependency. */
  freeSince: string | null;
  /** true: not seen in the history looked at, so it is free since at least then. */
  freeSinceAtLeast: boolean;
  /** waiting: when the period will be covered, if nothing changes. */
  readyAt: string | null;
  hosts: HostCoverage[];
  vmCount: number;
  maxVmCount: number;
  reads: number;
  /** VMs with the dependency now (state present). */
  present: number;
  /** Why there is no evidence (state insufficient / waiting). */
  problems: string[];
  /** What else the reader should know (disabled hosts, other rules changed). */
  notes: string[];
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const countOf = (r: StoredRead, rules: readonly string[]) => rules.reduce((n, id) => n + (r.dependencies[id] ?? 0), 0);
const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

interface HostAssessment extends HostCoverage {
  freeSinceDate: Date | null;
  neverSeen: boolean;
}

function assessHost(h: HostHistory, rules: readonly string[], periodStart: Date, now: Date): HostAssessment {
  const reads = h.reads.filter((r) => r.at <= now);
  const good = reads.filter((r) => r.ok);
  const latest = good.at(-1) ?? null;
  let lastSeenIdx = -1;
  for (let i = good.length - 1; i >= 0; i--) {
    if (countOf(good[i], rules) > 0) {
      lastSeenIdx = i;
      break;
    }
  }
  const neverSeen = lastSeenIdx === -1;
  const freeSinceDate = neverSeen ? (good[0]?.at ?? null) : (good[lastSeenIdx + 1]?.at ?? null);

  // Coverage of [periodStart, now]: from the last good read at or before the start (if
  // any) through every later good read to now, each step at most MAX_READ_GAP_MS.
  const startIdx = good.findLastIndex((r) => r.at <= periodStart);
  const points = startIdx >= 0 ? good.slice(startIdx).map((r) => r.at) : [periodStart, ...good.map((r) => r.at)];
  points.push(now);
  const gaps: HostCoverage["gaps"] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (b.getTime() - a.getTime() <= MAX_READ_GAP_MS) continue;
    const down = reads.some((r) => !r.ok && r.at >= a && r.at <= b);
    gaps.push({ from: (a < periodStart ? periodStart : a).toISOString(), to: b.toISOString(), why: down ? "down" : "unread" });
  }
  const inPeriod = good.filter((r) => r.at >= periodStart);
  return {
    id: h.host.id,
    name: h.host.name,
    reads: inPeriod.length,
    firstRead: iso(startIdx >= 0 ? good[startIdx].at : good[0]?.at),
    lastRead: iso(latest?.at),
    vmCount: latest?.vmCount ?? 0,
    maxVmCount: Math.max(0, ...inPeriod.map((r) => r.vmCount), latest?.vmCount ?? 0),
    present: latest ? countOf(latest, rules) : 0,
    lastSeen: neverSeen ? null : good[lastSeenIdx].at.toISOString(),
    freeSince: iso(freeSinceDate),
    gaps,
    freeSinceDate,
    neverSeen,
  };
}

/**
 * The evidence for the dependencies `ruleIds` over `history` at `now`. `rules` is every
 * rule the analysis knows (to check the linked ones), `otherRuleChanges` the admin edits
 * of other rules in the period (a note: a rule placed before a linked one can take its keys).
 */
export function assessEvidence(input: {
  ruleIds: readonly string[];
  rules: readonly EvidenceRule[];
  history: readonly HostHistory[];
  now: Date;
  days?: number;
  otherRuleChanges?: readonly { rule: string; at: Date }[];
}): Evidence {
  const days = input.days ?? EVIDENCE_DAYS;
  const now = input.now;
  const periodStart = new Date(now.getTime() - days * DAY_MS);
  const ruleIds = [...new Set(input.ruleIds)].sort();
  const base: Evidence = {
    state: "unlinked",
    rules: ruleIds,
    days,
    checkedAt: now.toISOString(),
    periodStart: periodStart.toISOString(),
    freeSince: null,
    freeSinceAtLeast: false,
    readyAt: null,
    hosts: [],
    vmCount: 0,
    maxVmCount: 0,
    reads: 0,
    present: 0,
    problems: [],
    notes: [],
  };
  if (!ruleIds.length) return base;

  const byId = new Map(input.rules.map((r) => [r.id, r]));
  const problems: string[] = [];
  let ruleChangedAt: Date | null = null;
  for (const id of ruleIds) {
    const r = byId.get(id);
    if (!r) problems.push(`Rule ${id} does not exist (any more): the reads cannot show it gone.`);
    else if (!r.enabled) problems.push(`Rule ${id} is disabled: the reads do not look for it.`);
    else if (r.severity !== "blocker") problems.push(`Rule ${id} is informational: only blocker dependencies are counted in the stored reads.`);
    else if (r.changedAt && (!ruleChangedAt || r.changedAt > ruleChangedAt)) ruleChangedAt = r.changedAt;
  }
  for (const c of input.otherRuleChanges ?? [])
    if (!ruleIds.includes(c.rule) && c.at >= periodStart)
      base.notes.push(`Rule ${c.rule} was changed ${fmt(c.at)}; a rule placed before a linked one can take its keys.`);

  const disabled = input.history.filter((h) => !h.host.enabled).map((h) => h.host.name);
  if (disabled.length) base.notes.push(`Not watched (disabled): ${disabled.join(", ")}.`);
  const watched = input.history.filter((h) => h.host.enabled);
  if (!watched.length) problems.push("No host is being read: there is no fleet to show it gone from.");
  if (problems.length) return { ...base, state: "insufficient", problems };

  const hosts = watched.map((h) => assessHost(h, ruleIds, periodStart, now));
  const summary = {
    hosts: hosts.map(({ freeSinceDate: _f, neverSeen: _n, ...rest }) => rest),
    vmCount: hosts.reduce((n, h) => n + h.vmCount, 0),
    maxVmCount: hosts.reduce((n, h) => n + h.maxVmCount, 0),
    reads: hosts.reduce((n, h) => n + h.reads, 0),
    present: hosts.reduce((n, h) => n + h.present, 0),
  };
  if (summary.present > 0) {
    const where = hosts.filter((h) => h.present > 0).map((h) => `${h.name} (${h.present})`);
    return {
      ...base,
      ...summary,
      state: "present",
      problems: [`Still on ${summary.present} VM${summary.present === 1 ? "" : "s"} at the latest read: ${where.join(", ")}.`],
    };
  }

  const unread = hosts.filter((h) => !h.freeSinceDate);
  if (unread.length) return { ...base, ...summary, state: "insufficient", problems: unread.map((h) => `${h.name} has no good read yet.`) };
  const last = hosts.reduce((m, h) => (h.freeSinceDate! > m.freeSinceDate! ? h : m));
  const latestFree = last.freeSinceDate!;
  const atLeast = hosts.every((h) => h.neverSeen);
  const clockFrom = ruleChangedAt && ruleChangedAt > latestFree ? ruleChangedAt : latestFree;
  const withFree = { ...base, ...summary, freeSince: latestFree.toISOString(), freeSinceAtLeast: atLeast };

  const gapProblems = hosts.flatMap((h) =>
    h.gaps.map((g) => `${h.name}: ${g.why === "down" ? "down" : "not read"} from ${fmt(new Date(g.from))} to ${fmt(new Date(g.to))}.`),
  );
  if (clockFrom > periodStart) {
    const readyAt = new Date(clockFrom.getTime() + days * DAY_MS);
    const why =
      clockFrom === ruleChangedAt
        ? `A linked rule was changed ${fmt(ruleChangedAt)}; the ${days} days count from then.`
        : last.neverSeen
          ? `${last.name} has good reads only since ${fmt(latestFree)}.`
          : `Gone from ${last.name} only since ${fmt(latestFree)}.`;
    return { ...withFree, state: "waiting", readyAt: readyAt.toISOString(), problems: [why, ...gapProblems] };
  }
  if (gapProblems.length) return { ...withFree, state: "insufficient", problems: gapProblems };
  return { ...withFree, state: "free" };
}

/** One line a person reads: what the evidence says. */
export function describeEvidence(e: Evidence): string {
  const rules = e.rules.join(", ");
  const day = (s: string | null) => (s ? s.slice(0, 10) : "?");
  switch (e.state) {
    case "unlinked":
      return "No dependency linked.";
    case "present":
      return `${rules}: still on ${e.present} VM${e.present === 1 ? "" : "s"}.`;
    case "waiting":
      return `${rules}: gone from every VM since ${day(e.freeSince)}; ${e.days} days of reads on ${day(e.readyAt)}.`;
    case "insufficient":
      return `${rules}: no evidence yet (${e.problems[0] ?? "gaps in the reads"})`;
    case "free":
      return `${rules}: gone from every VM on ${e.hosts.length} host${e.hosts.length === 1 ? "" : "s"} (${e.vmCount} VMs) since ${e.freeSinceAtLeast ? "at least " : ""}${day(e.freeSince)}, ${e.reads} reads over ${e.days} days: ready to close.`;
  }
}
