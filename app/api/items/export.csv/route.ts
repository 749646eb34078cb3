import { defineRoute } from "@/lib/auth/guard";
import { downloadResponse } from "@/lib/http/download";
import { exportedItems } from "@/lib/items/api";
import { exportFileName, itemsToCsv } from "@/lib/items/export";

/** The board's items (same filters as its URL, every page) as a CSV download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req, { actor }) => {
  const items = await exportedItems(req.nextUrl, actor?.userId ?? null);
  return downloadResponse(itemsToCsv(items, { baseUrl: req.nextUrl.origin }), { type: "text/csv", filename: exportFileName("csv") });
});
