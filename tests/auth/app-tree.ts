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
      for (const m of source.matchAll(/export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)?/g))
        exports.push({ name: m[1], guardedBy: m[2] ?? null });
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

// ── Prisma stays in lib/ ─────────────────────────────────────────────────────

export interface PrismaUse {
  file: string;
  line: number;
  what: string;
}

/** Model delegate names (`actionItem`, `user`, …) from the schema: what `x.<model>.<method>(` looks like. */
export function modelProps(schema = path.join(APP_DIR, "..", "prisma", "schema.prisma")): string[] {
  return [...fs.readFileSync(schema, "utf8").matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1));
}

const DELEGATE_METHODS = [
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
];

/**
 * Every place under `dir` that reaches the database itself instead of calling lib/:
 * the generated client or @prisma/client imported, the db client imported or called
 * (getDb, createDb), a model delegate called (`db.meeting.count(`, also split over
 * lines), or a raw query / transaction. Pages, actions and route handlers compose lib/.
 */
export function prismaUses(dir = APP_DIR, models = modelProps()): PrismaUse[] {
  const rules: { re: RegExp; what: string }[] = [
    {
      re: /from\s+["'](?:@\/generated\/|(?:\.\.?\/)+generated\/)[^"']*["']|import\(\s*["'](?:@\/generated\/|(?:\.\.?\/)+generated\/)/g,
      what: "imports the generated Prisma client",
    },
    { re: /from\s+["']@prisma\/client[^"']*["']|\bPrismaClient\b/g, what: "uses @prisma/client" },
    {
      re: /from\s+["'](?:@\/lib\/db\/client|(?:\.\.?\/)+lib\/db\/client)["']|import\(\s*["']@\/lib\/db\/client["']/g,
      what: "imports the db client (lib/db/client)",
    },
    { re: /\b(?:getDb|createDb)\b/g, what: "gets the db handle (getDb/createDb)" },
    {
      re: new RegExp(String.raw`\.\s*(?:${models.join("|")})\s*\.\s*(?:${DELEGATE_METHODS.join("|")})\s*\(`, "g"),
      what: "calls a Prisma model (db.<model>.<method>)",
    },
    { re: /\$(?:queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe|transaction)\b/g, what: "runs raw SQL or a transaction" },
  ];
  const out: PrismaUse[] = [];
  for (const file of walk(dir).filter((f) => /\.(ts|tsx|js|mjs)$/.test(f))) {
    const src = fs.readFileSync(file, "utf8");
    for (const { re, what } of rules) {
      for (const m of src.matchAll(re)) out.push({ file, line: src.slice(0, m.index).split("\n").length, what });
    }
  }
  return out;
}
