import { describe, expect, it } from "vitest";
import { keptUntilWrite, noteStatement, watchWrites, writeStamp } from "@/lib/db/kept";
import { boundHistory } from "@/lib/dashboard/charts";

/** A stand-in for a client handle: kept answers are per handle, and only a handle with $transaction keeps. */
const handle = () => ({ $transaction: () => undefined });

describe("reads kept until a write (lib/db/kept.ts)", () => {
  it("computes once while the tables it reads are not written, and again after a write to one of them", async () => {
    const db = handle();
    let runs = 0;
    const read = () => keptUntilWrite(db, "k", ["ActionItem", "Meeting"], async () => ++runs);
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    noteStatement(db, "SELECT `main`.`ActionItem`.`id` FROM `main`.`ActionItem`");
    noteStatement(db, 'INSERT INTO "public"."HostSample" ("id") VALUES ($1)');
    noteStatement(db, "BEGIN");
    expect(await read()).toBe(1);
    noteStatement(db, "UPDATE `main`.`ActionItem` SET `status` = ? WHERE `main`.`ActionItem`.`id` = ?");
    expect(await read()).toBe(2);
    noteStatement(db, 'DELETE FROM "public"."Meeting" WHERE "id" = $1');
    expect(await read()).toBe(3);
  });

  it("counts a write again at its COMMIT, and any statement it cannot place as a write to every table", () => {
    const db = handle();
    const before = writeStamp(db, ["Review"]);
    noteStatement(db, "INSERT INTO `main`.`Review` (`id`) VALUES (?)");
    const written = writeStamp(db, ["Review"]);
    expect(written).not.toBe(before);
    noteStatement(db, "COMMIT");
    expect(writeStamp(db, ["Review"])).not.toBe(written);
    const other = writeStamp(db, ["Topic"]);
    noteStatement(db, "COMMIT"); // nothing written since the last one
    expect(writeStamp(db, ["Topic"])).toBe(other);
    noteStatement(db, "TRUNCATE TABLE x");
    expect(writeStamp(db, ["Topic"])).not.toBe(other);
  });

  it("recomputes after maxAgeMs (writes of other processes), and does not keep a failure", async () => {
    const db = handle();
    let runs = 0;
    const read = (now: number) => keptUntilWrite(db, "k", ["Meeting"], async () => ++runs, { maxAgeMs: 1000, now });
    expect(await read(0)).toBe(1);
    expect(await read(999)).toBe(1);
    expect(await read(1000)).toBe(2);
    let fail = true;
    const flaky = () => keptUntilWrite(db, "f", ["Meeting"], async () => (fail ? Promise.reject(new Error("down")) : "up"));
    await expect(flaky()).rejects.toThrow("down");
    fail = false;
    expect(await flaky()).toBe("up");
  });

  it("recomputes when another process's writes moved on (the handle's WriteSource), and keeps nothing while it cannot say", async () => {
    const db = handle();
    let others: string | null = "1";
    watchWrites(db, { stamp: (tables) => (tables.includes("Meeting") ? others : "0") });
    let runs = 0;
    const read = () => keptUntilWrite(db, "k", ["Meeting"], async () => ++runs);
    expect(await read()).toBe(1);
    expect(await read()).toBe(1);
    others = "2";
    expect(await read()).toBe(2);
    expect(await read()).toBe(2);
    others = null; // not listening: every read computes
    expect(await read()).toBe(3);
    expect(await read()).toBe(4);
    others = "3";
    expect(await read()).toBe(5);
    expect(await read()).toBe(5);
  });

  it("asks a source that answers later before each read; a failed ask keeps nothing", async () => {
    const db = handle();
    let version: number | Error = 7;
    watchWrites(db, { stamp: async () => (version instanceof Error ? Promise.reject(version) : String(version)) });
    let runs = 0;
    const read = () => keptUntilWrite(db, "k", ["ActionItem"], async () => ++runs);
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    noteStatement(db, "PRAGMA data_version"); // asking SQLite where writes stand is no write
    expect(await read()).toBe(1);
    version = 8;
    expect(await read()).toBe(2);
    version = new Error("closed");
    expect(await read()).toBe(3);
    expect(await read()).toBe(4);
    version = 8;
    expect(await read()).toBe(2); // the answer kept under 8 still holds
  });

  it("does not keep through a transaction's handle", async () => {
    let runs = 0;
    const tx = {};
    await keptUntilWrite(tx, "k", ["Meeting"], async () => ++runs);
    await keptUntilWrite(tx, "k", ["Meeting"], async () => ++runs);
    expect(runs).toBe(2);
  });
});

describe("open items over time, bounded (boundHistory)", () => {
  const day = (i: number) => new Date(Date.UTC(2016, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

  it("leaves a short history as it is", () => {
    const points = [0, 1, 2].map((i) => ({ day: day(i), open: i + 1, opened: 1, closed: 0 }));
    expect(boundHistory(points, 3)).toEqual(points);
  });

  it("merges days into equal periods: each on its last day, opened and closed summed, open as after that day", () => {
    let open = 0;
    const points = Array.from({ length: 1000 }, (_, i) => {
      open += 3 - 1;
      return { day: day(i * 2), open, opened: 3, closed: 1 };
    });
    const bounded = boundHistory(points, 100);
    expect(bounded.length).toBeLessThanOrEqual(100);
    expect(bounded.length).toBeGreaterThan(90);
    expect(bounded.at(-1)).toEqual({ day: points.at(-1)!.day, open: points.at(-1)!.open, opened: expect.any(Number), closed: expect.any(Number) });
    expect(bounded.reduce((n, p) => n + p.opened, 0)).toBe(3000);
    expect(bounded.reduce((n, p) => n + p.closed, 0)).toBe(1000);
    for (const p of bounded) expect(p.open).toBe(points.find((q) => q.day === p.day)!.open);
  });
});
