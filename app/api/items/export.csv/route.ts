import { defineRoute } from "@/lib/auth/guard";
import { exportedItems } from "@/lib/items/api";
import { exportFileName, itemsToCsv } from "@/lib/items/export";

/** The board's items (same filters as its URL, every page) as a CSV download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req, { actor }) => {
  const items = await exportedItems(req.nextUrl, actor?.userId ?? null);
  return new Response(itemsToCsv(items, { baseUrl: req.nextUrl.origin }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName("csv")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
