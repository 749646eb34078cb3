import Link from "next/link";
import { statusLabel } from "@/lib/items/statuses";
import { EmptyState } from "@/components/ui/EmptyState";
import { linkClass } from "@/components/ui/styles";

export interface OpenItem {
  id: string;
  text: string;
  status: string;
  target: string | null;
  meetingId: string | null;
  owners: string[];
}

/** Open action items, each with its owners (the items that will retire a dependency). */
export function ActionItemList({ items, empty }: { items: OpenItem[]; empty?: string }) {
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
    </ul>
  );
}
