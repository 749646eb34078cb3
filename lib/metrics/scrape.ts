/**
 * What GET /metrics answers: the registry in Prometheus' text format, with the gauges
 * that are states (hosts up, the newest backup) read at scrape time.
 */
import { listBackups, scheduleSetting } from "@/lib/backup/schedule";
import { runningCollector } from "@/lib/hosts/service";
import { metrics } from "./registry";

export async function scrape(): Promise<{ body: string; contentType: string }> {
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
  return { body: await m.registry.metrics(), contentType: m.registry.contentType };
}
