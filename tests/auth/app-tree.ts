/**
 * Reads the app/ tree the way Next.js routes it: every route handler, every server
 * action file, every page. Shared by the static guard test and the e2e route × role test.
 */
import fs from "node:fs";
import path from "node:path";

export const APP_DIR = path.resolve(import.meta.dirname, "..", "..", "app");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** URL path of a file under app/: route groups dropped, dynamic segments filled in. */
export function urlPathOf(file: string): string {
  const rel = path.relative(APP_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
  const segs = rel
    .filter((s) => !(s.startsWith("(") && s.endsWith(")")))
    .map((s) => (s.startsWith("[[...") ? "x" : s.startsWith("[...") ? "x" : s.startsWith("[") ? "x" : s));
  return "/" + segs.join("/");
}

export interface RouteHandlerFile {
  file: string;
  url: string;
  methods: { method: (typeof HTTP_METHODS)[number]; guardedBy: string | null }[];
  source: string;
}

export function routeHandlers(): RouteHandlerFile[] {
  return walk(APP_DIR)
    .filter((f) => /\/route\.(ts|tsx|js)$/.test(f))
    .map((file) => {
      const source = fs.readFileSync(file, "utf8");
      const methods = HTTP_METHODS.flatMap((method) => {
        const asConst = new RegExp(`export\\s+const\\s+${method}\\s*=\\s*([A-Za-z_$][\\w$]*)\\s*\\(`).exec(source);
        const asFn = new RegExp(`export\\s+(async\\s+)?function\\s+${method}\\b`).test(source);
        const reexport = new RegExp(`export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`).test(source);
        if (!asConst && !asFn && !reexport) return [];
        return [{ method, guardedBy: asConst ? asConst[1] : null }];
      });
      return { file, url: urlPathOf(file), methods, source };
    });
}

export interface ActionFile {
  file: string;
  exports: { name: string; guardedBy: string | null }[];
}

/** Files whose first statement is "use server": every export is a server action. */
export function serverActionFiles(): ActionFile[] {
  return walk(APP_DIR)
    .concat(fs.existsSync(path.join(APP_DIR, "..", "lib")) ? walk(path.join(APP_DIR, "..", "lib")) : [])
    .concat(walk(path.join(APP_DIR, "..", "components")))
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .flatMap((file) => {
      const source = fs.readFileSync(file, "utf8");
      if (!/^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(source)) return [];
      const exports: ActionFile["exports"] = [];
      for (const m of source.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)?/g)) exports.push({ name: m[1], guardedBy: m[2] ?? null });
      for (const m of source.matchAll(/export\s+(?:async\s+)?function\s+([A-Za-z_$][\w$]*)/g)) exports.push({ name: m[1], guardedBy: null });
      for (const m of source.matchAll(/export\s+default\s+/g)) exports.push({ name: `default@${m.index}`, guardedBy: null });
      return [{ file, exports }];
    });
}

/** Inline "use server" inside a function body (an action that could skip defineAction). */
export function inlineServerActions(): string[] {
  return walk(path.join(APP_DIR, ".."))
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes("node_modules") && !f.includes("/.next/") && !f.includes("/generated/") && !f.includes("/tests/"))
    .filter((f) => {
      const src = fs.readFileSync(f, "utf8");
      const lines = src.split("\n");
      return lines.some((line, i) => /^\s+["']use server["']/.test(line) && i > 0);
    });
}

export function pages(): { file: string; url: string; source: string }[] {
  return walk(APP_DIR)
    .filter((f) => /\/page\.tsx$/.test(f))
    .map((file) => ({ file, url: urlPathOf(file), source: fs.readFileSync(file, "utf8") }));
}
