/**
 * QMP round-trip latency: sequential query-status on one connection, against a
 * real QEMU (-machine none -S) and against our simulated QmpServer.
 * Self-contained: starts and kills its own QEMU, cleans its temp dir.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { QmpClient, type QmpTarget } from "@/lib/devmodel/qmp";
import { defaultProfile, QmpServer } from "@/lib/devmodel/sim/qmp";

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const QEMU_BIN = process.env.QEMU_SYSTEM_X86_64 ?? "qemu-system-x86_64";

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i] * 1000) / 1000;
}

async function roundTrips(target: QmpTarget, calls: number): Promise<{ samples: number[]; connectMs: number }> {
  const t0 = performance.now();
  const client = await QmpClient.connect(target, { timeoutMs: 5_000 });
  const connectMs = performance.now() - t0;
  try {
    // Warm-up, not measured: JIT and socket buffers.
    for (let i = 0; i < Math.min(50, calls); i++) await client.execute("query-status");
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const s = performance.now();
      await client.execute("query-status");
      samples.push(performance.now() - s);
    }
    return { samples: samples.sort((a, b) => a - b), connectMs };
  } finally {
    await client.close();
  }
}

function rows(peer: string, r: { samples: number[]; connectMs: number }, calls: number, note: string): BenchRow[] {
  const base = `qmp.${peer}.query-status`;
  return [
    { name: `${base}.p50`, value: percentile(r.samples, 50), unit: "ms", note: `${calls} sequential round trips, ${note}` },
    { name: `${base}.p95`, value: percentile(r.samples, 95), unit: "ms" },
    { name: `${base}.p99`, value: percentile(r.samples, 99), unit: "ms" },
    { name: `qmp.${peer}.connect`, value: Math.round(r.connectMs * 1000) / 1000, unit: "ms", note: "connect + greeting + qmp_capabilities" },
  ];
}

export async function benchQmp(opts: { calls: number }): Promise<BenchRow[]> {
  const calls = Math.max(1, Math.floor(opts.calls));
  const dir = mkdtempSync(path.join(os.tmpdir(), "dmqb-"));
  const out: BenchRow[] = [];
  const qemuSock = path.join(dir, "qemu.sock");
  const qemu = spawn(QEMU_BIN, ["-machine", "none", "-nodefaults", "-display", "none", "-S", "-qmp", `unix:${qemuSock},server=on,wait=off`], {
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => {
    qemu.once("exit", () => resolve());
    qemu.once("error", () => resolve());
  });
  const sim = new QmpServer({ profile: defaultProfile(1) });
  try {
    const deadline = Date.now() + 10_000;
    while (!existsSync(qemuSock)) {
      if (qemu.exitCode !== null || Date.now() > deadline) throw new Error(`${QEMU_BIN} did not start`);
      await new Promise((r) => setTimeout(r, 5));
    }
    out.push(...rows("qemu", await roundTrips({ path: qemuSock }, calls), calls, "QEMU -machine none -S, unix socket"));
    const simSock = path.join(dir, "sim.sock");
    await sim.listen({ path: simSock });
    out.push(...rows("sim", await roundTrips({ path: simSock }, calls), calls, "simulated QmpServer, same process"));
  } finally {
    if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill("SIGKILL");
    await exited;
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
