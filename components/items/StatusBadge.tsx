import { isItemStatus, statusLabel, type ItemStatus } from "@/lib/items/statuses";
import { Badge, type BadgeTone } from "@/components/ui/Badge";

const TONES: Record<ItemStatus, BadgeTone> = {
  open: "info",
  in_progress: "accent",
  blocked: "warn",
  done: "good",
  dropped: "muted",
};

/** An item's status as its label (lib/items/statuses), for screen readers and print alike. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge variant="outline" tone={isItemStatus(status) ? TONES[status] : "neutral"} data-testid="status">
      {statusLabel(status)}
    </Badge>
  );
}

export function OverdueBadge({ dueDate }: { dueDate: string }) {
  return (
    <Badge variant="solid" tone="bad" title={`Was due ${dueDate}`}>
      Overdue
    </Badge>
  );
}
