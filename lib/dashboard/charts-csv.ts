/**
 * The dashboard charts' numbers as CSV (app/api/charts/[kind]?format=csv): what the tables
 * under "Show the data" list, for a spreadsheet, and for a browser without scripts (the
 * tables are drawn in the browser, on opening). csv-stringify does the quoting. Every cell
 * is a day, a time, a count or a rule id (lower-case letters, digits, '-': xsRuleSchema), so
 * none can start a spreadsheet formula (lib/items/export.ts guards the board's free text).
 */
import { stringify } from "csv-stringify/sync";
import { dayOf } from "@/lib/db/days";
import type { FleetHistory, OpenItemsHistory } from "./charts";

export function openItemsCsv(h: OpenItemsHistory): string {
  return stringify(
    h.points.map((p) => [p.day, p.opened, p.closed, p.open]),
    { header: true, columns: ["day", "opened", "closed", "open after the day"] },
  );
}

export function fleetCsv(h: FleetHistory): string {
  return stringify(
    h.points.map((p) => [p.at, ...h.rules.map((r) => p.dependencies[r] ?? 0), p.deprivCount, p.vmCount]),
    { header: true, columns: ["time (UTC)", ...h.rules, "deprivileged", "VMs"] },
  );
}

/** "open-items-2017-05-10.csv" */
export function chartCsvFileName(kind: "fleet" | "open-items", now = new Date()): string {
  return `${kind}-${dayOf(now)}.csv`;
}
