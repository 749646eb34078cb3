/**
 * `npm run bench [-- --only a,b] [--quick]`: every benchmark, printed as one table.
 * Targets are in each row's note; ratios are rows of their own. Never part of `npm test`:
 * speed is measured here, not asserted in tests.
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { benchXenStore } from "./xenstore";
import { benchQmp } from "./qmp";
import { benchAnalysis } from "@/lib/devmodel/analysis";
import { machineRow } from "./machine";

export interface Row {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

type Suite = { name: string; run: (quick: boolean) => Promise<Row[]> };

const suites: Suite[] = [
  { name: "xenstore", run: (q) => benchXenStore({ vms: q ? 200 : 1000 }) },
  { name: "qmp", run: (q) => benchQmp({ calls: q ? 200 : 1000 }) },
  {
    name: "analysis",
    run: async (q) => {
      const r = benchAnalysis({ vms: q ? 200 : 1000 });
      return [
        { name: "analysis.classify", value: round(r.classifyMs), unit: "ms", note: `${r.vms} VMs × ${r.keys / r.vms} keys × ${r.rules} rules` },
        { name: "analysis.analyzeHost", value: round(r.analyzeHostMs), unit: "ms", note: "whole-host analysis incl. depriv and fleet summary" },
        { name: "analysis.throughput", value: Math.round(r.keysPerSecond), unit: "keys/s" },
      ];
    },
  },
  { name: "devmodel", run: async (q) => (await import("./devmodel")).benchDevmodel({ vms: q ? 200 : 1000 }) },
  { name: "sim", run: async (q) => (await import("./sim")).benchSim(q ? { vms: 200, hosts: 10, labVms: 20 } : {}) },
  { name: "ssh", run: async (q) => (await import("./ssh")).benchSsh(q ? { hosts: 10, vms: 20 } : {}) },
  { name: "live", run: async (q) => (await import("./live")).benchLive({ vms: q ? 200 : 1000, watchSeconds: q ? 20 : 600 }) },
  // Two server instances on PostgreSQL sharing a simulator lab (needs PostgreSQL and a build).
  { name: "fleet", run: async (q) => (await import("./fleet")).benchFleet(q ? { hosts: 3, vms: 10, changes: 3 } : {}) },
  {
    name: "latency",
    run: async (q) => (await import("./latency")).benchLatency(q ? { tries: 8, cpuVms: 200, quietSeconds: 10 } : {}),
  },
  { name: "meetings", run: async (q) => (await import("./meetings")).benchMeetings({ quick: q }) },
  // The real server under autocannon, SQLite and PostgreSQL (needs a build: node scripts/prepare.mjs).
  { name: "http", run: async (q) => (await import("./http")).benchHttp({ quick: q }) },
  { name: "backup", run: async (q) => (await import("./backup")).benchBackup({ quick: q }) },
];

function round(x: number, d = 1) {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function printTable(rows: Row[]) {
  const w = [
    Math.max(4, ...rows.map((r) => r.name.length)),
    Math.max(5, ...rows.map((r) => String(r.value).length)),
    Math.max(4, ...rows.map((r) => r.unit.length)),
  ];
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w[0])}  ${b.padStart(w[1])}  ${c.padEnd(w[2])}  ${d}`;
  console.log(line("name", "value", "unit", "note"));
  console.log(line("-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]), "----"));
  for (const r of rows) console.log(line(r.name, String(r.value), r.unit, r.note ?? ""));
}

const MARK = "@@dmboard-bench@@";

/** One suite in this process; its rows as JSON on stdout when asked (the parent collects them). */
async function runSuite(s: Suite, quick: boolean): Promise<Row[]> {
  process.stderr.write(`bench: ${s.name}…\n`);
  const t0 = performance.now();
  try {
    const rows = await s.run(quick);
    process.stderr.write(`bench: ${s.name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    return rows;
  } catch (err) {
    return [{ name: `${s.name}.error`, value: 0, unit: "-", note: (err as Error).message.split("\n")[0] }];
  }
}

async function main() {
  const { values } = parseArgs({
    options: { only: { type: "string" }, quick: { type: "boolean", default: false }, child: { type: "boolean", default: false } },
  });
  const only = values.only?.split(",").map((s) => s.trim());
  const quick = values.quick ?? false;
  const chosen = suites.filter((s) => !only || only.includes(s.name));
  if (values.child) {
    const rows = await runSuite(chosen[0], quick);
    // A marked line: a suite may print to stdout itself.
    process.stdout.write(`\n${MARK}${JSON.stringify(rows)}\n`);
    process.exit(0);
  }
  // Each suite in a process of its own: memory figures (RSS of the snapshotting process,
  // of the collector) must not carry what an earlier suite left on the heap.
  const all: Row[] = [machineRow("start")];
  for (const s of chosen) {
    const r = spawnSync(process.execPath, ["--import", "tsx", import.meta.filename, "--child", "--only", s.name, ...(quick ? ["--quick"] : [])], {
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    try {
      const line = r.stdout.split("\n").findLast((l) => l.startsWith(MARK));
      all.push(...(JSON.parse(line!.slice(MARK.length)) as Row[]));
    } catch {
      all.push({ name: `${s.name}.error`, value: 0, unit: "-", note: `suite process exited ${r.status ?? r.signal}` });
    }
  }
  all.push(machineRow("end"));
  console.log("");
  printTable(all);
  process.exit(0);
}

main();
