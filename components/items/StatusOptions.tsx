import { ITEM_STATUSES, STATUS_LABELS } from "@/lib/items/statuses";

/** The item statuses as a select's options, in their order and with their labels. */
export function StatusOptions() {
  return ITEM_STATUSES.map((s) => (
    <option key={s} value={s}>
      {STATUS_LABELS[s]}
    </option>
  ));
}
