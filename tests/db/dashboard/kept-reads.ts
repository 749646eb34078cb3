/** Reads of tests/db/dashboard/kept-writes.*.test.ts: the open-item count through the dashboard, the board's links, and a count kept on its own. */
import type { Db } from "@/lib/db/client";
import { keptUntilWrite } from "@/lib/db/kept";
import { dashboardData } from "@/lib/dashboard/reads";
import { listItems } from "@/lib/items/board";
import { OPEN_STATUSES } from "@/lib/items/statuses";
import { NOW } from "../items/fixtures";

export const openCount = (db: Db) => dashboardData({ userId: "u-nobody", blockerTopics: [], now: NOW }, db).then((d) => d.openItemCount);

let reads = 0;
/** A kept count of open items through `db` (an answer of its own), and how often it was computed. */
export function countedRead(db: Db) {
  const key = `test:open:${++reads}`;
  const r = {
    runs: 0,
    read: () =>
      keptUntilWrite(db, key, ["ActionItem"], async () => {
        r.runs++;
        return db.actionItem.count({ where: { status: { in: [...OPEN_STATUSES] } } });
      }),
  };
  return r;
}

/** The links the board's first page shows for an item (the page is kept until a write: lib/items/board.ts). */
export const boardLinks = (db: Db, itemId: string) =>
  listItems({ pageSize: 200 }, { now: NOW }, db).then((p) => p.items.find((i) => i.id === itemId)?.links.map((l) => l.url) ?? null);
