/**
 * A record worth moving: the demo (accounts with password hashes, the 10 May 2017
 * meeting), minutes imported from the fixtures, an API token, a live session, and
 * generated meetings and items; and a comparison of two databases through Prisma (an
 * independent reading, not the backup code's own).
 */
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { Prisma } from "@/generated/sqlite/client";
import type { Db } from "@/lib/db/client";
import { systemActor } from "@/lib/db/audit";
import { seedDemo } from "@/lib/db/seed";
import { importFiles } from "@/lib/minutes/server";
import { createToken } from "@/lib/tokens/commands";
import { generateMeetingsData } from "../../../bench/meetings-data";
import { useAsProcessDb, type TestDb } from "../harness";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
const MINUTES = path.join(ROOT, "tests", "fixtures", "minutes");
export const PASSWORD = "backup-test-password";

export async function seedRecord(t: TestDb, opts: { meetings: number; items: number }) {
  const undo = await useAsProcessDb(t); // seedDemo creates accounts through better-auth, on the process's db
  try {
    await seedDemo(t.db, { password: PASSWORD });
  } finally {
    await undo();
  }
  const files = fs
    .readdirSync(MINUTES)
    .filter((f) => /\.(txt|eml|mbox)$/.test(f))
    .sort();
  const report = await importFiles(
    files.map((name) => ({ name, bytes: fs.readFileSync(path.join(MINUTES, name)) })),
    { actor: systemActor },
    t.db,
  );
  const admin = await t.db.user.findUniqueOrThrow({ where: { email: "admin@dmboard.local" } });
  const token = await createToken({ userId: admin.id, email: admin.email }, "ci scraper", t.db);
  await t.db.session.create({ data: { id: "s-live", token: "live-session-token", userId: admin.id, expiresAt: new Date(Date.now() + 86_400_000) } });
  await generateMeetingsData(t.db, opts);
  return { imported: report.totals.imported, token: token.token };
}

/** Model delegates by name: `meeting`, `actionItem`, … (every model of the schema). */
export const modelDelegates = (): string[] => Object.values(Prisma.ModelName).map((m) => m[0].toLowerCase() + m.slice(1));

type FindAll = { findMany(): Promise<Record<string, unknown>[]> };

/** Every row of every model, read through Prisma, in a stable order. */
export async function allRows(db: Db, model: string): Promise<Record<string, unknown>[]> {
  const rows = await (db as unknown as Record<string, FindAll>)[model].findMany();
  return rows
    .map((r) => ({ key: JSON.stringify(r), r }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.r);
}

/** Every model equal on both, except those a backup leaves out on purpose (empty on `copy`). */
export async function expectSameRecord(original: Db, copy: Db, omitted: string[] = ["session", "verification"]) {
  for (const model of modelDelegates()) {
    const [a, b] = await Promise.all([allRows(original, model), allRows(copy, model)]);
    if (omitted.includes(model)) expect(b, `${model} is left out`).toEqual([]);
    else expect(b, `${model}: every row equal`).toEqual(a);
  }
}
