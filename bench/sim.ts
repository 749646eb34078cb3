/**
 * The simulator's own cost, in a child process as `npm run sim` runs it:
 *  - one host of `vms` VMs (default 1000): start-up time, resident memory idle and after
 *    snapshots, and the simulator's CPU per snapshot it serves (targets: RSS < 200 MB);
 *  - a lab of `hosts` × `labVms` (default 50 × 40) in one process: start-up time, resident
 *    memory idle and after one snapshot of every host (8 hosts at once), and the round's time.
 * The readers are this process, through the same takeSnapshot the server uses.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { mapPool } from "@/lib/devmodel/snapshot-pool";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { startSimChild, startSimLabChild, stopSimChild } from "./sim-child";

export interface SimBenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const QMP_TIMEOUT_MS = 500;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** VmRSS / VmHWM of a process, in MB. */
function memOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
}

/** CPU time (user + system) a process has used, in ms. */
function cpuMsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

export async function benchSim(opts: { vms?: number; hosts?: number; labVms?: number } = {}): Promise<SimBenchRow[]> {
  const vms = opts.vms ?? 1000;
  const hosts = opts.hosts ?? 50;
  const labVms = opts.labVms ?? 40;
  const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, "dm-simbench-"));
  const rows: SimBenchRow[] = [];
  try {
    const one = await startSimChild(vms, path.join(dir, "one"));
    try {
      const pid = one.child.pid!;
      const idle = memOf(pid).rss;
      const snapOpts = { xenstored: one.socket, qmpDir: one.qmpDir, procRoot: one.procDir, qmpTimeoutMs: QMP_TIMEOUT_MS };
      await takeSnapshot(snapOpts);
      const cpu0 = cpuMsOf(pid);
      const runs = 3;
      for (let i = 0; i < runs; i++) await takeSnapshot(snapOpts);
      const cpuPer = (cpuMsOf(pid) - cpu0) / runs;
      const after = memOf(pid);
      rows.push({ name: "sim.host.start", value: r1(one.startMs), unit: "ms", note: `${vms} VMs, child process incl. tsx startup` });
      rows.push({ name: "sim.host.rss.idle", value: r1(idle), unit: "MB", note: "just started; target < 200" });
      rows.push({ name: "sim.host.rss.read", value: r1(after.rss), unit: "MB", note: `after ${runs + 1} snapshots (peak ${r1(after.hwm)} MB); target < 200` });
      rows.push({
        name: "sim.host.cpu-per-snapshot",
        value: r1(cpuPer),
        unit: "ms",
        note: `simulator CPU to serve one snapshot of ${vms} VMs (XenStore + QMP)`,
      });
    } finally {
      await stopSimChild(one.child);
    }

    const lab = await startSimLabChild(hosts, labVms, path.join(dir, "lab"));
    try {
      const pid = lab.child.pid!;
      const idle = memOf(pid).rss;
      const domains = lab.manifest.hosts.reduce((n, h) => n + h.domains, 0);
      const cpu0 = cpuMsOf(pid);
      const t0 = performance.now();
      const snaps = await mapPool(lab.manifest.hosts, 8, (h) =>
        takeSnapshot({ xenstored: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot, qmpTimeoutMs: QMP_TIMEOUT_MS }),
      );
      const roundMs = performance.now() - t0;
      const cpu = cpuMsOf(pid) - cpu0;
      const bad = snaps.filter((s) => !s.xenstore.ok).length;
      if (bad > 0) throw new Error(`${bad} of ${hosts} lab hosts could not be read`);
      const after = memOf(pid);
      const shape = `${hosts} hosts × ${labVms} VMs (${domains} domains) in one process`;
      rows.push({ name: "sim.lab.start", value: r1(lab.startMs), unit: "ms", note: `${shape}, incl. tsx startup` });
      rows.push({ name: "sim.lab.rss.idle", value: r1(idle), unit: "MB", note: "just started" });
      rows.push({ name: "sim.lab.rss.read", value: r1(after.rss), unit: "MB", note: `after one snapshot of every host (peak ${r1(after.hwm)} MB)` });
      rows.push({
        name: "sim.lab.round",
        value: r1(roundMs),
        unit: "ms",
        note: `one snapshot of each host, 8 at once, from this process; simulator CPU ${r1(cpu)} ms`,
      });
    } finally {
      await stopSimChild(lab.child);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// `node --import tsx bench/sim.ts [vms] [hosts] [labVms]` runs it alone.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [vms, hosts, labVms] = process.argv.slice(2).map(Number);
  benchSim({ vms: vms || undefined, hosts: hosts || undefined, labVms: labVms || undefined }).then(
    (rows) => {
      for (const r of rows) console.log(`${r.name.padEnd(28)} ${String(r.value).padStart(9)} ${r.unit.padEnd(3)} ${r.note ?? ""}`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
