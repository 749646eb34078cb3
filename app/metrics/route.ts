import { defineRoute } from "@/lib/auth/guard";
import { scrape } from "@/lib/metrics/scrape";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Prometheus' scrape target: the text exposition format, for the metrics token only. */
export const GET = defineRoute({ metricsToken: true }, async () => {
  const { body, contentType } = await scrape();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});
