"use client";
import type { MeetingSnapshot } from "@/lib/meetings/meetings";
import { buttonClass, secondaryButtonClass } from "@/components/ui/Field";

/** The editor's values at the moment of the refused save. */
export interface YourVersion {
  seriesName: string;
  date: string;
  title: string;
  attendees: string[];
  topics: string[];
  sourceUrl: string;
  body: string;
  decisions: string;
}

/**
 * Shown when a save is refused because someone saved first: their stored version
 * and yours, field by field, side by side. Yours stays in the form below; nothing is
 * lost. "Keep mine" re-bases the edit on their version (the next save replaces it);
 * "Take theirs" loads their version into the form.
 */
export function ConflictPanel({ theirs, yours, onKeepMine, onTakeTheirs }: { theirs: MeetingSnapshot; yours: YourVersion; onKeepMine: () => void; onTakeTheirs: () => void }) {
  const rows: { label: string; theirs: string; yours: string; long?: boolean }[] = [
    { label: "Series", theirs: theirs.seriesName, yours: yours.seriesName },
    { label: "Date", theirs: theirs.date, yours: yours.date },
    { label: "Title", theirs: theirs.title, yours: yours.title },
    { label: "Attendees", theirs: theirs.attendees.map((a) => a.displayName).join(", "), yours: yours.attendees.join(", ") },
    { label: "Topics", theirs: theirs.topics.map((t) => t.name).join(", "), yours: yours.topics.join(", ") },
    { label: "Source URL", theirs: theirs.sourceUrl ?? "", yours: yours.sourceUrl },
    { label: "Minutes", theirs: theirs.body, yours: yours.body, long: true },
    { label: "Decisions", theirs: theirs.decisions, yours: yours.decisions, long: true },
  ];
  const saved = new Date(theirs.updatedAt).toISOString().replace("T", " ").slice(0, 16);
  return (
    <section role="alert" aria-labelledby="conflict-title" className="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 text-slate-900 dark:bg-amber-950 dark:text-amber-50">
      <h2 id="conflict-title" className="text-lg font-semibold">Someone else saved this meeting while you were editing</h2>
      <p className="mt-1 text-sm">
        Version {theirs.version} was saved{theirs.updatedBy ? ` by ${theirs.updatedBy}` : ""} at {saved} UTC. Your changes were <strong>not</strong> saved, and they are still in the form below. Compare, then keep yours or take theirs.
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
                  <td className="py-1 pr-2" data-testid={`theirs-${r.label}`}>{r.long ? <pre className="max-h-64 overflow-auto whitespace-pre-wrap font-sans">{r.theirs || "—"}</pre> : r.theirs || "—"}</td>
                  <td className="py-1" data-testid={`yours-${r.label}`}>{r.long ? <pre className="max-h-64 overflow-auto whitespace-pre-wrap font-sans">{r.yours || "—"}</pre> : r.yours || "—"}</td>
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
