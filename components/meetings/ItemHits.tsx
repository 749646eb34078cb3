import Link from "@/components/ui/Link";
import type { SearchHit } from "@/lib/search/search";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { linkClass } from "@/components/ui/styles";

/** Action items matching the same search (one search interface for minutes and items). */
export function ItemHits({ hits, q }: { hits: SearchHit[]; q: string }) {
  return (
    <section aria-labelledby="item-hits" className="space-y-2">
      <h2 id="item-hits" className="text-lg font-semibold">
        Action items matching “{q}”
      </h2>
      {hits.length === 0 ? (
        <EmptyState>None.</EmptyState>
      ) : (
        <Card as="ul" padding="none" className="divide-y divide-border">
          {hits.map((h) => (
            <li key={h.id} className="p-3 text-sm">
              <Link href={`/items/${h.id}`} className={linkClass}>
                <span className="search-snippet" data-testid="item-snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
              </Link>
              {h.meetingId && h.date && (
                <span className="ml-2 text-xs text-muted">
                  from{" "}
                  <Link href={`/meetings/${h.meetingId}`} className={linkClass}>
                    {h.date}
                  </Link>
                </span>
              )}
            </li>
          ))}
        </Card>
      )}
    </section>
  );
}
