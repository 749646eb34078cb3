/**
 * What GET /metrics answers: the registry in Prometheus' text format, with the gauges
 * that are states (hosts up, the newest backup) read at scrape time. With several worker
 * processes (DMBOARD_WORKERS) a scrape reaches one of them: it asks every worker for its
 * series and answers their aggregate (counts and histograms added up, states once), so
 * Prometheus sees the server, whichever process answered.
 */
import client from "prom-client";
import { listBackups, scheduleSetting } from "@/lib/backup/schedule";
import { callWorker, serveMethod, workerIndex, type WorkerResult } from "@/lib/cluster/workers";
import { runningCollector } from "@/lib/hosts/service";
import { log } from "@/lib/log";
import { metrics } from "./registry";

type Series = Awaited<ReturnType<client.Registry["getMetricsAsJSON"]>>;

function readStates(): void {
  const m = metrics();
  m.hostUp.reset();
  for (const s of runningCollector()?.states() ?? []) m.hostUp.set({ host: s.host.name }, s.status === "ok" ? 1 : 0);
  m.backupLastTimestamp.reset();
  m.backupLastBytes.reset();
  const setting = scheduleSetting();
  const newest = setting.on ? listBackups(setting.schedule.dir)[0] : undefined;
  if (newest) {
    m.backupLastTimestamp.set(newest.at.getTime() / 1000);
    m.backupLastBytes.set(newest.bytes);
  }
}

/** Each worker answers a sibling's scrape with its own series (instrumentation.ts, when metrics are on). */
export function serveMetricsToSiblings(): void {
  if (workerIndex() === null) return;
  serveMethod("metrics.json", async () => {
    readStates();
    return metrics().registry.getMetricsAsJSON();
  });
}

export async function scrape(): Promise<{ body: string; contentType: string }> {
  if (workerIndex() === null) {
    readStates();
    const m = metrics();
    return { body: await m.registry.metrics(), contentType: m.registry.contentType };
  }
  const answers = await callWorker<WorkerResult<Series>[]>("all", "metrics.json");
  const missing = answers.filter((a) => !a.ok);
  // A worker restarting is left out of this scrape (its counters restart anyway); said in the log.
  if (missing.length) log.warn({ workers: missing.map((a) => a.worker), error: missing[0].error }, "metrics: some workers did not answer");
  const sum = client.AggregatorRegistry.aggregate(answers.filter((a) => a.ok).map((a) => a.value!));
  return { body: await sum.metrics(), contentType: sum.contentType };
}
