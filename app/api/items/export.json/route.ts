import { defineRoute } from "@/lib/auth/guard";
import { downloadResponse } from "@/lib/http/download";
import { exportedItems } from "@/lib/items/api";
import { exportFileName, itemsToJson } from "@/lib/items/export";

/** The board's items (same filters as its URL, every page) as a JSON download. */
export const GET = defineRoute({ role: "viewer", token: true }, async (req, { actor }) => {
  const items = await exportedItems(req.nextUrl, actor?.userId ?? null);
  return downloadResponse(itemsToJson(items, { baseUrl: req.nextUrl.origin }), { type: "application/json", filename: exportFileName("json") });
});
