import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { APP_DIR, inlineServerActions, modelProps, pages, prismaUses, routeHandlers, serverActionFiles } from "./app-tree";

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
      for (const e of f.exports)
        expect(e.guardedBy, `${path.relative(path.dirname(APP_DIR), f.file)}: ${e.name} must be \`export const ${e.name} = defineAction(...)\``).toBe(
          "defineAction",
        );
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

describe("app/ only composes lib/: no Prisma call in a page, action or route handler", () => {
  it("knows the schema's models", () => {
    expect(modelProps()).toEqual(expect.arrayContaining(["user", "meeting", "actionItem", "hostSample", "xsRule"]));
  });

  it("finds none in app/", () => {
    const found = prismaUses().map((u) => `${rel(u.file)}:${u.line} ${u.what}`);
    expect(found, "move these into a read or command in lib/<feature>/").toEqual([]);
  });

  it("catches each kind of violation planted in a copy of a page", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmboard-app-tree-"));
    try {
      const plant = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), body);
      plant("generated.tsx", `import { PrismaClient } from "@/generated/sqlite/client";\n`);
      plant("relative.ts", `import type { Prisma } from "../../generated/postgres/client";\n`);
      plant("client.tsx", `import { getDb } from "@/lib/db/client";\nexport default async function P() { return getDb(); }\n`);
      plant("model.tsx", `export default async function P({ db }: { db: any }) {\n  return db.meeting\n    .count();\n}\n`);
      plant("raw.ts", `export const n = (db: any) => db.$queryRawUnsafe("SELECT 1");\n`);
      plant(
        "clean.tsx",
        `import { listMeetings } from "@/lib/meetings/reads";\nexport default async function P() { const page = await listMeetings({}); return page.meetings.length; }\n`,
      );
      const byFile = (name: string) =>
        prismaUses(dir)
          .filter((u) => path.basename(u.file) === name)
          .map((u) => u.what);
      expect(byFile("generated.tsx")).toEqual(expect.arrayContaining(["imports the generated Prisma client", "uses @prisma/client"]));
      expect(byFile("relative.ts")).toEqual(["imports the generated Prisma client"]);
      expect(byFile("client.tsx")).toEqual(expect.arrayContaining(["imports the db client (lib/db/client)", "gets the db handle (getDb/createDb)"]));
      expect(byFile("model.tsx")).toEqual(["calls a Prisma model (db.<model>.<method>)"]);
      expect(prismaUses(dir).find((u) => path.basename(u.file) === "model.tsx")?.line).toBe(2);
      expect(byFile("raw.ts")).toEqual(["runs raw SQL or a transaction"]);
      // A page that composes lib/ passes.
      expect(byFile("clean.tsx")).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
