/**
 * One way to read a query string, for pages and the read API alike: a repeated key
 * keeps every value (`?status=open&status=blocked`), a key given once is a string, and
 * each feature's zod schema says what it accepts. Pages parse leniently (a bad value is
 * reported next to its field and ignored, the other filters still apply); the API
 * strictly (a bad or unknown parameter is a 400 that names it).
 */
import type { z } from "zod";

export type RawQuery = Record<string, string | string[]>;

/** Anything with a query string: a URL, Next's `req.nextUrl` (a URL look-alike), a Request's URLSearchParams. */
type WithSearchParams = { searchParams: URLSearchParams };
const hasSearchParams = (x: object): x is WithSearchParams => "searchParams" in x && x.searchParams instanceof URLSearchParams;

/** What Next hands a page (`searchParams`), a URL, or URLSearchParams → a RawQuery. */
export function queryObject(source: WithSearchParams | URLSearchParams | Record<string, string | string[] | undefined>): RawQuery {
  const out: RawQuery = {};
  if (source instanceof URLSearchParams || hasSearchParams(source)) {
    const sp = source instanceof URLSearchParams ? source : source.searchParams;
    for (const k of new Set(sp.keys())) {
      const all = sp.getAll(k);
      out[k] = all.length > 1 ? all : all[0];
    }
    return out;
  }
  for (const [k, v] of Object.entries(source)) if (v !== undefined) out[k] = v;
  return out;
}

/** Strict: throws the ZodError of a bad query (defineRoute answers 400 with the field messages). */
export function parseQuery<S extends z.ZodType>(schema: S, source: Parameters<typeof queryObject>[0]): z.output<S> {
  return schema.parse(queryObject(source));
}

export interface LenientQuery<T> {
  value: T;
  /** Messages by field, for the ones that were ignored. */
  errors: Record<string, string[]>;
  /** What was asked, one string per field (lists comma-joined): to fill the filter form in again. */
  raw: Record<string, string>;
}

/** Lenient: a bad value is reported (for the message next to its field) and dropped; the others apply. */
export function parseQueryLenient<S extends z.ZodObject>(schema: S, source: Parameters<typeof queryObject>[0]): LenientQuery<z.output<S>> {
  const query = queryObject(source);
  const raw = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v]));
  const parsed = schema.safeParse(query);
  if (parsed.success) return { value: parsed.data, errors: {}, raw };
  const errors: Record<string, string[]> = {};
  for (const i of parsed.error.issues) {
    if (i.code === "unrecognized_keys") for (const k of i.keys) (errors[k] ??= []).push("Unknown parameter");
    else (errors[String(i.path[0] ?? "_form")] ??= []).push(i.message);
  }
  const cleaned: RawQuery = { ...query };
  for (const k of Object.keys(errors)) delete cleaned[k];
  return { value: schema.parse(cleaned), errors, raw };
}
