/**
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/profile-snapshot.ts [vms] [runs]`:
 * snapshots of a simulated host (child process) without its hung QEMU, for a CPU profile of
 * the snapshotting process alone (docs/perf-notes.md has the findings).
 */
import fs from "node:fs";
import { localHostAccess, type HostAccess } from "@/lib/devmodel/host-access";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { startSimChild, stopSimChild } from "./sim-child";

const vms = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const dir = fs.mkdtempSync(`${fs.existsSync("/dev/shm") ? "/dev/shm" : "/tmp"}/dm-prof-`);
const sim = await startSimChild(vms, dir);
try {
  const base = localHostAccess({ xenstored: sim.socket, qmpDir: sim.qmpDir, procRoot: sim.procDir });
  const cold = await takeSnapshot({ access: base, qmpTimeoutMs: 500 });
  const hung = new Set(cold.domains.filter((d) => d.qmp.status === "timeout").map((d) => d.domid));
  const access: HostAccess = { ...base, qmp: { ...base.qmp, scan: async () => new Map([...(await base.qmp.scan())].filter(([d]) => !hung.has(d))) } };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await takeSnapshot({ access, qmpTimeoutMs: 500 })).elapsedMs);
  console.log(`snapshots (ms): ${times.join(" ")}`);
} finally {
  await stopSimChild(sim.child);
  fs.rmSync(dir, { recursive: true, force: true });
}
