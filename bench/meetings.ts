/**
 * Meetings benchmark (issue 3): 10,000 meetings and 100,000 action items, then p50/p95
 * server time of the data functions behind the meetings list, the board with filters and
 * search — on SQLite and on PostgreSQL. Target p95 < 150 ms.
 */
import { setupTestDb } from "../tests/db/harness";
import { generateMeetingsData } from "./meetings-data";
import { listMeetings } from "@/lib/meetings/reads";
import { search } from "@/lib/search/search";
import { listItems } from "@/lib/items/board";
import { listenForWrites, type WriteListener } from "@/lib/db/write-notices";
import type { Row } from "./run";

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const r1 = (x: number) => Math.round(x * 10) / 10;

async function time(runs: number, fn: (i: number) => Promise<unknown>) {
  await fn(-1); // warm-up: first query plans, caches
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    xs.push(performance.now() - t);
  }
  return { p50: pct(xs, 50), p95: pct(xs, 95) };
}

export async function benchMeetings(opts: { quick?: boolean } = {}): Promise<Row[]> {
  const meetings = opts.quick ? 1000 : 10_000;
  const items = opts.quick ? 10_000 : 100_000;
  const runs = opts.quick ? 10 : 30;
  const rows: Row[] = [];
  for (const provider of ["sqlite", "postgresql"] as const) {
    process.env.DMBOARD_TEST_PROVIDER = provider;
    const t = await setupTestDb();
    // As the server does (instrumentation.ts): on PostgreSQL the board's counts are kept only while listening.
    let listener: WriteListener | null = null;
    try {
      if (provider === "postgresql") {
        listener = listenForWrites(t.config.url);
        await listener.ready;
      }
      const t0 = performance.now();
      const { series, people, topics } = await generateMeetingsData(t.db, { meetings, items });
      rows.push({ name: `meetings.${provider}.generate`, value: r1((performance.now() - t0) / 1000), unit: "s", note: `${meetings} meetings, ${items} items` });
      const q = ["physmap", "xenstore depriv", "continuation", "qemu libxl"];
      const cases: [string, (i: number) => Promise<unknown>][] = [
        ["list", () => listMeetings({ page: 1, pageSize: 20 }, t.db)],
        [
          "list.filtered",
          (i) => listMeetings({ series: `bench-${Math.abs(i) % series.length}`, topic: topics[Math.abs(i) % topics.length].slug, page: 2, pageSize: 20 }, t.db),
        ],
        ["board", () => listItems({ status: ["open", "in_progress", "blocked"], page: 1, pageSize: 50 }, {}, t.db)],
        [
          "board.filtered",
          (i) =>
            listItems(
              { status: ["open"], owner: people[Math.abs(i) % people.length].id, topic: topics[Math.abs(i) % topics.length].slug, page: 1, pageSize: 50 },
              {},
              t.db,
            ),
        ],
        ["board.overdue", () => listItems({ overdue: true, page: 1, pageSize: 50 }, {}, t.db)],
        ["search", (i) => search(q[Math.abs(i) % q.length], { limit: 20 }, t.db)],
      ];
      for (const [name, fn] of cases) {
        const r = await time(runs, fn);
        rows.push({ name: `meetings.${provider}.${name}.p50`, value: r1(r.p50), unit: "ms" });
        rows.push({
          name: `meetings.${provider}.${name}.p95`,
          value: r1(r.p95),
          unit: "ms",
          note: r.p95 < 150 ? "target < 150 ms: met" : "target < 150 ms: MISSED",
        });
      }
    } finally {
      await listener?.stop();
      await t.cleanup();
    }
  }
  delete process.env.DMBOARD_TEST_PROVIDER;
  return rows;
}
