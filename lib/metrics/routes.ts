/**
 * A request path → the route it was served by ("/meetings/[id]"), the label request
 * latencies are grouped by: bounded, unlike paths. The route table is Next's own, from
 * the build's routes manifest (static routes, then dynamic ones in Next's matching order).
 */
import fs from "node:fs";
import path from "node:path";

interface RouteEntry {
  page: string;
  regex: RegExp;
}

let table: RouteEntry[] | null = null;

function load(dir: string): RouteEntry[] {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(/*turbopackIgnore: true*/ dir, ".next", "routes-manifest.json"), "utf8")) as {
      staticRoutes?: { page: string; regex: string }[];
      dynamicRoutes?: { page: string; regex: string }[];
    };
    return [...(manifest.staticRoutes ?? []), ...(manifest.dynamicRoutes ?? [])].map((r) => ({ page: r.page, regex: new RegExp(r.regex) }));
  } catch {
    return []; // no build (next dev): every request is "(unmatched)"
  }
}

export const UNMATCHED = "(unmatched)";

export function routeOf(url: string, dir: string = process.cwd()): string {
  table ??= load(dir);
  const q = url.indexOf("?");
  const pathname = (q >= 0 ? url.slice(0, q) : url) || "/";
  if (pathname.startsWith("/_next/static/")) return "/_next/static";
  if (pathname.startsWith("/_next/")) return "/_next";
  if (pathname.length > 2048) return UNMATCHED;
  for (const r of table) if (r.regex.test(pathname)) return r.page;
  return UNMATCHED;
}

/** For tests: read the manifest again (another build directory). */
export function resetRoutes(): void {
  table = null;
}
