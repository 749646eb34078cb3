import Link from "@/components/ui/Link";
import type { ItemSummary } from "@/lib/items/summary";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { titleLinkClass } from "@/components/ui/styles";
import { ItemMeta } from "./ItemMeta";

/** A read-only list of items (person and topic pages). */
export function ItemList({ items, label, empty }: { items: ItemSummary[]; label: string; empty: string }) {
  if (!items.length) return <EmptyState>{empty}</EmptyState>;
  return (
    <Card as="ul" padding="none" className="divide-y divide-border" aria-label={label}>
      {items.map((i) => (
        <li key={i.id} className="space-y-1 p-3">
          <Link href={`/items/${i.id}`} className={titleLinkClass}>
            {i.text}
          </Link>
          <ItemMeta item={i} showStatus />
        </li>
      ))}
    </Card>
  );
}
