/**
 * Field parsers every feature's schemas share: what a form or a query string sends
 * (strings, repeated keys, empty inputs) → values. Pure zod; client components may
 * import it.
 */
import { z } from "zod";

/** An empty input ("" or blanks, or null) means "not given". */
export const emptyToUndefined = (v: unknown) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);

/** A value sent as one string, a list, or a comma-separated string → a list. */
export function toList(v: unknown): unknown {
  if (v === undefined || v === null || v === "") return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((x) =>
    typeof x === "string"
      ? x
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [x],
  );
}

/** Checkbox / query flag: "1", "on", "true", "yes" are true; absent or "0"/"false" false. */
export const flag = z.preprocess((v) => {
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined || x === null || x === "") return false;
  if (typeof x === "boolean") return x;
  return ["1", "on", "true", "yes"].includes(String(x).toLowerCase());
}, z.boolean());

/** A calendar day typed as YYYY-MM-DD (what <input type="date"> sends), and a real one. */
export const isoDay = z
  .string({ error: "Enter a date" })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "This date does not exist")
  .refine((s) => s >= "1990-01-01" && s <= "2999-12-31", "Enter a date between 1990 and 2999");

/** A day or an instant (ISO 8601): what an API client syncs from (`since`). */
export const dayOrInstant = z
  .string()
  .trim()
  .refine(
    (s) => /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(new Date(s).getTime()),
    "Enter a date (YYYY-MM-DD) or an ISO 8601 time",
  );

/** http(s) only: a javascript: or data: URL in a link list would be a stored XSS. */
export const httpUrl = (max: number) =>
  z
    .string({ error: "Enter a URL" })
    .trim()
    .min(1, "Enter a URL")
    .max(max, `At most ${max} characters`)
    .pipe(z.url({ protocol: /^https?$/, error: "Enter a full http:// or https:// URL" }));

/** The id of a row picked in a form ("Choose a person"). */
export const rowId = (what: string) =>
  z
    .string({ error: `Choose a ${what}` })
    .trim()
    .min(1, `Choose a ${what}`)
    .max(64, `Unknown ${what}`);

/** Ids picked in a multi-select (or typed comma-separated). */
export const rowIds = (what: string, max: number) => z.preprocess(toList, z.array(rowId(what)).max(max, `At most ${max} ${what}s`));

/** An optional free-text filter (empty = not given). */
export const optionalText = (max: number, message = `At most ${max} characters`) =>
  z.preprocess(emptyToUndefined, z.string().trim().max(max, message).optional());

/** ?page= and ?pageSize= of a list; `defaultSize` rows a page unless asked, at most `maxSize`. */
export function pageFields(defaultSize: number, maxSize: number) {
  return {
    page: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: "Enter a page number" }).int("Enter a whole page number").min(1, "Pages start at 1").max(100_000, "Page too large").default(1),
    ),
    pageSize: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: "Enter a page size" }).int("Enter a whole number").min(1, "At least 1").max(maxSize, `At most ${maxSize}`).default(defaultSize),
    ),
  };
}
