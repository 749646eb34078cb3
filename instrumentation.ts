/**
 * Next.js calls register() once when the server starts: start the device-model collector
 * (lib/hosts/service.ts) in the Node.js runtime. Not during `next build`.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build" && process.env.DMBOARD_COLLECTOR !== "off") {
    const { startCollectorService } = await import("@/lib/hosts/service");
    startCollectorService();
  }
  // The chair's loop (a separate hook): the digest schedule, and the unclassified keys the agenda reports.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startChairServices } = await import("@/lib/agenda/start");
    startChairServices();
  }
}
