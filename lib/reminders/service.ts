/**
 * The digest schedule in the server process: a pass every minute (lib/reminders/runner.ts
 * decides whether a run is due and makes sure no digest goes out twice, also with several
 * instances). Started by instrumentation.ts; off when SMTP_URL is not set or
 * DMBOARD_REMINDERS=off.
 */
import { publicBaseUrl } from "@/lib/http/public-url";
import { log } from "@/lib/log";
import { smtpSender } from "./mailer";
import { runDigests } from "./runner";

export const TICK_MS = 60_000;

const g = globalThis as unknown as { dmboardReminders?: { timer: NodeJS.Timeout; running: boolean } };

export function startReminderService(env: Record<string, string | undefined> = process.env): boolean {
  if (g.dmboardReminders) return true;
  if (env.DMBOARD_REMINDERS === "off") return false;
  const send = smtpSender(env);
  if (!send) {
    log.info("reminders: SMTP_URL is not set, so no digest is sent");
    return false;
  }
  const state = { timer: undefined as unknown as NodeJS.Timeout, running: false };
  const tick = async () => {
    if (state.running) return; // a slow SMTP server must not stack passes
    state.running = true;
    try {
      const r = await runDigests({ send, baseUrl: publicBaseUrl(env) });
      if (r.sent || r.failed) log.info({ period: r.period, sent: r.sent, failed: r.failed, skipped: r.skipped }, "reminders: digests sent");
    } catch (err) {
      log.warn({ err }, "reminders: pass failed");
    } finally {
      state.running = false;
    }
  };
  state.timer = setInterval(() => void tick(), TICK_MS);
  state.timer.unref();
  setTimeout(() => void tick(), 5_000).unref();
  g.dmboardReminders = state;
  log.info("reminders: digest schedule started");
  return true;
}

export function stopReminderService(): void {
  if (g.dmboardReminders) clearInterval(g.dmboardReminders.timer);
  g.dmboardReminders = undefined;
}
