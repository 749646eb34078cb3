/**
 * "Test connection": can dmboard reach each of a host's three peers? Read-only probes
 * with short timeouts; a verdict and a sentence per protocol.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { queryQmpFacts, scanQmpSockets } from "@/lib/devmodel/qmp";
import { XenStoreClient, toPeerError } from "@/lib/devmodel/xenstore";

export type Verdict = "ok" | "warn" | "fail";

export interface ProtocolResult {
  protocol: "xenstore" | "qmp" | "procfs";
  verdict: Verdict;
  message: string;
  elapsedMs: number;
}

export interface ConnectionReport {
  verdict: Verdict;
  results: ProtocolResult[];
}

const errCode = (e: unknown) => ((e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e)));

async function timed(protocol: ProtocolResult["protocol"], fn: () => Promise<{ verdict: Verdict; message: string }>): Promise<ProtocolResult> {
  const t0 = performance.now();
  try {
    const r = await fn();
    return { protocol, ...r, elapsedMs: Math.round(performance.now() - t0) };
  } catch (e) {
    return { protocol, verdict: "fail", message: e instanceof Error ? e.message : String(e), elapsedMs: Math.round(performance.now() - t0) };
  }
}

export async function testXenStore(socket: string, timeoutMs = 3000): Promise<ProtocolResult> {
  return timed("xenstore", async () => {
    let c: XenStoreClient;
    try {
      c = await XenStoreClient.connect({ path: socket, timeoutMs });
    } catch (e) {
      const pe = toPeerError(e);
      return { verdict: "fail", message: `cannot connect to ${socket}: ${pe.kind}: ${pe.message}` };
    }
    try {
      const doms = (await c.directory("/local/domain")).filter((d) => /^\d+$/.test(d));
      return { verdict: "ok", message: `connected to ${socket}; /local/domain lists ${doms.length} domain${doms.length === 1 ? "" : "s"}` };
    } catch (e) {
      const pe = toPeerError(e);
      return { verdict: "fail", message: `connected, but reading /local/domain failed: ${pe.kind}: ${pe.message}` };
    } finally {
      await c.close().catch(() => undefined);
    }
  });
}

export async function testQmp(dir: string, timeoutMs = 1500): Promise<ProtocolResult> {
  return timed("qmp", async () => {
    try {
      await fs.access(dir, fs.constants.R_OK | fs.constants.X_OK);
    } catch (e) {
      return { verdict: "fail", message: `cannot read ${dir}: ${errCode(e)}` };
    }
    const sockets = await scanQmpSockets(dir);
    if (sockets.size === 0) return { verdict: "warn", message: `${dir} is readable but has no qmp-libxl-<domid> / qmp-libxenstat-<domid> socket (no dom0 QEMU running?)` };
    // Probe sockets in domid order until one answers (a hung QEMU must not fail the host).
    const entries = [...sockets.entries()].sort((a, b) => a[0] - b[0]).slice(0, 3);
    const failures: string[] = [];
    for (const [domid, s] of entries) {
      const f = await queryQmpFacts({ path: s.path }, { timeoutMs });
      if (f.status === "ok")
        return {
          verdict: "ok",
          message: `${sockets.size} QMP socket${sockets.size === 1 ? "" : "s"}; ${path.basename(s.path)} answered: QEMU ${f.version.major}.${f.version.minor}.${f.version.micro}, ${f.runState}${failures.length ? ` (before it: ${failures.join("; ")})` : ""}`,
        };
      failures.push(`domain ${domid}: ${f.status}: ${f.error}`);
    }
    return { verdict: "warn", message: `${sockets.size} QMP sockets, but none of the first ${entries.length} answered: ${failures.join("; ")}` };
  });
}

export async function testProcfs(root: string): Promise<ProtocolResult> {
  return timed("procfs", async () => {
    let names: string[];
    try {
      names = await fs.readdir(root);
    } catch (e) {
      return { verdict: "fail", message: `cannot list ${root}: ${errCode(e)}` };
    }
    const pids = names.filter((n) => /^\d+$/.test(n));
    if (pids.length === 0) return { verdict: "fail", message: `${root} is readable but has no process directories: not a procfs` };
    try {
      await fs.readlink(path.join(root, "1", "ns", "mnt"));
    } catch (e) {
      return { verdict: "warn", message: `${pids.length} processes; ${root}/1/ns/mnt is not readable (${errCode(e)}): namespace checks will be unknown` };
    }
    return { verdict: "ok", message: `${pids.length} processes; PID 1's namespaces readable` };
  });
}

export async function testConnection(reach: { xenstoredPath: string; qmpDir: string; procRoot: string }): Promise<ConnectionReport> {
  const results = await Promise.all([testXenStore(reach.xenstoredPath), testQmp(reach.qmpDir), testProcfs(reach.procRoot)]);
  const verdict: Verdict = results.some((r) => r.verdict === "fail") ? "fail" : results.some((r) => r.verdict === "warn") ? "warn" : "ok";
  return { verdict, results };
}
