/**
 * Test peers: a real QEMU (qemu-system-x86_64 -machine none -S) and our simulated
 * QmpServer, behind one interface so suites run unchanged against both.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { defaultProfile, QmpServer, type QmpServerMode } from "@/lib/devmodel/sim/qmp";
import type { QmpProfile } from "@/lib/devmodel/sim/qmp";

export const QEMU_BIN = process.env.QEMU_SYSTEM_X86_64 ?? "qemu-system-x86_64";

/** A short temp dir (unix socket paths must stay under 108 bytes). */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dmq-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningPeer {
  socket: string;
  /** Stop answering, like SIGSTOP. */
  freeze(): void;
  /** Die abruptly, like SIGKILL (the socket file stays behind); resolves once dead. */
  kill(): Promise<void>;
  /** Release everything (idempotent). */
  stop(): Promise<void>;
}

export interface PeerKind {
  name: "qemu" | "sim";
  start(socketPath: string, name: string): Promise<RunningPeer>;
}

const live = new Set<ChildProcess>();
// Last resort if a test run is interrupted: never leave QEMUs behind.
process.once("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

export async function startQemu(socketPath: string, name: string): Promise<RunningPeer & { pid: number }> {
  const proc = spawn(QEMU_BIN, ["-machine", "none", "-nodefaults", "-display", "none", "-S", "-name", name, "-qmp", `unix:${socketPath},server=on,wait=off`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  live.add(proc);
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.once("exit", () => live.delete(proc));
  const deadline = Date.now() + 10_000;
  let failed: Error | null = null;
  proc.once("error", (e) => (failed = e));
  while (!existsSync(socketPath)) {
    if (failed) throw failed;
    if (proc.exitCode !== null) throw new Error(`QEMU exited (${proc.exitCode}): ${stderr}`);
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`QEMU did not create ${socketPath}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const signal = (s: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(s);
  };
  return {
    pid: proc.pid!,
    socket: socketPath,
    freeze: () => signal("SIGSTOP"),
    // Resolves when the process is gone: until then the kernel may still accept on its socket.
    kill: async () => {
      signal("SIGKILL");
      await exited;
    },
    stop: async () => {
      signal("SIGKILL");
      await exited;
    },
  };
}

/** A simulated guest that answers like the `-machine none -S -name <name>` QEMU above. */
export function machineNoneProfile(name: string): QmpProfile {
  return defaultProfile(1, {
    name,
    runState: "prelaunch",
    blockDevices: [],
    vnc: { enabled: false },
    chardevs: [],
  });
}

export async function startSim(
  socketPath: string,
  profile: QmpProfile = defaultProfile(1),
  mode: QmpServerMode = "normal",
): Promise<RunningPeer & { server: QmpServer }> {
  const server = new QmpServer({ profile, mode });
  await server.listen({ path: socketPath });
  return { server, socket: socketPath, freeze: () => server.suspend(), kill: async () => server.crash(), stop: () => server.close() };
}

export const PEERS: PeerKind[] = [
  { name: "qemu", start: (p, name) => startQemu(p, name) },
  { name: "sim", start: (p, name) => startSim(p, machineNoneProfile(name)) },
];

/** Raw conversation, for byte-level checks the client hides. */
export class RawConn {
  private buf = "";
  private waiters: Array<() => void> = [];
  private constructor(readonly sock: net.Socket) {
    sock.on("data", (d: Buffer) => {
      this.buf += d.toString("latin1");
      for (const w of this.waiters.splice(0)) w();
    });
    sock.on("error", () => {});
    sock.on("close", () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static open(socketPath: string): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ path: socketPath }, () => resolve(new RawConn(s)));
      s.once("error", reject);
    });
  }
  send(text: string | Buffer): void {
    this.sock.write(text);
  }
  /** Next CRLF-terminated line, including the CRLF. */
  async line(timeoutMs = 2_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.buf.indexOf("\r\n");
      if (i >= 0) {
        const l = this.buf.slice(0, i + 2);
        this.buf = this.buf.slice(i + 2);
        return l;
      }
      if (this.sock.destroyed || Date.now() > deadline) throw new Error(`no line (have ${JSON.stringify(this.buf)})`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }
  close(): void {
    this.sock.destroy();
  }
}
