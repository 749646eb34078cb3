import type { Metadata } from "next";
import Link from "next/link";
import { requirePageRole } from "@/lib/auth/guard";
import { listRules } from "@/lib/hosts/rules";
import { topicChoices } from "@/lib/topics/reads";
import { fleetOverview } from "@/lib/hosts/fleet";
import { collectorReady } from "@/lib/hosts/service";
import { RuleForm, RuleToggle } from "@/components/devmodel/RuleForm";
import { badge } from "@/components/devmodel/format";
import { createRuleAction, toggleRuleAction } from "./actions";

export const metadata: Metadata = { title: "XenStore-use rules" };
export const dynamic = "force-dynamic";

export default async function RulesPage() {
  await requirePageRole("admin", "/admin/rules");
  const [rules, topics, collector] = await Promise.all([listRules(), topicChoices(), collectorReady(1000)]);
  const overview = fleetOverview(collector.states());
  const use = new Map(overview.blockers.map((b) => [b.ruleId, b.vmCount]));
  const next = (rules.at(-1)?.position ?? 0) + 10;
  return (
    <div className="space-y-8">
      <div>
        <p><Link href="/admin" className="text-accent underline">← Admin</Link></p>
        <h1 className="text-2xl font-semibold">XenStore-use rules</h1>
        <p className="text-sm text-muted">
          Each device-model key is classified by the first enabled rule whose pattern matches it (lowest position first). Keys no rule matches are reported as unclassified. Changes apply to every host at once.
        </p>
      </div>
      <table className="w-full text-sm">
        <thead className="text-left text-muted">
          <tr><th className="py-2">Pos.</th><th>Rule</th><th>Pattern</th><th>Dependency</th><th>Topic</th><th>Severity</th><th>VMs</th><th>State</th><th><span className="sr-only">Manage</span></th></tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.rowId} id={`rule-${r.id}`} className={`border-t border-border align-top ${r.enabled ? "" : "opacity-60"}`} data-rule={r.id}>
              <td className="py-2">{r.position}</td>
              <td className="py-2 font-mono">{r.id}</td>
              <td className="py-2 font-mono text-xs break-all">{r.pattern}{r.problem && <p role="alert" className="text-red-600">not used: {r.problem}</p>}</td>
              <td className="py-2">{r.dependency}</td>
              <td className="py-2">{r.topicName ?? <span className="text-red-600">none</span>}</td>
              <td className="py-2"><span className={`${badge} ${r.severity === "blocker" ? "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200" : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200"}`}>{r.severity}</span></td>
              <td className="py-2">{r.severity === "blocker" ? (use.get(r.id) ?? 0) : ""}</td>
              <td className="py-2">{r.enabled ? "enabled" : "disabled"}</td>
              <td className="space-x-2 py-2 whitespace-nowrap">
                <Link className="text-accent underline" href={`/admin/rules/${r.rowId}`} aria-label={`Edit rule ${r.id}`}>Edit</Link>
                <RuleToggle action={toggleRuleAction} rowId={r.rowId} version={r.version} enabled={r.enabled} id={r.id} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="add-rule">
        <h2 id="add-rule" className="mb-3 text-lg font-semibold">Add a rule</h2>
        <RuleForm action={createRuleAction} topics={topics} initial={{ id: "", pattern: "", dependency: "", description: "", severity: "blocker", topic: topics[0]?.slug ?? null, position: next, enabled: true }} />
      </section>
    </div>
  );
}
