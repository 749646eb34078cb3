/**
 * The live device-model path at fleet scale (1000 simulated VMs by default):
 *  - snapshot + analysis end to end (XenStore + QMP + /proc, then analyzeHost): target < 1 s;
 *  - the collector's resident memory while it watches that fleet, which changes every
 *    second, for `watchSeconds` (default 60; the 10-minute run is `watchSeconds: 600`):
 *    start / end / max and the slope, which must be flat (target < 400 MB);
 *  - the VMs page's server time (the data function it renders from: listVms + fleetOverview) p95.
 * The simulator runs in a child process so its memory is its own. Everything is stopped and
 * removed at the end.
 */
import type { ChildProcess } from "node:child_process";
import { startSimChild, type SimChild } from "./sim-child";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { analyzeHost, DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { Collector } from "@/lib/hosts/collector";
import { fleetOverview, listVms, type VmQuery } from "@/lib/hosts/fleet";

export interface LiveBenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const QMP_TIMEOUT_MS = 500;
const r1 = (x: number) => Math.round(x * 10) / 10;
const rssMb = () => process.memoryUsage().rss / 1048576;

/** A full GC before each memory sample, so the numbers are what is retained, not garbage not yet collected. */
function getGc(): (() => void) | null {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === "function") return g;
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await gone;
  clearTimeout(t);
}

