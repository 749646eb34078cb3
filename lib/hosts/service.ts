/**
 * The process-wide collector of the running server: started by instrumentation.ts (or
 * lazily by the first page that needs it), reloaded when admins change hosts or rules,
 * stopped on SIGTERM. Kept on globalThis: Next bundles instrumentation and each route
 * separately, and they must all see the same one.
 */
import { DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { observeCollectorRead } from "@/lib/metrics/registry";
import { Collector } from "./collector";
import { loadHostConfigs } from "./hosts";
import { DbSink } from "./persist";
import { loadActiveRules } from "./rules";

const g = globalThis as unknown as { dmboardCollector?: { collector: Collector; started: Promise<void>; reloadTimer: NodeJS.Timeout } };

/** How often the host list is re-read from the database even without an edit (another process may have changed it). */
const RELOAD_MS = 60_000;

export function getCollector(): Collector {
  if (!g.dmboardCollector) {
    const db = getDb();
    const collector = new Collector({ sink: new DbSink(db), onRead: observeCollectorRead });
    const started = reloadInto(collector).catch((err) => log.error({ err }, "collector: initial load failed"));
    const reloadTimer = setInterval(() => void reloadInto(collector).catch((err) => log.warn({ err }, "collector: reload failed")), RELOAD_MS);
    reloadTimer.unref();
    g.dmboardCollector = { collector, started, reloadTimer };
  }
  return g.dmboardCollector.collector;
}

/** The collector if this process runs one (never starts it: the metrics ask, and DMBOARD_COLLECTOR=off must hold). */
export function runningCollector(): Collector | null {
  return g.dmboardCollector?.collector ?? null;
}

/** The collector after its hosts were loaded (pages await this so the first view is not empty for no reason). */
export async function collectorReady(maxWaitMs = 3000): Promise<Collector> {
  const c = getCollector();
  await g.dmboardCollector!.started;
  await c.ready(maxWaitMs);
  return c;
}

async function reloadInto(c: Collector): Promise<void> {
  const db = getDb();
  const [hosts, active, total] = await Promise.all([loadHostConfigs(db), loadActiveRules(db), db.xsRule.count()]);
  // An unseeded table means the reference rules; otherwise exactly the enabled rows.
  const rules = total === 0 ? DEFAULT_XS_RULES : active;
  const current = c.rules.rules.map((r) => ({
    id: r.id,
    pattern: r.pattern,
    dependency: r.dependency,
    topic: r.topic,
    description: r.description,
    severity: r.severity,
  }));
  if (JSON.stringify(rules) !== JSON.stringify(current)) c.setRules(rules);
  c.setHosts(hosts);
}

/** After an admin edit of hosts or rules. */
export async function reloadCollector(): Promise<void> {
  if (!g.dmboardCollector) return;
  await reloadInto(g.dmboardCollector.collector);
}

export async function stopCollector(): Promise<void> {
  const s = g.dmboardCollector;
  if (!s) return;
  g.dmboardCollector = undefined;
  clearInterval(s.reloadTimer);
  await s.collector.stop();
}

/** Called once from instrumentation.ts. */
export function startCollectorService(): void {
  getCollector();
  log.info("device-model collector started");
  const stop = () => void stopCollector();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
