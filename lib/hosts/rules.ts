/**
 * XenStore-use rules in the database: seeded from the analysis' reference rules, edited
 * by admins, loaded in order by the collector.
 */
import { DEFAULT_XS_RULES, isTopicSlug, xsRuleSchema, type XsRule } from "@/lib/devmodel/analysis";
import { audit, type AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { Db, DbOrTx, Tx } from "@/lib/db/types";
import type { RuleInput } from "./schemas";

const POSITION_STEP = 10;

/**
 * Insert every reference rule that is not in the table yet (admin edits are kept). Returns
 * how many were added. A rule whose topic is not in the topic table is an error that
 * names both (it would otherwise be stored without a topic and never used).
 */
export async function seedXsRules(db: Db, rules: readonly XsRule[] = DEFAULT_XS_RULES): Promise<number> {
  const topics = new Map((await db.topic.findMany({ select: { id: true, slug: true } })).map((t) => [t.slug, t.id]));
  const have = new Set((await db.xsRule.findMany({ select: { key: true } })).map((r) => r.key));
  const missing = rules.filter((r) => !have.has(r.id) && !topics.has(r.topic));
  if (missing.length) {
    throw new Error(
      `XenStore rule${missing.length > 1 ? "s" : ""} ${missing.map((r) => `"${r.id}" (topic "${r.topic}")`).join(", ")}: no such topic; the topics are ${[...topics.keys()].join(", ")}`,
    );
  }
  let added = 0;
  for (const [i, r] of rules.entries()) {
    if (have.has(r.id)) continue;
    await db.xsRule.create({
      data: {
        key: r.id,
        pattern: r.pattern,
        dependency: r.dependency,
        description: r.description,
        severity: r.severity,
        topicId: topics.get(r.topic)!,
        position: (i + 1) * POSITION_STEP,
        enabled: true,
      },
    });
    added++;
  }
  return added;
}

export interface RuleRow {
  rowId: string;
  id: string;
  pattern: string;
  dependency: string;
  description: string;
  severity: "blocker" | "info";
  topic: string | null;
  topicName: string | null;
  position: number;
  enabled: boolean;
  version: number;
  updatedAt: Date;
  /** Why this rule is not used by the analysis, when it is not (bad pattern, topic missing). */
  problem: string | null;
}

export async function listRules(db: DbOrTx = getDb()): Promise<RuleRow[]> {
  const rows = await db.xsRule.findMany({ orderBy: [{ position: "asc" }, { key: "asc" }], include: { topic: { select: { slug: true, name: true } } } });
  return rows.map((r) => {
    const rule = { id: r.key, pattern: r.pattern, dependency: r.dependency, topic: r.topic?.slug ?? "", description: r.description, severity: r.severity };
    const parsed = xsRuleSchema.safeParse(rule);
    // No topic at all is said plainly (the schema's message would only list the topics).
    const problems = parsed.success ? [] : parsed.error.issues.filter((i) => r.topic || i.path[0] !== "topic").map((i) => `${i.path.join(".")}: ${i.message}`);
    if (!r.topic) problems.push("topic: none is set; choose the topic whose work retires this dependency");
    return {
      rowId: r.id,
      id: r.key,
      pattern: r.pattern,
      dependency: r.dependency,
      description: r.description,
      severity: r.severity === "info" ? "info" : "blocker",
      topic: r.topic?.slug ?? null,
      topicName: r.topic?.name ?? null,
      position: r.position,
      enabled: r.enabled,
      version: r.version,
      updatedAt: r.updatedAt,
      problem: problems.length ? problems.join("; ") : null,
    };
  });
}

/** The enabled, valid rules in order: what the collector analyses with. */
export async function loadActiveRules(db: DbOrTx): Promise<XsRule[]> {
  return (await listRules(db))
    .filter((r) => r.enabled && r.problem === null && r.topic !== null && isTopicSlug(r.topic))
    .map((r) => ({
      id: r.id,
      pattern: r.pattern,
      dependency: r.dependency,
      topic: r.topic as XsRule["topic"],
      description: r.description,
      severity: r.severity,
    }));
}

async function topicIdFor(db: Pick<Tx, "topic">, slug: string): Promise<string> {
  const t = await db.topic.findUnique({ where: { slug }, select: { id: true } });
  if (!t) throw new DomainError("INVALID", `topic "${slug}" does not exist`, undefined, { topic: [`topic "${slug}" does not exist`] });
  return t.id;
}

function dataOf(input: RuleInput, topicId: string) {
  return {
    key: input.id,
    pattern: input.pattern,
    dependency: input.dependency,
    description: input.description,
    severity: input.severity,
    topicId,
    position: input.position,
    enabled: input.enabled,
  };
}

export async function createRule(actor: AuditActor, input: RuleInput, db: DbOrTx = getDb()): Promise<{ rowId: string }> {
  return inTransaction(db, async (tx) => {
    if (await tx.xsRule.findUnique({ where: { key: input.id } }))
      throw new DomainError("INVALID", `a rule with id "${input.id}" exists`, undefined, { id: [`a rule with id "${input.id}" exists`] });
    const row = await tx.xsRule.create({ data: dataOf(input, await topicIdFor(tx, input.topic)) });
    await audit(tx, actor, "xsRule", row.id, "create", { ...input });
    return { rowId: row.id };
  });
}

export async function updateRule(
  actor: AuditActor,
  rowId: string,
  version: number,
  input: RuleInput,
  db: DbOrTx = getDb(),
): Promise<{ rowId: string; version: number }> {
  return inTransaction(db, async (tx) => {
    const cur = await tx.xsRule.findUnique({ where: { id: rowId } });
    if (!cur) throw new DomainError("NOT_FOUND", "No such rule");
    if (cur.key !== input.id && (await tx.xsRule.findUnique({ where: { key: input.id } })))
      throw new DomainError("INVALID", `a rule with id "${input.id}" exists`, undefined, { id: [`a rule with id "${input.id}" exists`] });
    const res = await tx.xsRule.updateMany({
      where: { id: rowId, version },
      data: { ...dataOf(input, await topicIdFor(tx, input.topic)), version: { increment: 1 } },
    });
    if (res.count === 0) throw new DomainError("CONFLICT", "Someone else changed this rule; reload to see their version.", { version: cur.version });
    await audit(tx, actor, "xsRule", rowId, "update", {
      before: { id: cur.key, pattern: cur.pattern, dependency: cur.dependency, severity: cur.severity, enabled: cur.enabled, position: cur.position },
      after: { ...input },
    });
    return { rowId, version: version + 1 };
  });
}

export async function setRuleEnabled(actor: AuditActor, rowId: string, version: number, enabled: boolean, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const res = await tx.xsRule.updateMany({ where: { id: rowId, version }, data: { enabled, version: { increment: 1 } } });
    if (res.count === 0) {
      const cur = await tx.xsRule.findUnique({ where: { id: rowId } });
      if (!cur) throw new DomainError("NOT_FOUND", "No such rule");
      throw new DomainError("CONFLICT", "Someone else changed this rule; reload to see their version.", { version: cur.version });
    }
    await audit(tx, actor, "xsRule", rowId, enabled ? "enable" : "disable", {});
  });
}
