"use client";
import type { ItemSnapshot } from "@/lib/meetings/items";
import { STATUS_LABELS, type ItemStatus } from "@/lib/meetings/items-schemas";
import { buttonClass, secondaryButtonClass } from "@/components/ui/Field";

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
  const rows = [
    { label: "Text", theirs: theirs.text, yours: yours.text },
    { label: "Status", theirs: statusLabel(theirs.status), yours: statusLabel(yours.status) },
    { label: "Target", theirs: theirs.target ?? "", yours: yours.target },
    { label: "Due date", theirs: theirs.dueDate ?? "", yours: yours.dueDate },
    { label: "Owners", theirs: theirs.owners.map((o) => o.displayName).join(", "), yours: yours.owners.join(", ") },
    { label: "Topics", theirs: theirs.topics.map((t) => t.name).join(", "), yours: yours.topics.join(", ") },
  ];
  const saved = new Date(theirs.updatedAt).toISOString().replace("T", " ").slice(0, 16);
  return (
    <section role="alert" aria-labelledby="item-conflict-title" className="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 text-slate-900 dark:bg-amber-950 dark:text-amber-50">
      <h2 id="item-conflict-title" className="text-lg font-semibold">Someone else saved this action item while you were editing</h2>
      <p className="mt-1 text-sm">
        Version {theirs.version} was saved{theirs.updatedBy ? ` by ${theirs.updatedBy}` : ""} at {saved} UTC. Your changes were <strong>not</strong> saved; they are still in the form. Compare, then keep yours or take theirs.
      </p>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full table-fixed text-sm" aria-label="Their version and yours">
          <thead>
            <tr className="text-left">
              <th scope="col" className="w-28 py-1">Field</th>
              <th scope="col" className="py-1">Their version (saved, v{theirs.version})</th>
              <th scope="col" className="py-1">Your version (not saved)</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const differs = r.theirs !== r.yours;
              return (
                <tr key={r.label} className={`border-t border-amber-300 align-top ${differs ? "font-medium" : "opacity-70"}`} data-differs={differs || undefined}>
                  <th scope="row" className="py-1 pr-2 text-left">{r.label}{differs && <span className="sr-only"> (differs)</span>}</th>
                  <td className="whitespace-pre-wrap py-1 pr-2" data-testid={`theirs-${r.label}`}>{r.theirs || "—"}</td>
                  <td className="whitespace-pre-wrap py-1" data-testid={`yours-${r.label}`}>{r.yours || "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" className={buttonClass} onClick={onKeepMine}>Keep my version (save over theirs)</button>
        <button type="button" className={secondaryButtonClass} onClick={onTakeTheirs}>Take their version into the form</button>
      </div>
    </section>
  );
}
