/**
 * Starts `npm run sim` as a child process for the benchmarks, so the simulator's memory
 * and CPU are its own and the measured process is only the reader.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { readLabManifest, type LabManifest } from "@/lib/devmodel/sim";
import { SIM_NODE_FLAGS } from "@/lib/devmodel/sim-defaults";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface SimChild {
  child: ChildProcess;
  startMs: number;
  socket: string;
  /** A second xenstored socket on the same store, for writes on purpose (xenstore-write). */
  writerSocket: string;
  qmpDir: string;
  procDir: string;
}

export interface SimLabChild {
  child: ChildProcess;
  startMs: number;
  manifest: LabManifest;
}

/** Spawn scripts/sim.ts as `npm run sim` does and wait until it serves. */
async function spawnSim(args: string[]): Promise<{ child: ChildProcess; startMs: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...SIM_NODE_FLAGS, "--import", "tsx", "scripts/sim.ts", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`simulator did not start in 120 s:\n${err}`)), 120_000);
    child.stderr!.on("data", (b) => {
      err += b;
      if (err.includes("Ctrl-C to stop")) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`simulator exited with ${code}:\n${err}`));
    });
  });
  return { child, startMs: performance.now() - t0 };
}

export async function startSimChild(vms: number, dir: string, changeMs = 0): Promise<SimChild> {
  fs.mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, "xs.sock");
  const writerSocket = path.join(dir, "xs-writer.sock");
  const qmpDir = path.join(dir, "qmp");
  const procDir = path.join(dir, "proc");
  const args = ["--vms", String(vms), "--seed", "1", "--socket", socket, "--writer-socket", writerSocket, "--qmp-dir", qmpDir, "--proc", procDir];
  if (changeMs > 0) args.push("--change-interval", String(changeMs));
  return { ...(await spawnSim(args)), socket, writerSocket, qmpDir, procDir };
}

/** A lab of `hosts` × `vms` under `dir` (which must not exist yet or be an earlier lab). */
export async function startSimLabChild(hosts: number, vms: number, dir: string, changeMs = 0): Promise<SimLabChild> {
  const args = ["--hosts", String(hosts), "--vms", String(vms), "--seed", "1", "--dir", dir];
  if (changeMs > 0) args.push("--change-interval", String(changeMs));
  const { child, startMs } = await spawnSim(args);
  return { child, startMs, manifest: readLabManifest(dir) };
}

/** SIGINT, then SIGKILL after 10 s. */
export async function stopSimChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGINT");
  const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await gone;
  clearTimeout(t);
}
