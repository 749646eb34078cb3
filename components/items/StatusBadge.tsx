import { STATUS_LABELS, type ItemStatus } from "@/lib/items/statuses";

const COLOURS: Record<ItemStatus, string> = {
  open: "border-sky-600 text-sky-800 dark:text-sky-300",
  in_progress: "border-indigo-600 text-indigo-800 dark:text-indigo-300",
  blocked: "border-amber-600 text-amber-800 dark:text-amber-300",
  done: "border-green-700 text-green-800 dark:text-green-300",
  dropped: "border-slate-500 text-slate-600 dark:text-slate-400",
};

/** Status as text (never colour alone), for screen readers and print alike. */
export function StatusBadge({ status }: { status: ItemStatus }) {
  return <span className={`inline-block whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${COLOURS[status]}`} data-testid="status">{STATUS_LABELS[status]}</span>;
}

export function OverdueBadge({ dueDate }: { dueDate: string }) {
  return <span className="inline-block whitespace-nowrap rounded-full bg-red-700 px-2 py-0.5 text-xs font-medium text-white" title={`Was due ${dueDate}`}>Overdue</span>;
}
