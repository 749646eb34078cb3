import { defineRoute } from "@/lib/auth/guard";
import { exportedItems } from "@/lib/items/api";
import { exportFileName, itemsToJson } from "@/lib/items/export";

/** The board's items (same filters as its URL, every page) as a JSON download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req, { actor }) => {
  const items = await exportedItems(req.nextUrl, actor?.userId ?? null);
  return new Response(itemsToJson(items, { baseUrl: req.nextUrl.origin }), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName("json")}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
