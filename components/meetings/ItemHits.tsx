import Link from "next/link";
import type { SearchHit } from "@/lib/search/search";

/** Action items matching the same search (one search interface for minutes and items). */
export function ItemHits({ hits, q }: { hits: SearchHit[]; q: string }) {
  return (
    <section aria-labelledby="item-hits" className="space-y-2">
      <h2 id="item-hits" className="text-lg font-semibold">Action items matching “{q}”</h2>
      {hits.length === 0 ? (
        <p className="text-sm text-muted">None.</p>
      ) : (
        <ul className="divide-y divide-border rounded-lg border border-border bg-card">
          {hits.map((h) => (
            <li key={h.id} className="p-3 text-sm">
              <Link href={`/items/${h.id}`} className="underline-offset-2 hover:underline">
                <span className="search-snippet" data-testid="item-snippet" dangerouslySetInnerHTML={{ __html: h.snippet }} />
              </Link>
              {h.meetingId && h.date && (
                <span className="ml-2 text-xs text-muted">
                  from <Link href={`/meetings/${h.meetingId}`} className="underline">{h.date}</Link>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
