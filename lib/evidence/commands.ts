/**
 * Which dependencies an item retires, and closing it on the fleet's evidence: each one
 * transaction with its audit event. Nothing closes by itself; an editor closes, and the
 * evidence that held at that moment is kept in the item's history.
 */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import { itemSnapshot } from "@/lib/items/reads";
import { isOpenStatus } from "@/lib/items/statuses";
import { assessEvidence, describeEvidence, type Evidence } from "./assess";
import { evidenceHistory, evidenceRules } from "./reads";

export interface EvidenceActor {
  userId: string;
  email: string;
}

const notFoundItem = () => new DomainError("NOT_FOUND", "This action item does not exist (any more).");

/** Link a blocker rule the item retires. Linking one already linked changes nothing. */
export async function linkDependency(itemId: string, rule: string, actor: EvidenceActor, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    if (!(await tx.actionItem.findUnique({ where: { id: itemId }, select: { id: true } }))) throw notFoundItem();
    const r = (await evidenceRules(tx)).rules.find((x) => x.id === rule);
    if (!r) throw new DomainError("INVALID", "No such rule.", undefined, { rule: [`No rule "${rule}"`] });
    if (r.severity !== "blocker")
      throw new DomainError("INVALID", "Only a blocker can be retired.", undefined, { rule: [`${rule} is informational: the stored reads do not count it`] });
    if (await tx.actionItemDependency.findUnique({ where: { itemId_ruleKey: { itemId, ruleKey: rule } } })) return;
    await tx.actionItemDependency.create({ data: { itemId, ruleKey: rule } });
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "dependency.link", { rule, dependency: r.dependency });
  });
}

export async function unlinkDependency(itemId: string, rule: string, actor: EvidenceActor, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const res = await tx.actionItemDependency.deleteMany({ where: { itemId, ruleKey: rule } });
    if (res.count) await audit(tx, auditActorOf(actor), "actionItem", itemId, "dependency.unlink", { rule });
  });
}

/**
 * Close the item as done because the fleet shows its dependencies gone. The evidence is
 * assessed again inside the transaction (not taken from the page the editor saw), must
 * be "free", and is kept in the audit event. The item must still be at `expectedVersion`.
 */
export async function closeByEvidence(
  itemId: string,
  expectedVersion: number,
  actor: EvidenceActor,
  opts: { now?: Date } = {},
  db: DbOrTx = getDb(),
): Promise<{ version: number; evidence: Evidence }> {
  const now = opts.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const item = await tx.actionItem.findUnique({
      where: { id: itemId },
      select: { id: true, status: true, version: true, retires: { select: { ruleKey: true } } },
    });
    if (!item) throw notFoundItem();
    if (item.version !== expectedVersion)
      throw new DomainError("CONFLICT", "Someone else changed this action item; reload to see it.", await itemSnapshot(itemId, tx));
    if (!isOpenStatus(item.status)) throw new DomainError("INVALID", `This item is already ${item.status}.`);
    const [ctx, history] = await Promise.all([evidenceRules(tx), evidenceHistory(now, tx)]);
    const evidence = assessEvidence({ ruleIds: item.retires.map((r) => r.ruleKey), rules: ctx.rules, history, now, otherRuleChanges: ctx.changes });
    if (evidence.state !== "free") throw new DomainError("INVALID", `The fleet does not show it gone: ${describeEvidence(evidence)}`);
    const res = await tx.actionItem.updateMany({
      where: { id: itemId, version: expectedVersion },
      data: { status: "done", closedAt: now, version: { increment: 1 } },
    });
    if (res.count === 0) throw new DomainError("CONFLICT", "Someone else changed this action item; reload to see it.", await itemSnapshot(itemId, tx));
    await audit(tx, auditActorOf(actor), "actionItem", itemId, "close.evidence", {
      status: { from: item.status, to: "done" },
      summary: describeEvidence(evidence),
      evidence,
    });
    return { version: expectedVersion + 1, evidence };
  });
}
