import { apiPageResponse } from "@/lib/api/page";
import { defineRoute } from "@/lib/auth/guard";
import { apiItemsPage } from "@/lib/items/api";

/**
 * Read API: action items, paginated (?page=&pageSize=, `next`/`prev` links, total) and
 * filtered (?status=open,blocked&owner=<person id>&topic=<slug>&series=<slug>&since=<date>).
 * Accepts a session or `Authorization: Bearer <API token>`.
 */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => apiPageResponse(await apiItemsPage(req.nextUrl)));
