import type { Metadata } from "next";
import Link from "@/components/ui/Link";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { getItem, itemChoices, itemSnapshot } from "@/lib/items/reads";
import { ItemMeta } from "@/components/items/ItemMeta";
import { AuditHistory, ReviewTimeline } from "@/components/items/ItemHistory";
import { ItemEditForm } from "@/components/items/ItemEditForm";
import { AddLinkForm, LinkList } from "@/components/items/ItemLinks";
import { Card } from "@/components/ui/Card";
import { linkClass } from "@/components/ui/styles";
import { addLinkAction, removeLinkAction, updateItemAction } from "../actions";
import { BackLink } from "@/components/ui/BackLink";
import { itemEvidencePanel } from "@/lib/evidence/reads";
import { isOpenStatus } from "@/lib/items/statuses";
import { EvidencePanel } from "@/components/evidence/EvidencePanel";
import { closeByEvidenceAction, linkDependencyAction, unlinkDependencyAction } from "../evidence-actions";

export const metadata: Metadata = { title: "Action item" };
export const dynamic = "force-dynamic";

export default async function ItemPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const actor = await requirePageRole("viewer", `/items/${id}`);
  const [item, snapshot, choices, sp, evidence] = await Promise.all([getItem(id), itemSnapshot(id), itemChoices(), searchParams, itemEvidencePanel(id)]);
  if (!item || !snapshot) notFound();
  const canEdit = roleAtLeast(actor.role, "editor");
  const saved = typeof sp.saved === "string" && Number(sp.saved) === item.version;
  return (
    <div className="space-y-6">
      <BackLink href="/items">All action items</BackLink>
      <header className="space-y-2">
        <h1 className="whitespace-pre-wrap text-2xl font-semibold">{item.text}</h1>
        <ItemMeta item={item} showStatus />
        <p className="text-sm text-muted">
          {item.series.name}
          {item.meeting && (
            <>
              {" "}
              · created in{" "}
              <Link href={`/meetings/${item.meeting.id}`} className={linkClass}>
                {item.meeting.title}
              </Link>{" "}
              ({item.meeting.date})
            </>
          )}
          {item.closedAt && <> · closed {item.closedAt.slice(0, 10)}</>} · version {item.version}
        </p>
        {saved && (
          <p role="status" className="text-sm text-green-700 dark:text-green-400">
            Saved (version {item.version}).
          </p>
        )}
      </header>

      {canEdit && (
        <Card as="section" aria-labelledby="edit-heading">
          <h2 id="edit-heading" className="mb-3 text-lg font-semibold">
            Edit
          </h2>
          <ItemEditForm
            key={snapshot.version}
            item={snapshot}
            action={updateItemAction}
            people={choices.people.map((p) => ({ id: p.id, name: p.displayName }))}
            topics={choices.topics.map((t) => ({ id: t.id, name: t.name }))}
          />
        </Card>
      )}

      <section aria-labelledby="links-heading" className="space-y-3">
        <h2 id="links-heading" className="text-lg font-semibold">
          Links
        </h2>
        <LinkList itemId={item.id} links={item.links} removeAction={canEdit ? removeLinkAction : undefined} />
        {canEdit && <AddLinkForm itemId={item.id} action={addLinkAction} />}
      </section>

      {evidence && (
        <section aria-labelledby="evidence-heading" className="space-y-3">
          <h2 id="evidence-heading" className="text-lg font-semibold">
            Evidence from the fleet
          </h2>
          <EvidencePanel
            itemId={item.id}
            version={item.version}
            open={isOpenStatus(item.status)}
            canEdit={canEdit}
            panel={evidence}
            linkAction={linkDependencyAction}
            unlinkAction={unlinkDependencyAction}
            closeAction={closeByEvidenceAction}
          />
        </section>
      )}

      <section aria-labelledby="timeline-heading" className="space-y-3">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline across meetings
        </h2>
        <ReviewTimeline entries={item.timeline} />
      </section>

      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        <AuditHistory entries={item.history} />
      </section>
    </div>
  );
}
