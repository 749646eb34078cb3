/**
 * The process-wide collector of the running server: started by instrumentation.ts (or
 * lazily by the first page that needs it), reloaded when admins change hosts or rules,
 * stopped on SIGTERM. Kept on globalThis: Next bundles instrumentation and each route
 * separately, and they must all see the same one.
 *
 * On SQLite the collector is the live view (in memory, one instance). On PostgreSQL several
 * instances may serve one board: the collector reads only the hosts this instance holds the
 * lease of, and pages read every host's state from the database (lib/hosts/shared.ts).
 * DMBOARD_LIVE=memory keeps the in-memory view on PostgreSQL too (a single instance).
 * With several worker processes (DMBOARD_WORKERS) and an in-memory view, the lead worker
 * collects and the others mirror it (lib/hosts/mirror.ts); on PostgreSQL each worker is an
 * instance like any other.
 */
import { DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { getDb } from "@/lib/db/client";
import { resolveDbConfig } from "@/lib/db/config";
import { log } from "@/lib/log";
import { observeCollectorRead } from "@/lib/metrics/registry";
import { Collector } from "./collector";
import { loadHostConfigs } from "./hosts";
import { DbSink } from "./persist";
import { loadActiveRules } from "./rules";
import { SharedLive, type LiveView } from "./shared";
import { announceHosts, MirrorLive, mirrorCollector } from "./mirror";
import { broadcast, isLeadWorker, onBroadcast, workerIndex } from "@/lib/cluster/workers";

interface Service {
  collector: Collector;
  shared: SharedLive | null;
  /** A worker that shows the lead's reads instead of reading (see the head comment). */
  mirror: MirrorLive | null;
  view: LiveView;
  started: Promise<void>;
  reloadTimer: NodeJS.Timeout;
}
const g = globalThis as unknown as { dmboardCollector?: Service };

/** Whether this server may read hosts at all: DMBOARD_COLLECTOR=off says it must not (it still shows them). */
export function collectorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DMBOARD_COLLECTOR !== "off";
}

/** Whether this server shares the live state through PostgreSQL (see the head comment). */
export function sharedLiveWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return resolveDbConfig(env).provider === "postgresql" && env.DMBOARD_LIVE !== "memory";
}

/** How often the host list is re-read from the database even without an edit (another process may have changed it). */
const RELOAD_MS = 60_000;

function service(): Service {
  if (!g.dmboardCollector) {
    const db = getDb();
    const collector = new Collector({ sink: new DbSink(db), onRead: observeCollectorRead });
    let shared: SharedLive | null = null;
    if (sharedLiveWanted()) {
      shared = new SharedLive({
        url: resolveDbConfig().url,
        collector,
        // A read-only instance shows what the others read.
        collect: collectorWanted(),
        onReload: () => void reloadInto(collector, shared, null).catch((err) => log.warn({ err }, "collector: reload failed")),
      });
      log.info({ instance: shared.owner }, "live state shared through PostgreSQL: this instance reads the hosts it holds the lease of");
    }
    const sh = shared;
    const mirror = !shared && !isLeadWorker() ? new MirrorLive(() => collector.rules) : null;
    if (!shared && !mirror && workerIndex() !== null) mirrorCollector(collector);
    const reload = () => reloadInto(collector, sh, mirror);
    const started = (async () => {
      await sh?.start();
      await reload();
    })().catch((err) => log.error({ err }, "collector: initial load failed"));
    const reloadTimer = setInterval(() => void reload().catch((err) => log.warn({ err }, "collector: reload failed")), RELOAD_MS);
    reloadTimer.unref();
    // Another worker's admin edit (in memory: no NOTIFY to carry it).
    if (!shared) onBroadcast(RELOAD_TOPIC, () => void reload().catch((err) => log.warn({ err }, "collector: reload failed")));
    g.dmboardCollector = { collector, shared, mirror, view: shared ?? mirror ?? collector, started, reloadTimer };
  }
  return g.dmboardCollector;
}

/** This process's collector (it reads the hosts; on PostgreSQL only those it holds). */
export function getCollector(): Collector {
  return service().collector;
}

/** What pages, the API and /api/live read: every host's latest state. */
export function getLiveView(): LiveView {
  return service().view;
}

/** The live view if this process runs one (never starts it: the metrics ask, and DMBOARD_COLLECTOR=off must hold). */
export function runningCollector(): LiveView | null {
  return g.dmboardCollector?.view ?? null;
}

/** The shared live state, when this instance runs on PostgreSQL with others (tests, the bench). */
export function runningSharedLive(): SharedLive | null {
  return g.dmboardCollector?.shared ?? null;
}

/** The live view after the hosts were loaded (pages await this so the first view is not empty for no reason). */
export async function collectorReady(maxWaitMs = 3000): Promise<LiveView> {
  const s = service();
  await s.started;
  await s.view.ready(maxWaitMs);
  return s.view;
}

const RELOAD_TOPIC = "live.reload";

/** Whether this process reads hosts (DMBOARD_COLLECTOR=off, or a mirroring worker, does not). */
export function collectsHere(env: NodeJS.ProcessEnv = process.env): boolean {
  return collectorWanted(env) && (sharedLiveWanted(env) || isLeadWorker(env));
}

async function reloadInto(c: Collector, shared: SharedLive | null, mirror: MirrorLive | null): Promise<void> {
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
  if (shared) shared.setHosts(hosts);
  else if (!mirror) {
    // DMBOARD_COLLECTOR=off: nothing read, even when a page view is what created the service
    // (instrumentation.ts does not start it then, but getLiveView() does on first use).
    const read = collectorWanted() ? hosts : [];
    c.setHosts(read);
    announceHosts(read.filter((h) => h.enabled).map((h) => h.id));
  }
}

/** After an admin edit of hosts or rules (on PostgreSQL: every instance reloads). */
export async function reloadCollector(): Promise<void> {
  const s = g.dmboardCollector;
  if (!s) return;
  await reloadInto(s.collector, s.shared, s.mirror);
  await s.shared?.notifyReload().catch((err) => log.warn({ err }, "collector: could not tell the other instances"));
  if (!s.shared) broadcast(RELOAD_TOPIC, null);
}

export async function stopCollector(): Promise<void> {
  const s = g.dmboardCollector;
  if (!s) return;
  g.dmboardCollector = undefined;
  clearInterval(s.reloadTimer);
  s.mirror?.stop();
  if (s.shared) await s.shared.stop();
  else await s.collector.stop();
}

/** Called once from instrumentation.ts. */
export function startCollectorService(): void {
  getCollector();
  log.info(g.dmboardCollector?.mirror ? "live state: mirroring the lead worker's collector" : "device-model collector started");
  const stop = () => void stopCollector();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
