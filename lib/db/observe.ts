/**
 * Who is told how long each database query took: the metrics (lib/metrics), when they
 * are on; nobody otherwise. Kept on globalThis: Next bundles instrumentation (which
 * subscribes) and the routes (whose queries are timed) separately.
 */
import type { Provider } from "./config";

export type QueryListener = (seconds: number, provider: Provider) => void;

const g = globalThis as unknown as { dmboardQueryListeners?: Set<QueryListener> };
const listeners = () => (g.dmboardQueryListeners ??= new Set());

export function onQuery(fn: QueryListener): () => void {
  listeners().add(fn);
  return () => listeners().delete(fn);
}

/** Called by the client for every query Prisma reports (duration in ms). */
export function reportQuery(ms: number, provider: Provider): void {
  for (const l of listeners()) {
    try {
      l(ms / 1000, provider);
    } catch {
      // a listener must not break a query
    }
  }
}
