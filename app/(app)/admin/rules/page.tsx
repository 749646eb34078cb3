import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { requirePageRole } from "@/lib/auth/guard";
import { listRules } from "@/lib/hosts/rules";
import { topicChoices } from "@/lib/topics/reads";
import { fleetOverview } from "@/lib/hosts/fleet";
import { collectorReady } from "@/lib/hosts/service";
import { RuleForm, RuleToggle } from "@/components/devmodel/RuleForm";
import { SeverityBadge } from "@/components/devmodel/Badges";
import { createRuleAction, toggleRuleAction } from "./actions";
import { BackLink } from "@/components/ui/BackLink";
import { Notice } from "@/components/ui/Notice";
import { linkClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";

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
        <BackLink href="/admin">Admin</BackLink>
        <h1 className="text-2xl font-semibold">XenStore-use rules</h1>
        <p className="text-sm text-muted">
          Each device-model key is classified by the first enabled rule whose pattern matches it (lowest position first). Keys no rule matches are reported as
          unclassified. Changes apply to every host at once.
        </p>
      </div>
      <Table aria-label="Rules">
        <THead>
          <tr>
            <Th>Pos.</Th>
            <Th>Rule</Th>
            <Th>Pattern</Th>
            <Th>Dependency</Th>
            <Th>Topic</Th>
            <Th>Severity</Th>
            <Th>VMs</Th>
            <Th>State</Th>
            <Th>
              <span className="sr-only">Manage</span>
            </Th>
          </tr>
        </THead>
        <tbody>
          {rules.map((r) => (
            <Tr key={r.rowId} id={`rule-${r.id}`} className={r.enabled ? "" : "text-muted"} data-rule={r.id}>
              <Td>{r.position}</Td>
              <Td className="font-mono">{r.id}</Td>
              <Td className="font-mono text-xs break-all">
                {r.pattern}
                {r.problem && (
                  <Notice role="alert" tone="error" plain>
                    not used: {r.problem}
                  </Notice>
                )}
              </Td>
              <Td>{r.dependency}</Td>
              <Td>
                {r.topicName ?? (
                  <Notice as="span" tone="error" plain>
                    none
                  </Notice>
                )}
              </Td>
              <Td>
                <SeverityBadge severity={r.severity} />
              </Td>
              <Td>{r.severity === "blocker" ? (use.get(r.id) ?? 0) : ""}</Td>
              <Td>{r.enabled ? "enabled" : "disabled"}</Td>
              <Td className="space-x-2 whitespace-nowrap">
                <Link className={linkClass} href={`/admin/rules/${r.rowId}`} aria-label={`Edit rule ${r.id}`}>
                  Edit
                </Link>
                <RuleToggle action={toggleRuleAction} rowId={r.rowId} version={r.version} enabled={r.enabled} id={r.id} />
              </Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      <section aria-labelledby="add-rule">
        <h2 id="add-rule" className="mb-3 text-lg font-semibold">
          Add a rule
        </h2>
        <RuleForm
          action={createRuleAction}
          topics={topics}
          initial={{ id: "", pattern: "", dependency: "", description: "", severity: "blocker", topic: topics[0]?.slug ?? null, position: next, enabled: true }}
        />
      </section>
    </div>
  );
}
