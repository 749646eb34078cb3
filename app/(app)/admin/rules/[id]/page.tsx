import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { listRules } from "@/lib/hosts/rules";
import { topicChoices } from "@/lib/topics/reads";
import { RuleForm } from "@/components/devmodel/RuleForm";
import { updateRuleAction } from "../actions";

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
      <p><Link href="/admin/rules" className="text-accent underline">← Rules</Link></p>
      <h1 className="text-2xl font-semibold">Edit rule <span className="font-mono">{r.id}</span></h1>
      {r.problem && <p role="alert" className="text-red-600">This rule is not used by the analysis: {r.problem}</p>}
      <RuleForm action={updateRuleAction} topics={topics} initial={r} />
    </div>
  );
}
