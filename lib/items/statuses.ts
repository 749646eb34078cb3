/**
 * The statuses of an action item: the one list every page, query, review and import
 * uses. Pure constants; client components import the labels.
 */
export const ITEM_STATUSES = ["open", "in_progress", "blocked", "done", "dropped"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const STATUS_LABELS: Record<ItemStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  blocked: "Blocked",
  done: "Done",
  dropped: "Dropped",
};

/**
 * Statuses of an item still to be worked on: reviewed at every meeting, counted as
 * "open" on the dashboard and the people and topic pages, and the only ones that can
 * be overdue.
 */
export const OPEN_STATUSES = ["open", "in_progress", "blocked"] as const satisfies readonly ItemStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];

export const isItemStatus = (s: string): s is ItemStatus => (ITEM_STATUSES as readonly string[]).includes(s);
export const isOpenStatus = (s: string): s is OpenStatus => (OPEN_STATUSES as readonly string[]).includes(s);
export const isClosedStatus = (s: string) => isItemStatus(s) && !isOpenStatus(s);

/** The label of a stored status (an unknown one is shown as stored). */
export const statusLabel = (status: string): string => (isItemStatus(status) ? STATUS_LABELS[status] : status);

/** Items per status, every status present (0 when none). */
export function statusCounts(counts: ReadonlyMap<string, number>): Record<ItemStatus, number> {
  return Object.fromEntries(ITEM_STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<ItemStatus, number>;
}

/** How many of these counts are open. */
export const openCount = (counts: Record<ItemStatus, number>) => OPEN_STATUSES.reduce((n, s) => n + counts[s], 0);
