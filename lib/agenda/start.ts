/**
 * The chair's background work in the server process, started once by instrumentation.ts:
 * the e-mail digest schedule (lib/reminders/service.ts), and, where the collector runs,
 * the record of unclassified keys (lib/agenda/fleet-watch.ts).
 */
import { startFleetWatch } from "./fleet-watch";
import { collectsHere } from "@/lib/hosts/service";
import { startReminderService } from "@/lib/reminders/service";

export function startChairServices(env: Record<string, string | undefined> = process.env): void {
  startReminderService(env);
  if (collectsHere(env as NodeJS.ProcessEnv)) startFleetWatch();
}
