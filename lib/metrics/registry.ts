/**
 * The metrics dmboard exports (prom-client), one registry per process (with several worker
 * processes, /metrics adds theirs up: lib/metrics/scrape.ts). Kept on
 * globalThis: Next bundles instrumentation (which times requests, reads and queries) and
 * the /metrics route separately, and they must fill and read the same series.
 *
 *   dmboard_http_request_duration_seconds{method,route,status}    every HTTP request but event streams
 *   dmboard_collector_reads_total{host,outcome}                   finished reads of a Xen host
 *   dmboard_collector_read_duration_seconds{host,outcome}
 *   dmboard_host_up{host}                                          1 when the host's last read is good and recent
 *   dmboard_sse_clients                                            open live streams (/api/live)
 *   dmboard_db_query_duration_seconds{provider}                    every database query (Prisma)
 *   dmboard_backup_last_timestamp_seconds, dmboard_backup_last_size_bytes   the newest scheduled backup (0: none)
 *   process_*, nodejs_*                                            prom-client's default process metrics
 */
import client from "prom-client";

export interface Metrics {
  registry: client.Registry;
  http: client.Histogram<"method" | "route" | "status">;
  collectorReads: client.Counter<"host" | "outcome">;
  collectorReadSeconds: client.Histogram<"host" | "outcome">;
  hostUp: client.Gauge<"host">;
  sseClients: client.Gauge;
  dbQuerySeconds: client.Histogram<"provider">;
  backupLastTimestamp: client.Gauge;
  backupLastBytes: client.Gauge;
}

function create(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // Gauges that prom-client names *_total (a counter's suffix: promtool's lint rejects them);
  // the same counts stay available per type in nodejs_active_handles and friends.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) registry.removeSingleMetric(name);
  const registers = [registry];
  return {
    registry,
    http: new client.Histogram({
      name: "dmboard_http_request_duration_seconds",
      help: "HTTP request latency by route (event streams excluded: see dmboard_sse_clients)",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    collectorReads: new client.Counter({
      name: "dmboard_collector_reads_total",
      help: "Finished reads of a Xen host (XenStore, QMP, /proc), by outcome",
      labelNames: ["host", "outcome"],
      registers,
    }),
    collectorReadSeconds: new client.Histogram({
      name: "dmboard_collector_read_duration_seconds",
      help: "How long a read of a Xen host took, by outcome",
      labelNames: ["host", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    // States every worker reads alike (DMBOARD_WORKERS): /metrics takes one value, not their sum.
    hostUp: new client.Gauge({
      name: "dmboard_host_up",
      help: "1 when the host's last read succeeded and is recent, else 0",
      labelNames: ["host"],
      aggregator: "max",
      registers,
    }),
    sseClients: new client.Gauge({ name: "dmboard_sse_clients", help: "Open live-update streams (server-sent events)", registers }),
    dbQuerySeconds: new client.Histogram({
      name: "dmboard_db_query_duration_seconds",
      help: "Database query latency, as Prisma reports it",
      labelNames: ["provider"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    backupLastTimestamp: new client.Gauge({
      name: "dmboard_backup_last_timestamp_seconds",
      help: "When the newest scheduled backup was taken (Unix time); 0 when there is none",
      aggregator: "max",
      registers,
    }),
    backupLastBytes: new client.Gauge({ name: "dmboard_backup_last_size_bytes", help: "Size of the newest scheduled backup", aggregator: "max", registers }),
  };
}

const g = globalThis as unknown as { dmboardMetrics?: Metrics };

export function metrics(): Metrics {
  return (g.dmboardMetrics ??= create());
}

/** Whether anything has started recording (metrics on in this process). */
export const metricsStarted = () => g.dmboardMetrics !== undefined;

export type ReadOutcome = "ok" | "error";

/** The collector's hook (lib/hosts/service.ts wires it): one finished read of a host. */
export function observeCollectorRead(read: { host: string; outcome: ReadOutcome; durationMs: number }): void {
  if (!metricsStarted()) return;
  const m = metrics();
  const labels = { host: read.host, outcome: read.outcome };
  m.collectorReads.inc(labels);
  m.collectorReadSeconds.observe(labels, read.durationMs / 1000);
}

/** A live stream opened (app/api/live); call the returned function once when it closes. */
export function trackSseClient(): () => void {
  if (!metricsStarted()) return () => {};
  const gauge = metrics().sseClients;
  gauge.inc();
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    gauge.dec();
  };
}
