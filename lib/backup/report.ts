/** How the commands print sizes, times and table lists (CLI and admin page alike). */
import type { LoadedTable } from "./load";

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export const formatSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line per table: name, rows, the start of its checksum. */
export function tableLine(t: LoadedTable, width = 18): string {
  return `  ${t.name.padEnd(width)} ${String(t.rows).padStart(9)} rows  sha256 ${t.sha256.slice(0, 16)}…`;
}
