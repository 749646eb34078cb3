import { apiPageResponse } from "@/lib/api/page";
import { defineRoute } from "@/lib/auth/guard";
import { apiMeetingsPage } from "@/lib/meetings/api";

/**
 * Read API: meetings, newest first, paginated (?page=&pageSize=, `next`/`prev` links,
 * total) and filtered (?series=<slug>&topic=<slug>&person=<id>&from=&to=&since=).
 * Accepts a session or `Authorization: Bearer <API token>`.
 */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => apiPageResponse(await apiMeetingsPage(req.nextUrl)));
