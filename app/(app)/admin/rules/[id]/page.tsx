import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { listRules } from "@/lib/hosts/rules";
import { topicChoices } from "@/lib/topics/reads";
import { RuleForm } from "@/components/devmodel/RuleForm";
import { updateRuleAction } from "../actions";
import { BackLink } from "@/components/ui/BackLink";
import { Notice } from "@/components/ui/Notice";

export const metadata: Metadata = { title: "Edit rule" };
export const dynamic = "force-dynamic";

export default async function EditRulePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole("admin", `/admin/rules/${id}`);
  const [rules, topics] = await Promise.all([listRules(), topicChoices()]);
  const r = rules.find((x) => x.rowId === id);
  if (!r) notFound();
  return (
    <div className="space-y-6">
      <BackLink href="/admin/rules">Rules</BackLink>
      <h1 className="text-2xl font-semibold">
        Edit rule <span className="font-mono">{r.id}</span>
      </h1>
      {r.problem && (
        <Notice role="alert" tone="error">
          This rule is not used by the analysis: {r.problem}
        </Notice>
      )}
      <RuleForm action={updateRuleAction} topics={topics} initial={r} />
    </div>
  );
}
