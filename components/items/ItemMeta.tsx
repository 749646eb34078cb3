import Link from "@/components/ui/Link";
import type { ItemSummary } from "@/lib/items/summary";
import { chipClass, linkClass } from "@/components/ui/styles";
import { OverdueBadge, StatusBadge } from "./StatusBadge";

/** Owners, target/due date and topics of an item, as links to their pages. */
export function ItemMeta({ item, showStatus = false }: { item: ItemSummary; showStatus?: boolean }) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      {showStatus && <StatusBadge status={item.status} />}
      {item.overdue && item.dueDate && <OverdueBadge dueDate={item.dueDate} />}
      <span>
        <span className="sr-only">Owners: </span>
        {item.owners.length ? (
          item.owners.map((o, k) => (
            <span key={o.id}>
              {k > 0 && ", "}
              <Link href={`/people/${o.id}`} className={linkClass}>
                {o.displayName}
              </Link>
            </span>
          ))
        ) : (
          <span className="text-muted">No owner</span>
        )}
      </span>
      {item.target && <span className="text-muted">Target: {item.target}</span>}
      {item.dueDate && (
        <span className="text-muted">
          Due: <time dateTime={item.dueDate}>{item.dueDate}</time>
        </span>
      )}
      {item.topics.map((t) => (
        <Link key={t.slug} href={`/topics/${t.slug}`} className={chipClass}>
          {t.name}
        </Link>
      ))}
    </div>
  );
}