export async function benchLive(
  opts: { vms?: number; watchSeconds?: number; sampleEverySeconds?: number; changeMs?: number; pageRuns?: number } = {},
): Promise<LiveBenchRow[]> {
  const vms = opts.vms ?? 1000;
  const watchSeconds = opts.watchSeconds ?? 60;
  const sampleEvery = opts.sampleEverySeconds ?? 5;
  const changeMs = opts.changeMs ?? 1000;
  const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, "dm-live-"));
  let sim: SimChild | null = null;
  let collector: Collector | null = null;
  const rows: LiveBenchRow[] = [];
  try {
    // A still host for the timings, then one that changes for the collector.
    sim = await startSimChild(vms, path.join(dir, "still"), 0);
    const snapOpts = { xenstored: sim.socket, qmpDir: sim.qmpDir, procRoot: sim.procDir, qmpTimeoutMs: QMP_TIMEOUT_MS };

    // 1. Snapshot + analysis, end to end.
    await takeSnapshot(snapOpts).then((s) => analyzeHost(s, DEFAULT_XS_RULES)); // warm up
    const e2e: number[] = [];
    const analysisMs: number[] = [];
    let keys = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const snap = await takeSnapshot(snapOpts);
      const t1 = performance.now();
      const a = analyzeHost(snap, DEFAULT_XS_RULES);
      e2e.push(performance.now() - t0);
      analysisMs.push(performance.now() - t1);
      keys = snap.domains.reduce((n, d) => n + Object.keys(d.keys).length, 0);
      if (a.summary.vmCount < vms * 0.9) throw new Error(`only ${a.summary.vmCount} VMs analysed`);
    }
    e2e.sort((a, b) => a - b);
    rows.push({
      name: "live.snapshot+analysis",
      value: r1(e2e[1]),
      unit: "ms",
      note: `median of 3 (min ${r1(e2e[0])}), ${vms} VMs, ${keys} keys; one hung QEMU bounded by qmpTimeoutMs=${QMP_TIMEOUT_MS}; load avg ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs; target < 1000`,
    });
    rows.push({ name: "live.analysis", value: r1(analysisMs.sort((a, b) => a - b)[1]), unit: "ms", note: "analyzeHost alone (median of 3)" });

    await stopSim(sim.child);
    sim = await startSimChild(vms, path.join(dir, "live"), changeMs);

    // 2. The collector watching the fleet: polls every 10 s, re-reads on every watch event.
    const c = new Collector({ qmpTimeoutMs: QMP_TIMEOUT_MS, sink: { record: () => undefined } });
    collector = c;
    c.setHosts([
      { id: "bench", name: "bench", kind: "sim", xenstoredPath: sim.socket, qmpDir: sim.qmpDir, procRoot: sim.procDir, pollIntervalSec: 10, enabled: true },
    ]);
    await c.ready(60_000);
    const samples: { x: number; y: number }[] = [];
    const heap: { x: number; y: number }[] = [];
    const gc = getGc();
    const t0 = Date.now();
    const readsAt0 = c.state("bench")!.reads;
    const sample = () => {
      gc?.();
      const x = (Date.now() - t0) / 60_000;
      samples.push({ x, y: rssMb() });
      heap.push({ x, y: process.memoryUsage().heapUsed / 1048576 });
    };
    while (Date.now() - t0 < watchSeconds * 1000) {
      sample();
      await sleep(Math.min(sampleEvery * 1000, watchSeconds * 1000 - (Date.now() - t0)) || 1);
    }
    sample();
    const st = c.state("bench")!;
    const reads = st.reads - readsAt0;
    const ys = samples.map((s) => s.y);
    // The first third is warm-up (JIT, heap growing to its working size): the slope is of the rest.
    const steady = samples.slice(Math.floor(samples.length / 3));
    rows.push({ name: "live.collector.rss.start", value: r1(ys[0]), unit: "MB", note: `bench process with the collector after its first read of ${vms} VMs` });
    rows.push({
      name: "live.collector.rss.end",
      value: r1(ys.at(-1)!),
      unit: "MB",
      note: `after watching ${watchSeconds} s (${reads} reads, ${c.runner("bench")!.watchEvents} watch events, sim change every ${changeMs} ms)`,
    });
    rows.push({
      name: "live.collector.rss.max",
      value: r1(Math.max(...ys)),
      unit: "MB",
      note: `${samples.length} samples every ${sampleEvery} s; target < 400`,
    });
    rows.push({
      name: "live.collector.rss.slope",
      value: r1(slope(steady)),
      unit: "MB/min",
      note: `least squares over the last two thirds${gc ? ", each sample after a full GC" : ""}; flat ≈ 0`,
    });
    const heapSteady = heap.slice(Math.floor(heap.length / 3));
    rows.push({
      name: "live.collector.heap.end",
      value: r1(heap.at(-1)!.y),
      unit: "MB",
      note: `V8 heap in use after GC (start ${r1(heap[0].y)}, max ${r1(Math.max(...heap.map((h) => h.y)))})`,
    });
    rows.push({ name: "live.collector.heap.slope", value: r1(slope(heapSteady)), unit: "MB/min", note: "retained heap trend; flat ≈ 0" });
    rows.push({
      name: "live.collector.read",
      value: r1(st.elapsedMs ?? 0),
      unit: "ms",
      note: `last collector read; status ${st.status}, watching ${st.watching}`,
    });

    // 3. The VMs page's data function over the collector's state, p95.
    const queries: VmQuery[] = [
      {},
      { sort: "verdict", dir: "desc" },
      { q: "web" },
      { dep: "physmap" },
      { page: 10 },
      { verdict: "privileged", sort: "dependencies", dir: "desc" },
      { role: "all", pageSize: 500 },
    ];
    const times: number[] = [];
    const runs = opts.pageRuns ?? 300;
    for (let i = 0; i < runs; i++) {
      const states = c.states();
      const t = performance.now();
      const page = listVms(states, queries[i % queries.length]);
      fleetOverview(states);
      times.push(performance.now() - t);
      if (i === 0 && page.total < vms * 0.9) throw new Error(`VMs page lists ${page.total}`);
    }
    rows.push({
      name: "live.vms-page.p95",
      value: Math.round(percentile(times, 95) * 100) / 100,
      unit: "ms",
      note: `listVms + fleetOverview over ${vms} VMs, ${runs} runs over ${queries.length} queries (p50 ${Math.round(percentile(times, 50) * 100) / 100} ms)`,
    });
  } finally {
    await collector?.stop();
    if (sim) await stopSim(sim.child);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// `node --import tsx bench/live.ts [vms] [watchSeconds]` runs it alone.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [vms, secs] = process.argv.slice(2).map(Number);
  benchLive({ vms: vms || undefined, watchSeconds: secs || undefined }).then(
    (rows) => {
      for (const r of rows) console.log(`${r.name.padEnd(28)} ${String(r.value).padStart(9)} ${r.unit.padEnd(7)} ${r.note ?? ""}`);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
