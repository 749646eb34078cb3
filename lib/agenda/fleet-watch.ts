/**
 * In the server process that runs the collector: every few minutes, remember which
 * unclassified keys each freshly read host has (lib/agenda/unclassified.ts). Only reads
 * the collector's state; started by instrumentation.ts next to the collector.
 */
import { log } from "@/lib/log";
import { collectorReady } from "@/lib/hosts/service";
import { recordUnclassified, type HostUnclassified } from "./unclassified";

export const FLEET_WATCH_MS = 5 * 60_000;

const g = globalThis as unknown as { dmboardFleetWatch?: NodeJS.Timeout };

async function tick(): Promise<void> {
  const collector = await collectorReady(10_000);
  const reads: HostUnclassified[] = collector
    .states()
    .filter((s) => s.status === "ok" && s.analysis && s.lastGoodAt)
    .map((s) => ({
      hostId: s.host.id,
      at: new Date(s.lastGoodAt!),
      patterns: s.analysis!.summary.unclassified.map((u) => ({ pattern: u.pattern, vmCount: u.vmCount })),
    }));
  await recordUnclassified(reads);
}

export function startFleetWatch(): void {
  if (g.dmboardFleetWatch) return;
  const run = () => void tick().catch((err) => log.warn({ err }, "fleet watch: could not record unclassified keys"));
  // The first record as soon as the hosts have been read once, then on the interval.
  setTimeout(run, 1000).unref();
  g.dmboardFleetWatch = setInterval(run, FLEET_WATCH_MS);
  g.dmboardFleetWatch.unref();
}

export function stopFleetWatch(): void {
  if (g.dmboardFleetWatch) clearInterval(g.dmboardFleetWatch);
  g.dmboardFleetWatch = undefined;
}
