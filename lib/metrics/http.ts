/**
 * Request latency for every request the server answers (pages, server actions, route
 * handlers, static files), timed at the HTTP layer through Node's diagnostics channels:
 * from the request's arrival to the response's last byte, outside Next.js and without
 * touching any route.
 */
import dc from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { metrics } from "./registry";
import { routeOf } from "./routes";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const started = new WeakMap<IncomingMessage, number>();

const onStart = (msg: unknown) => {
  started.set((msg as { request: IncomingMessage }).request, performance.now());
};

const onFinish = (msg: unknown) => {
  const { request, response } = msg as { request: IncomingMessage; response: ServerResponse };
  const t0 = started.get(request);
  if (t0 === undefined) return;
  started.delete(request);
  // A live stream's duration is how long a tab stayed open, not latency.
  if (String(response.getHeader("content-type") ?? "").startsWith("text/event-stream")) return;
  const method = METHODS.has(request.method ?? "") ? request.method! : "OTHER";
  metrics().http.observe({ method, route: routeOf(request.url ?? "/"), status: String(response.statusCode) }, (performance.now() - t0) / 1000);
};

const g = globalThis as unknown as { dmboardHttpMetrics?: boolean };

export function startHttpMetrics(): void {
  if (g.dmboardHttpMetrics) return;
  g.dmboardHttpMetrics = true;
  dc.subscribe("http.server.request.start", onStart);
  dc.subscribe("http.server.response.finish", onFinish);
}
