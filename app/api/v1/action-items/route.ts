import { NextResponse } from "next/server";
import { defineRoute } from "@/lib/auth/guard";
import { dbProvider, getDb } from "@/lib/db/client";
import { apiItemsPage } from "@/lib/meetings/export-api";

/**
 * Read API: action items, paginated (?page=&pageSize=, `next` link, total) and
 * filtered (?status=open,blocked&owner=<person id>&topic=<slug>&series=<slug>&since=<date>).
 * Accepts a session or `Authorization: Bearer <API token>`.
 */
export const GET = defineRoute({ role: "viewer", token: true }, async (req) => {
  const page = await apiItemsPage(getDb(), req.nextUrl, { provider: dbProvider() });
  return NextResponse.json(page, { headers: { "Cache-Control": "no-store" } });
});
