"use client";
import { fmtMinute } from "./format";
import { buttonClass, secondaryButtonClass } from "./styles";

export interface ConflictRow {
  label: string;
  theirs: string;
  yours: string;
  /** Multi-line text (minutes, decisions): shown in a scrolling block. */
  long?: boolean;
}

/**
 * Shown when a save is refused because someone saved first (optimistic concurrency):
 * their stored version and yours, field by field, side by side. Yours stays in the
 * form; nothing is lost. "Keep mine" re-bases the edit on their version (the next save
 * replaces it); "Take theirs" loads their version into the form.
 */
export function ConflictPanel({
  what,
  theirs,
  rows,
  onKeepMine,
  onTakeTheirs,
}: {
  /** "meeting", "action item": what was being edited. */
  what: string;
  theirs: { version: number; updatedBy?: string | null; updatedAt: string | Date };
  rows: ConflictRow[];
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const saved = fmtMinute(new Date(theirs.updatedAt));
  const cell = (text: string, long?: boolean) =>
    long ? <pre className="max-h-64 overflow-auto whitespace-pre-wrap font-sans">{text || "—"}</pre> : text || "—";
  return (
    <section
      role="alert"
      aria-labelledby="conflict-title"
      className="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 text-slate-900 dark:bg-amber-950 dark:text-amber-50"
    >
      <h2 id="conflict-title" className="text-lg font-semibold">
        Someone else saved this {what} while you were editing
      </h2>
      <p className="mt-1 text-sm">
        Version {theirs.version} was saved{theirs.updatedBy ? ` by ${theirs.updatedBy}` : ""} at {saved} UTC. Your changes were <strong>not</strong> saved; they
        are still in the form. Compare, then keep yours or take theirs.
      </p>
      <div className="mt-3 overflow-x-auto">
        <table className="w-full table-fixed text-sm" aria-label="Their version and yours">
          <thead>
            <tr className="text-left">
              <th scope="col" className="w-28 py-1">
                Field
              </th>
              <th scope="col" className="py-1">
                Their version (saved, v{theirs.version})
              </th>
              <th scope="col" className="py-1">
                Your version (not saved)
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const differs = r.theirs !== r.yours;
              return (
                <tr
                  key={r.label}
                  className={`border-t border-amber-300 align-top ${differs ? "font-medium" : "opacity-70"}`}
                  data-differs={differs || undefined}
                >
                  <th scope="row" className="py-1 pr-2 text-left">
                    {r.label}
                    {differs && <span className="sr-only"> (differs)</span>}
                  </th>
                  <td className="whitespace-pre-wrap py-1 pr-2" data-testid={`theirs-${r.label}`}>
                    {cell(r.theirs, r.long)}
                  </td>
                  <td className="whitespace-pre-wrap py-1" data-testid={`yours-${r.label}`}>
                    {cell(r.yours, r.long)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="mt-3 flex flex-wrap gap-2">
        <button type="button" className={buttonClass} onClick={onKeepMine}>
          Keep my version (save over theirs)
        </button>
        <button type="button" className={secondaryButtonClass} onClick={onTakeTheirs}>
          Take their version into the form
        </button>
      </div>
    </section>
  );
}
