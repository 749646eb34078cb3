/**
 * The snapshot command's JSON with the analysis folded in (pure; no Prisma): per domain,
 * the dependencies found with the rule that matched them, the unclassified keys and the
 * depriv checklist with verdicts; per host, the fleet summary.
 */
import { analyzeHost, DEFAULT_XS_RULES, type XsRule } from "@/lib/devmodel/analysis";
import type { HostSnapshot } from "@/lib/devmodel/types";

export function snapshotWithAnalysis(snap: HostSnapshot, rules: readonly XsRule[] = DEFAULT_XS_RULES) {
  const a = analyzeHost(snap, rules);
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const vms = new Map(a.vms.map((v) => [v.domid, v]));
  return {
    ...snap,
    analysis: { ruleCount: a.ruleCount, summary: a.summary },
    domains: snap.domains.map((d) => {
      const v = vms.get(d.domid)!;
      return {
        ...d,
        analysis: {
          role: v.role,
          deviceModel: v.deviceModel,
          qmp: v.qmp,
          dependencies: v.dependencies.map((dep) => {
            const r = ruleById.get(dep.ruleId);
            return { ...dep, rule: r ? { id: r.id, pattern: r.pattern, description: r.description } : null };
          }),
          unclassified: v.unclassified,
          depriv: v.depriv,
          notes: v.notes,
        },
      };
    }),
  };
}
