"use client";
import type { MeetingSnapshot } from "@/lib/meetings/reads";
import { ConflictPanel as SharedConflictPanel, type ConflictRow } from "@/components/ui/ConflictPanel";

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
  const rows: ConflictRow[] = [
    { label: "Series", theirs: theirs.seriesName, yours: yours.seriesName },
    { label: "Date", theirs: theirs.date, yours: yours.date },
    { label: "Title", theirs: theirs.title, yours: yours.title },
    { label: "Attendees", theirs: theirs.attendees.map((a) => a.displayName).join(", "), yours: yours.attendees.join(", ") },
    { label: "Topics", theirs: theirs.topics.map((t) => t.name).join(", "), yours: yours.topics.join(", ") },
    { label: "Source URL", theirs: theirs.sourceUrl ?? "", yours: yours.sourceUrl },
    { label: "Minutes", theirs: theirs.body, yours: yours.body, long: true },
    { label: "Decisions", theirs: theirs.decisions, yours: yours.decisions, long: true },
  ];
  return <SharedConflictPanel what="meeting" theirs={theirs} rows={rows} onKeepMine={onKeepMine} onTakeTheirs={onTakeTheirs} />;
}
