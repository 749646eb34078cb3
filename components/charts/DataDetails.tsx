"use client";
import { useState, type ReactNode } from "react";
import { linkClass } from "@/components/ui/styles";

/**
 * "Show the data as a table" under a chart. The table (children: client components given
 * the chart's own data) is drawn when the reader first opens it, not on every view: on a
 * board of ten years its rows were most of `/`'s bytes and server time (docs/perf-notes.md,
 * seventh pass). The CSV link has the same numbers, scripts or not.
 */
export function DataDetails({ csvHref, children }: { csvHref: string; children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  return (
    <details className="text-sm" onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary className={`cursor-pointer ${linkClass}`}>Show the data as a table</summary>
      <div className="mt-2 space-y-2">
        <a href={csvHref} download className={linkClass}>
          Download the numbers (CSV)
        </a>
        {opened && children}
      </div>
    </details>
  );
}
