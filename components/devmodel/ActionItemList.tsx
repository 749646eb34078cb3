import Link from "@/components/ui/Link";
import { statusLabel } from "@/lib/items/statuses";
import { EmptyState } from "@/components/ui/EmptyState";
import { linkClass } from "@/components/ui/styles";
import { plural } from "@/components/ui/format";

export interface OpenItem {
  id: string;
  text: string;
  status: string;
  target: string | null;
  meetingId: string | null;
  owners: string[];
}

/**
 * Open action items, each with its owners (the items that will retire a dependency); when the
 * list is the first of many, a link to where the rest are.
 */
export function ActionItemList({ items, empty, more }: { items: OpenItem[]; empty?: string; more?: { count: number; href: string } }) {
  if (items.length === 0) return <EmptyState>{empty ?? "No open action item."}</EmptyState>;
  return (
    <ul className="space-y-1 text-sm">
      {items.map((i) => (
        <li key={i.id} data-item={i.id}>
          <span>{i.text}</span>{" "}
          <span className="text-xs text-muted">
            — {i.owners.length ? i.owners.join(", ") : "no owner"} · {statusLabel(i.status)}
            {i.target && ` · target ${i.target}`}
            {i.meetingId && (
              <>
                {" · "}
                <Link className={linkClass} href={`/meetings/${i.meetingId}`}>
                  meeting
                </Link>
              </>
            )}
          </span>
        </li>
      ))}
      {more && more.count > 0 && (
        <li>
          <Link className={linkClass} href={more.href}>
            {plural(more.count, "more open item")}
          </Link>
        </li>
      )}
    </ul>
  );
}
