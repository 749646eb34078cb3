/**
 * Shown inside the shell while a page's data loads (every page reads the database or
 * the collector per request): the navigation answers at once, and screen readers hear
 * that the page is on its way.
 */
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4" data-testid="page-loading">
      <p className="text-sm text-muted">Loading…</p>
      <div aria-hidden className="space-y-3">
        <div className="h-8 w-64 animate-pulse rounded-md bg-border" />
        <div className="h-24 w-full animate-pulse rounded-lg bg-border" />
        <div className="h-24 w-full animate-pulse rounded-lg bg-border" />
      </div>
    </div>
  );
}
