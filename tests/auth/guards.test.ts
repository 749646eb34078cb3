import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_DIR, inlineServerActions, pages, routeHandlers, serverActionFiles } from "./app-tree";

/**
 * The static half of the route × role proof: enumerate the app's entry points from the
 * file tree and require each to pass through the one guard mechanism (lib/auth/guard.ts).
 * The runtime half, e2e/route-roles.spec.ts, calls every one of them as an anonymous
 * visitor and as a viewer.
 */
const PUBLIC_PAGES = new Set(["sign-in/page.tsx", "forbidden/page.tsx"]);
const PUBLIC_ROUTES = new Set(["api/health/route.ts", "api/auth/[...all]/route.ts"]);
const rel = (f: string) => path.relative(APP_DIR, f);

describe("every entry point passes through the guard", () => {
  it("finds the app's entry points", () => {
    expect(routeHandlers().length).toBeGreaterThanOrEqual(2);
    expect(serverActionFiles().length).toBeGreaterThanOrEqual(1);
    expect(pages().length).toBeGreaterThanOrEqual(3);
  });

  it("every route handler method is built by defineRoute", () => {
    for (const r of routeHandlers()) {
      expect(r.methods.length, `${rel(r.file)} exports no HTTP method`).toBeGreaterThan(0);
      for (const m of r.methods) expect(m.guardedBy, `${rel(r.file)} ${m.method} must be \`export const ${m.method} = defineRoute(...)\``).toBe("defineRoute");
    }
  });

  it("only the health and auth routes are public", () => {
    for (const r of routeHandlers()) {
      const isPublic = /defineRoute\(\s*\{\s*role:\s*"public"/.test(r.source);
      expect(isPublic, `${rel(r.file)}: role "public" is reserved`).toBe(PUBLIC_ROUTES.has(rel(r.file)));
    }
  });

  it("every server action is built by defineAction", () => {
    for (const f of serverActionFiles()) {
      for (const e of f.exports) expect(e.guardedBy, `${path.relative(path.dirname(APP_DIR), f.file)}: ${e.name} must be \`export const ${e.name} = defineAction(...)\``).toBe("defineAction");
    }
  });

  it("no inline 'use server' functions (they would skip defineAction)", () => {
    expect(inlineServerActions()).toEqual([]);
  });

  it("every page but sign-in and forbidden calls requirePageRole", () => {
    for (const p of pages()) {
      if (PUBLIC_PAGES.has(rel(p.file))) continue;
      expect(/await\s+requirePageRole\(\s*"(viewer|editor|admin)"/.test(p.source), `${rel(p.file)} must call requirePageRole`).toBe(true);
    }
  });
});
