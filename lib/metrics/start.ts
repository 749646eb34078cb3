/**
 * Called once from instrumentation.ts: when DMBOARD_METRICS_TOKEN is set, start recording
 * (request latency at the HTTP layer, database query latency); the collector's reads and
 * the live streams report themselves once recording has started.
 */
import { onQuery } from "@/lib/db/observe";
import { log } from "@/lib/log";
import { startHttpMetrics } from "./http";
import { metrics } from "./registry";
import { serveMetricsToSiblings } from "./scrape";
import { metricsSetting } from "./token";

export function startMetrics(): void {
  const setting = metricsSetting();
  if (!setting.on) {
    if (setting.error) log.error({ reason: setting.reason }, "metrics off");
    return;
  }
  const m = metrics();
  startHttpMetrics();
  serveMetricsToSiblings();
  onQuery((seconds, provider) => m.dbQuerySeconds.observe({ provider }, seconds));
  log.info("metrics on at /metrics (bearer token)");
}
