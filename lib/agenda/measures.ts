/**
 * What the fleet measures for an agenda: per blocker rule, the VMs with it now and at
 * the last meeting, from the stored host reads; and the unclassified keys, with those
 * new since the last meeting. Pure: the reads come in as lib/hosts/history.ts gives them.
 */
import type { EvidenceRule } from "@/lib/evidence/assess";
import { MAX_READ_GAP_MS } from "@/lib/evidence/assess";
import type { HostHistory, StoredRead } from "@/lib/hosts/history";
import type { UnclassifiedNow } from "./unclassified";

export interface RuleMeasure {
  ruleId: string;
  /** The dependency in a few words: the rule's text up to its first ";" or "(". */
  label: string;
  topic: string | null;
  now: number;
  /** null: no host had a good read at the last meeting (or there was none). */
  was: number | null;
}

export interface FleetMeasures {
  hostsWatched: number;
  hostsRead: number;
  /** The time the last meeting's numbers are from (null: no last meeting). */
  wasAt: string | null;
  rules: RuleMeasure[];
  /** Hosts whose numbers are missing or old. */
  notes: string[];
  /** Keys no rule explains: how many patterns now, and those first seen since the last meeting. */
  unclassified: { recorded: boolean; keys: number; new: { pattern: string; vmCount: number }[] };
}

export const shortLabel = (dependency: string) => {
  const cut = dependency.search(/[;(]/);
  return (cut > 0 ? dependency.slice(0, cut) : dependency).trim();
};

const lastGood = (reads: readonly StoredRead[], at: Date): StoredRead | null => {
  for (let i = reads.length - 1; i >= 0; i--) if (reads[i].ok && reads[i].at <= at) return reads[i];
  return null;
};

const fmt = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

export function fleetMeasures(input: {
  now: Date;
  /** Reads up to now (at least the latest of each host). */
  current: readonly HostHistory[];
  /** Reads up to the last meeting, or null when there was none. */
  atLastMeeting: { at: Date; history: readonly HostHistory[] } | null;
  rules: readonly EvidenceRule[];
  unclassified: { recorded: boolean; patterns: readonly UnclassifiedNow[] };
}): FleetMeasures {
  const watched = input.current.filter((h) => h.host.enabled);
  const notes: string[] = [];
  const nowReads = watched.map((h) => {
    const good = lastGood(h.reads, input.now);
    const latest = h.reads.at(-1);
    if (!good) notes.push(`${h.host.name}: no good read in the history looked at.`);
    else if (latest && !latest.ok) notes.push(`${h.host.name}: down since ${fmt(latest.at)}; its numbers are from ${fmt(good.at)}.`);
    else if (input.now.getTime() - good.at.getTime() > MAX_READ_GAP_MS) notes.push(`${h.host.name}: not read since ${fmt(good.at)}.`);
    return good;
  });
  let wasReads: (StoredRead | null)[] | null = null;
  if (input.atLastMeeting) {
    const byId = new Map(input.atLastMeeting.history.map((h) => [h.host.id, h]));
    wasReads = watched.map((h) => {
      const then = byId.get(h.host.id);
      return then ? lastGood(then.reads, input.atLastMeeting!.at) : null;
    });
    const missing = watched.filter((_, i) => !wasReads![i]).map((h) => h.host.name);
    if (missing.length && missing.length < watched.length) notes.push(`Not read at the last meeting: ${missing.join(", ")}.`);
  }
  const sum = (reads: readonly (StoredRead | null)[], id: string) => reads.reduce((n, r) => n + (r?.dependencies[id] ?? 0), 0);
  const anyWas = wasReads?.some((r) => r !== null) ?? false;
  const rules = input.rules
    .filter((r) => r.severity === "blocker")
    .map((r) => ({
      ruleId: r.id,
      label: shortLabel(r.dependency),
      topic: r.topic,
      now: sum(nowReads, r.id),
      was: wasReads && anyWas ? sum(wasReads, r.id) : null,
    }));

  const since = input.atLastMeeting?.at ?? null;
  const patterns = input.unclassified.patterns;
  return {
    hostsWatched: watched.length,
    hostsRead: nowReads.filter(Boolean).length,
    wasAt: since?.toISOString() ?? null,
    rules,
    notes,
    unclassified: {
      recorded: input.unclassified.recorded,
      keys: patterns.length,
      new: since ? patterns.filter((p) => p.firstSeenAt > since).map((p) => ({ pattern: p.pattern, vmCount: p.vmCount })) : [],
    },
  };
}
