/**
 * The machine's speed at this moment: the same fixed JavaScript work (objects, strings, a
 * sort, JSON both ways, a regex scan; what the reader and the pages spend their CPU on),
 * timed at the start and the end of a bench run. This shared machine's speed moves ~2x
 * between hours (docs/perf-notes.md: one commit's 1,000-VM snapshot took 310 ms in one
 * session and 557–624 ms in another), so two runs' milliseconds compare only next to these
 * rows.
 */
import type { Row } from "./run";

function work(): number {
  const rows: { id: string; path: string; value: number; tags: string[] }[] = [];
  let x = 12345;
  for (let i = 0; i < 40_000; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    rows.push({ id: `d${x % 1000}`, path: `/local/domain/${x % 1000}/device/vbd/${i}`, value: x, tags: [`t${i % 7}`, `u${i % 11}`] });
  }
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const back = JSON.parse(JSON.stringify(rows)) as typeof rows;
  let n = 0;
  for (const r of back) if (/\/device\/vbd\/\d+5$/.test(r.path)) n++;
  return n;
}

/** Median of 5 runs of work(), after one to warm up the JIT, in ms. */
export function machineSpeed(): number {
  work();
  const t: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    work();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[2];
}

export function machineRow(when: "start" | "end"): Row {
  return {
    name: `machine.speed.${when}`,
    value: Math.round(machineSpeed() * 10) / 10,
    unit: "ms",
    note: `fixed JavaScript work at the ${when} of the run (bench/machine.ts): compare two runs' ms only after these rows; lower is faster`,
  };
}
