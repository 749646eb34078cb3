import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { apiMeetingsPage } from "@/lib/meetings/export-api";

/**
 * Read API: meetings, newest first, paginated (?page=&pageSize=, `next` link, total)
 * and filtered (?series=<slug>&topic=<slug>&person=<id>&from=&to=&since=).
 * Accepts a session or `Authorization: Bearer <API token>`.
 */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => {
  const page = await apiMeetingsPage(getDb(), req.nextUrl);
  return NextResponse.json(page, { headers: { "Cache-Control": "no-store" } });
});
