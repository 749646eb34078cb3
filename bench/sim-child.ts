/**
 * Starts `npm run sim` as a child process for the benchmarks, so the simulator's memory
 * and CPU are its own and the measured process is only the reader.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface SimChild {
  child: ChildProcess;
  startMs: number;
  socket: string;
  qmpDir: string;
  procDir: string;
}

export async function startSimChild(vms: number, dir: string, changeMs = 0): Promise<SimChild> {
  fs.mkdirSync(dir, { recursive: true });
  const socket = path.join(dir, "xs.sock");
  const qmpDir = path.join(dir, "qmp");
  const procDir = path.join(dir, "proc");
  const t0 = performance.now();
  const args = ["--import", "tsx", "scripts/sim.ts", "--vms", String(vms), "--seed", "1", "--socket", socket, "--qmp-dir", qmpDir, "--proc", procDir];
  if (changeMs > 0) args.push("--change-interval", String(changeMs));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`simulator did not start in 60 s:\n${err}`)), 60_000);
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
  return { child, startMs: performance.now() - t0, socket, qmpDir, procDir };
}
