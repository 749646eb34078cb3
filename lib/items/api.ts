/** Action items for the read API (/api/v1/action-items) and the board's exports. */
import { apiPage, type ApiPage } from "@/lib/api/page";
import { parseQuery } from "@/lib/api/query";
import { getDb } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import { allItems, listItems } from "./board";
import { itemToJson, type ItemJson } from "./export";
import { apiItemFiltersSchema, boardFiltersSchema } from "./schemas";
import type { ItemSummary } from "./summary";

/** Throws the ZodError of a bad query: defineRoute answers 400 with the field messages. */
export async function apiItemsPage(url: URL, ctx: { now?: Date } = {}, db: Db = getDb()): Promise<ApiPage<ItemJson>> {
  const f = parseQuery(apiItemFiltersSchema, url);
  const res = await listItems(f, ctx, db);
  return apiPage(
    url,
    res.items.map((i) => itemToJson(i, url.origin)),
    res,
  );
}

/**
 * The board's items for an export link: the board's query string applies, its paging
 * and grouping do not (an export is every matching item). A bad filter throws (→ 400).
 */
export async function exportedItems(url: URL, userId: string | null, db: Db = getDb()): Promise<ItemSummary[]> {
  const { page: _page, pageSize: _size, group: _group, ...filters } = parseQuery(boardFiltersSchema, url);
  return allItems(filters, { userId }, db);
}
