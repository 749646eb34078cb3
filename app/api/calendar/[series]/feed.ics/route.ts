import { defineRoute, jsonError } from "@/lib/auth/guard";
import { seriesFeedText } from "@/lib/calendar/feed";

/**
 * A series' meetings as an iCalendar feed. Calendar clients cannot sign in: they send
 * the user's feed token as `?token=` (created on the Calendar page, revocable). A
 * signed-in browser may fetch it too.
 */
export const GET = defineRoute({ role: "viewer", feedToken: true }, async (_req, { params }) => {
  const feed = await seriesFeedText(String(params.series));
  if (!feed) return jsonError(404, "NOT_FOUND", "No such series, or it has no schedule.");
  return new Response(feed.ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${feed.slug}.ics"`,
      // The URL carries a secret: no shared cache may keep it.
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
