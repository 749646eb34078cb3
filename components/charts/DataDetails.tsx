"use client";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { linkClass } from "@/components/ui/styles";

/**
 * "Show the data as a table" under a chart. The table (children: client components given
 * the chart's own data) is drawn when the reader first opens it, not on every view: on a
 * board of ten years its rows were most of `/`'s bytes and server time (docs/perf-notes.md,
 * seventh pass). The CSV link has the same numbers, scripts or not.
 */
export function DataDetails({ csvHref, children }: { csvHref: string; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [opened, setOpened] = useState(false);
  // Opened before the page's script ran: that toggle event is gone, the element says so.
  useEffect(() => {
    if (ref.current?.open) setOpened(true);
  }, []);
  return (
    <details ref={ref} className="text-sm" onToggle={(e) => e.currentTarget.open && setOpened(true)}>
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
