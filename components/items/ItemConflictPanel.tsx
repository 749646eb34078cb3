"use client";
import type { ItemSnapshot } from "@/lib/items/reads";
import { STATUS_LABELS, type ItemStatus } from "@/lib/items/statuses";
import { ConflictPanel as SharedConflictPanel, type ConflictRow } from "@/components/ui/ConflictPanel";

/** The edit form's values at the moment of the refused save, in display form. */
export interface YourItemVersion {
  text: string;
  status: string;
  target: string;
  dueDate: string;
  owners: string[];
  topics: string[];
}

const statusLabel = (s: string) => STATUS_LABELS[s as ItemStatus] ?? s;

/**
 * Shown when a save is refused because someone saved first: their stored version and
 * yours side by side, field by field. Yours stays in the form; nothing is lost.
 */
export function ItemConflictPanel({ theirs, yours, onKeepMine, onTakeTheirs }: { theirs: ItemSnapshot; yours: YourItemVersion; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const rows: ConflictRow[] = [
    { label: "Text", theirs: theirs.text, yours: yours.text },
    { label: "Status", theirs: statusLabel(theirs.status), yours: statusLabel(yours.status) },
    { label: "Target", theirs: theirs.target ?? "", yours: yours.target },
    { label: "Due date", theirs: theirs.dueDate ?? "", yours: yours.dueDate },
    { label: "Owners", theirs: theirs.owners.map((o) => o.displayName).join(", "), yours: yours.owners.join(", ") },
    { label: "Topics", theirs: theirs.topics.map((t) => t.name).join(", "), yours: yours.topics.join(", ") },
  ];
  return <SharedConflictPanel what="action item" theirs={theirs} rows={rows} onKeepMine={onKeepMine} onTakeTheirs={onTakeTheirs} />;
}
