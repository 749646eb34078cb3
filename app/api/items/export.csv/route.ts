import { defineRoute } from "@/lib/auth/guard";
import { dbProvider, getDb } from "@/lib/db/client";
import { exportFileName, itemsToCsv } from "@/lib/meetings/export-items";
import { exportFilters } from "@/lib/meetings/export-api";
import { allItems } from "@/lib/meetings/items";

/** The board's items (same filters as its URL, every page) as a CSV download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req, { actor }) => {
  const items = await allItems(getDb(), exportFilters(req.nextUrl), { userId: actor?.userId, provider: dbProvider() });
  return new Response(itemsToCsv(items, { baseUrl: req.nextUrl.origin }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName("csv")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
