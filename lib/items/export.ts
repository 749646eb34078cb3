/**
 * Action items as CSV (for a spreadsheet) and JSON (for scripts). Pure: takes what
 * listItems/allItems return. csv-stringify does the quoting (commas, quotes, newlines
 * are kept, inside quotes); we only guard against spreadsheet formulas.
 */
import { stringify } from "csv-stringify/sync";
import type { ItemSummary } from "./summary";

export const CSV_COLUMNS = [
  "id",
  "text",
  "status",
  "owners",
  "topics",
  "target",
  "due_date",
  "overdue",
  "series",
  "meeting_date",
  "meeting_title",
  "links",
  "created_at",
  "updated_at",
  "closed_at",
  "url",
] as const;

/**
 * A cell starting with = + - @ (or a tab/CR) can be run as a formula by Excel and
 * LibreOffice ("CSV injection"); a leading apostrophe makes it text. Every such cell,
 * "- " included: "- 1+1+cmd|…" is a formula too (issue 10).
 */
export function neutralizeFormula(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function row(i: ItemSummary, baseUrl: string): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    id: i.id,
    text: i.text,
    status: i.status,
    owners: i.owners.map((o) => o.displayName).join("; "),
    topics: i.topics.map((t) => t.name).join("; "),
    target: i.target ?? "",
    due_date: i.dueDate ?? "",
    overdue: i.overdue ? "yes" : "",
    series: i.series.name,
    meeting_date: i.meeting?.date ?? "",
    meeting_title: i.meeting?.title ?? "",
    // One link a line inside the cell: "thread https://… Minutes posted".
    links: i.links.map((l) => `${l.kind} ${l.url}${l.title && l.title !== l.url ? ` ${l.title}` : ""}`).join("\n"),
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt ?? "",
    url: `${baseUrl}/items/${i.id}`,
  };
}

/** RFC 4180 CSV with a header row and CRLF line ends (what spreadsheets expect). */
export function itemsToCsv(items: ItemSummary[], opts: { baseUrl?: string } = {}): string {
  const records = items.map((i) => {
    const r = row(i, opts.baseUrl ?? "");
    return CSV_COLUMNS.map((c) => neutralizeFormula(r[c]));
  });
  return stringify(records, { header: true, columns: [...CSV_COLUMNS], record_delimiter: "\r\n", quoted_match: /^\s|\s$/ });
}

/** The JSON form of an item: the API's shape too (one serializer, no drift). */
export function itemToJson(i: ItemSummary, baseUrl = "") {
  return {
    id: i.id,
    text: i.text,
    status: i.status,
    target: i.target,
    dueDate: i.dueDate,
    overdue: i.overdue,
    version: i.version,
    series: { slug: i.series.slug, name: i.series.name },
    meeting: i.meeting,
    owners: i.owners,
    topics: i.topics.map((t) => ({ slug: t.slug, name: t.name })),
    links: i.links.map((l) => ({ kind: l.kind, url: l.url, title: l.title })),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    closedAt: i.closedAt,
    url: `${baseUrl}/items/${i.id}`,
  };
}
export type ItemJson = ReturnType<typeof itemToJson>;

export function itemsToJson(items: ItemSummary[], opts: { baseUrl?: string; exportedAt?: Date } = {}): string {
  return JSON.stringify(
    { exportedAt: (opts.exportedAt ?? new Date()).toISOString(), count: items.length, items: items.map((i) => itemToJson(i, opts.baseUrl)) },
    null,
    2,
  );
}

/** "action-items-2017-05-10.csv" */
export function exportFileName(ext: "csv" | "json", now = new Date()): string {
  return `action-items-${now.toISOString().slice(0, 10)}.${ext}`;
}
