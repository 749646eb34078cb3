import Link from "@/components/ui/Link";
import type { AgendaDraft } from "@/lib/agenda/draft";
import { describeEvidence } from "@/lib/evidence/assess";
import { outcomeLabel } from "@/lib/reviews/outcomes";
import { EvidenceBadge } from "@/components/evidence/EvidenceBadge";
import { OverdueBadge, StatusBadge } from "@/components/items/StatusBadge";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { linkClass } from "@/components/ui/styles";

const vms = (n: number) => `${n} VM${n === 1 ? "" : "s"}`;

/** The draft agenda as the page shows it: items by owner, then topics with the fleet's numbers. */
export function AgendaView({ draft }: { draft: AgendaDraft }) {
  return (
    <div className="space-y-6">
      <Card as="section" aria-labelledby="review-heading">
        <h2 id="review-heading" className="mb-3 text-lg font-semibold">
          Review of previous action points
        </h2>
        {draft.groups.length === 0 ? (
          <EmptyState>Nothing open to review in this series.</EmptyState>
        ) : (
          <div className="space-y-4">
            {draft.groups.map((g) => (
              <section key={g.label} aria-label={`Items of ${g.label}`}>
                <h3 className="font-medium">{g.label}</h3>
                <ul className="mt-1 space-y-2">
                  {g.items.map((i) => (
                    <li key={i.id} className="rounded-md border border-border p-2" data-agenda-item={i.id}>
                      <Link href={`/items/${i.id}`} className={`text-sm ${linkClass}`}>
                        {i.text}
                      </Link>
                      <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-muted">
                        <StatusBadge status={i.status} />
                        {i.overdue && i.dueDate && <OverdueBadge dueDate={i.dueDate} />}
                        {i.dueByMeeting && <Badge tone="warn">Due by this meeting</Badge>}
                        {i.target && <span>Target: {i.target}</span>}
                        {i.dueDate && <span>Due {i.dueDate}</span>}
                        <span>
                          {i.lastReview
                            ? `Last reviewed ${i.lastReview.meetingDate}: ${outcomeLabel(i.lastReview.outcome)}${i.lastReview.note ? ` — ${i.lastReview.note}` : ""}`
                            : "Not reviewed yet"}
                        </span>
                        {i.evidence && <EvidenceBadge evidence={i.evidence} />}
                      </p>
                      {i.evidence?.state === "free" && <p className="mt-1 text-xs">{describeEvidence(i.evidence)}</p>}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
      </Card>

      <Card as="section" aria-labelledby="topics-heading">
        <h2 id="topics-heading" className="mb-3 text-lg font-semibold">
          Topics
        </h2>
        {draft.topics.length === 0 ? (
          <EmptyState>No open items and nothing measured.</EmptyState>
        ) : (
          <ul className="space-y-3">
            {draft.topics.map((t) => (
              <li key={t.slug} data-agenda-topic={t.slug}>
                <p className="text-sm">
                  <Link href={`/topics/${t.slug}`} className={`font-medium ${linkClass}`}>
                    {t.name}
                  </Link>
                  {t.openItems > 0 && (
                    <span className="text-muted">
                      {" "}
                      — {t.openItems} open item{t.openItems === 1 ? "" : "s"}
                    </span>
                  )}
                </p>
                <ul className="ml-4 list-disc text-sm">
                  {t.measures.map((m) => (
                    <li key={m.ruleId} data-measure={m.ruleId}>
                      <Link href={`/vms?dep=${encodeURIComponent(m.ruleId)}`} className={`font-mono ${linkClass}`}>
                        {m.ruleId}
                      </Link>{" "}
                      ({m.label}): {vms(m.now)}
                      {m.was !== null && <span className="text-muted">, was {m.was}</span>}
                    </li>
                  ))}
                  {t.unclassified && t.unclassified.keys > 0 && (
                    <li data-measure="unclassified">
                      unclassified XenStore uses: {t.unclassified.keys} key{t.unclassified.keys === 1 ? "" : "s"}
                      {t.unclassified.new.length > 0 ? (
                        <>
                          , {t.unclassified.new.length} new since the last meeting:{" "}
                          {t.unclassified.new.map((n) => (
                            <span key={n.pattern} className="mr-2 font-mono text-xs">
                              {n.pattern} ({vms(n.vmCount)})
                            </span>
                          ))}
                        </>
                      ) : draft.lastMeeting ? (
                        <span className="text-muted">, none new since the last meeting</span>
                      ) : null}
                    </li>
                  )}
                </ul>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-3 text-xs text-muted">
          {draft.fleet.hostsWatched
            ? `${draft.fleet.hostsRead} of ${draft.fleet.hostsWatched} host${draft.fleet.hostsWatched === 1 ? "" : "s"} read`
            : "No host is registered"}
          {draft.fleet.wasAt && <>; “was” is at the last meeting ({draft.fleet.wasAt.slice(0, 16).replace("T", " ")} UTC)</>}.
        </p>
        {draft.fleet.notes.length > 0 && (
          <ul className="mt-1 text-xs text-muted">
            {draft.fleet.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
