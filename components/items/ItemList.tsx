import Link from "next/link";
import type { ItemSummary } from "@/lib/items/summary";
import { ItemMeta } from "./ItemMeta";
import { linkClass } from "./styles";

/** A read-only list of items (person and topic pages). */
export function ItemList({ items, label, empty }: { items: ItemSummary[]; label: string; empty: string }) {
  if (!items.length) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <ul className="divide-y divide-border rounded-lg border border-border bg-card" aria-label={label}>
      {items.map((i) => (
        <li key={i.id} className="space-y-1 p-3">
          <Link href={`/items/${i.id}`} className={`font-medium ${linkClass}`}>{i.text}</Link>
          <ItemMeta item={i} showStatus />
        </li>
      ))}
    </ul>
  );
}
