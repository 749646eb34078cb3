/**
 * The evidence for closing items, read from the database: which dependencies an item
 * retires (explicit links to rule ids), the rules as the analysis uses them, and the
 * fleet's stored reads (through lib/hosts/history.ts only).
 */
import { DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";
import { fleetHistory, type HostHistory } from "@/lib/hosts/history";
import { listRules } from "@/lib/hosts/rules";
import { toAuditEntry } from "@/lib/items/history";
import { assessEvidence, EVIDENCE_DAYS, EVIDENCE_LOOKBACK_DAYS, type Evidence, type EvidenceRule } from "./assess";

const DAY_MS = 86_400_000;

export interface RuleContext {
  rules: EvidenceRule[];
  /** Admin edits of rules, newest first. */
  changes: { rule: string; at: Date }[];
}

/** The rules the collector analyses with (the table, or the reference rules while it is empty), with their last admin change. */
export async function evidenceRules(db: DbOrTx = getDb()): Promise<RuleContext> {
  const rows = await listRules(db);
  if (!rows.length)
    return {
      rules: DEFAULT_XS_RULES.map((r) => ({ id: r.id, dependency: r.dependency, topic: r.topic, severity: r.severity, enabled: true, changedAt: null })),
      changes: [],
    };
  const events = await db.auditEvent.findMany({ where: { entity: "xsRule" }, orderBy: { at: "desc" }, select: { entityId: true, at: true }, take: 2000 });
  const keyOf = new Map(rows.map((r) => [r.rowId, r.id]));
  const changes = events.flatMap((e) => (keyOf.has(e.entityId) ? [{ rule: keyOf.get(e.entityId)!, at: e.at }] : []));
  const last = new Map<string, Date>();
  for (const c of changes) if (!last.has(c.rule)) last.set(c.rule, c.at);
  return {
    rules: rows.map((r) => ({
      id: r.id,
      dependency: r.dependency,
      topic: r.topic,
      severity: r.severity,
      enabled: r.enabled && r.problem === null,
      changedAt: last.get(r.id) ?? null,
    })),
    changes,
  };
}

/** The rule ids each item retires. */
export async function linkedRules(itemIds: readonly string[], db: DbOrTx = getDb()): Promise<Map<string, string[]>> {
  const rows = itemIds.length ? await db.actionItemDependency.findMany({ where: { itemId: { in: [...itemIds] } }, orderBy: { ruleKey: "asc" } }) : [];
  const out = new Map<string, string[]>(itemIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.itemId)!.push(r.ruleKey);
  return out;
}

/** The stored reads the evidence looks at: the lookback before now. */
export function evidenceHistory(now: Date, db: DbOrTx = getDb()): Promise<HostHistory[]> {
  return fleetHistory({ from: new Date(now.getTime() - EVIDENCE_LOOKBACK_DAYS * DAY_MS), to: now }, db);
}

/** Evidence for several items at once, over one read of the history (the agenda). Items with no linked dependency are left out. */
export async function evidenceForItems(
  itemIds: readonly string[],
  opts: { now?: Date; days?: number; /** Already read by the caller (the agenda reads them once). */ rules?: RuleContext; history?: HostHistory[] } = {},
  db: DbOrTx = getDb(),
): Promise<Map<string, Evidence>> {
  const now = opts.now ?? new Date();
  const links = await linkedRules(itemIds, db);
  const wanted = [...links.entries()].filter(([, rules]) => rules.length > 0);
  const out = new Map<string, Evidence>();
  if (!wanted.length) return out;
  const [ctx, history] = await Promise.all([opts.rules ?? evidenceRules(db), opts.history ?? evidenceHistory(now, db)]);
  for (const [id, ruleIds] of wanted)
    out.set(id, assessEvidence({ ruleIds, rules: ctx.rules, history, now, days: opts.days ?? EVIDENCE_DAYS, otherRuleChanges: ctx.changes }));
  return out;
}

export interface ItemEvidencePanel {
  linked: { id: string; dependency: string; topic: string | null; usable: boolean }[];
  /** Blocker rules an editor may link, the item's topics' ones first. */
  choices: { id: string; dependency: string; topic: string | null; suggested: boolean }[];
  evidence: Evidence;
  /** The evidence kept when the item was closed on it, if it was. */
  kept: { at: string; actor: string; evidence: Evidence } | null;
}

/** What the item page's evidence panel shows. */
export async function itemEvidencePanel(itemId: string, opts: { now?: Date } = {}, db: DbOrTx = getDb()): Promise<ItemEvidencePanel | null> {
  const now = opts.now ?? new Date();
  const item = await db.actionItem.findUnique({
    where: { id: itemId },
    select: { id: true, topics: { select: { topic: { select: { slug: true } } } }, retires: { select: { ruleKey: true }, orderBy: { ruleKey: "asc" } } },
  });
  if (!item) return null;
  const ctx = await evidenceRules(db);
  const ruleIds = item.retires.map((r) => r.ruleKey);
  const history = ruleIds.length ? await evidenceHistory(now, db) : [];
  const evidence = assessEvidence({ ruleIds, rules: ctx.rules, history, now, otherRuleChanges: ctx.changes });
  const topics = new Set(item.topics.map((t) => t.topic.slug));
  const byId = new Map(ctx.rules.map((r) => [r.id, r]));
  const closing = await db.auditEvent.findFirst({ where: { entity: "actionItem", entityId: itemId, action: "close.evidence" }, orderBy: { at: "desc" } });
  const keptEntry = closing ? toAuditEntry(closing) : null;
  return {
    linked: ruleIds.map((id) => {
      const r = byId.get(id);
      return { id, dependency: r?.dependency ?? "(no such rule)", topic: r?.topic ?? null, usable: !!r && r.enabled && r.severity === "blocker" };
    }),
    choices: ctx.rules
      .filter((r) => r.severity === "blocker" && r.enabled && !ruleIds.includes(r.id))
      .map((r) => ({ id: r.id, dependency: r.dependency, topic: r.topic, suggested: r.topic !== null && topics.has(r.topic) }))
      .sort((a, b) => Number(b.suggested) - Number(a.suggested) || a.id.localeCompare(b.id)),
    evidence,
    kept: keptEntry && keptEntry.detail.evidence ? { at: keptEntry.at, actor: keptEntry.actor, evidence: keptEntry.detail.evidence as Evidence } : null,
  };
}
