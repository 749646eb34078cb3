/**
 * "Test connection": can dmboard reach each of a host's three peers? Read-only probes
 * with the usual bounds (lib/devmodel/timeouts.ts); a verdict and a sentence per protocol.
 * Goes through the same host access as a snapshot (local paths today, SSH later), so what
 * it says is what a read will meet.
 */
import path from "node:path";
import { localHostAccess, localQmpDialer, type HostAccess, type QmpDialer } from "@/lib/devmodel/host-access";
import { toProcFs, type ProcFs } from "@/lib/devmodel/procfs";
import { queryQmpFacts } from "@/lib/devmodel/qmp";
import { QMP_TIMEOUT_MS, XENSTORE_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import { unixSocketTransport, type StreamTransport } from "@/lib/devmodel/transport";
import { XenStoreClient, toPeerError } from "@/lib/devmodel/xenstore";

export type Verdict = "ok" | "warn" | "fail";

export interface ProtocolResult {
  protocol: "ssh" | "xenstore" | "qmp" | "procfs";
  verdict: Verdict;
  message: string;
  elapsedMs: number;
}

export interface ConnectionReport {
  verdict: Verdict;
  results: ProtocolResult[];
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException)?.code ?? (e instanceof Error ? e.message : String(e));

async function timed(protocol: ProtocolResult["protocol"], fn: () => Promise<{ verdict: Verdict; message: string }>): Promise<ProtocolResult> {
  const t0 = performance.now();
  try {
    const r = await fn();
    return { protocol, ...r, elapsedMs: Math.round(performance.now() - t0) };
  } catch (e) {
    return { protocol, verdict: "fail", message: e instanceof Error ? e.message : String(e), elapsedMs: Math.round(performance.now() - t0) };
  }
}

/** `xenstored`: a transport, or a local socket path. */
export async function testXenStore(xenstored: StreamTransport | string, timeoutMs = XENSTORE_TIMEOUT_MS): Promise<ProtocolResult> {
  const transport = typeof xenstored === "string" ? unixSocketTransport(xenstored) : xenstored;
  const where = transport.address;
  return timed("xenstore", async () => {
    let c: XenStoreClient;
    try {
      c = await XenStoreClient.connect({ transport, timeoutMs });
    } catch (e) {
      const pe = toPeerError(e);
      return { verdict: "fail", message: `cannot connect to ${where}: ${pe.kind}: ${pe.message}` };
    }
    try {
      const doms = (await c.directory("/local/domain")).filter((d) => /^\d+$/.test(d));
      return { verdict: "ok", message: `connected to ${where}; /local/domain lists ${doms.length} domain${doms.length === 1 ? "" : "s"}` };
    } catch (e) {
      const pe = toPeerError(e);
      return { verdict: "fail", message: `connected, but reading /local/domain failed: ${pe.kind}: ${pe.message}` };
    } finally {
      await c.close().catch(() => undefined);
    }
  });
}

/** `qmp`: a dialler, or a local socket directory. */
export async function testQmp(qmp: QmpDialer | string, timeoutMs = QMP_TIMEOUT_MS): Promise<ProtocolResult> {
  const dialer = typeof qmp === "string" ? localQmpDialer(qmp) : qmp;
  const dir = dialer.dir;
  return timed("qmp", async () => {
    let sockets;
    try {
      sockets = await dialer.scan();
    } catch (e) {
      return { verdict: "fail", message: `cannot read ${dir}: ${errCode(e)}` };
    }
    if (sockets.size === 0)
      return { verdict: "warn", message: `${dir} is readable but has no qmp-libxl-<domid> / qmp-libxenstat-<domid> socket (no dom0 QEMU running?)` };
    // Probe sockets in domid order until one answers (a hung QEMU must not fail the host).
    const entries = [...sockets.entries()].sort((a, b) => a[0] - b[0]).slice(0, 3);
    const failures: string[] = [];
    for (const [domid, s] of entries) {
      const f = await queryQmpFacts(dialer.transport(s.path), { timeoutMs });
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

/** `procfs`: a procfs, or a local root path. */
export async function testProcfs(procfs: ProcFs | string): Promise<ProtocolResult> {
  const fs = toProcFs(procfs);
  const root = fs.root;
  return timed("procfs", async () => {
    let names: string[];
    try {
      names = await fs.readdir("");
    } catch (e) {
      return { verdict: "fail", message: `cannot list ${root}: ${errCode(e)}` };
    }
    const pids = names.filter((n) => /^\d+$/.test(n));
    if (pids.length === 0) return { verdict: "fail", message: `${root} is readable but has no process directories: not a procfs` };
    try {
      await fs.readlink("1/ns/mnt");
    } catch (e) {
      return { verdict: "warn", message: `${pids.length} processes; ${root}/1/ns/mnt is not readable (${errCode(e)}): namespace checks will be unknown` };
    }
    return { verdict: "ok", message: `${pids.length} processes; PID 1's namespaces readable` };
  });
}

/** Probe a host: through its access, or (the convenience for a local host) its three paths. */
export async function testConnection(reach: HostAccess | { xenstoredPath: string; qmpDir: string; procRoot: string }): Promise<ConnectionReport> {
  const access = "xenstored" in reach ? reach : localHostAccess({ xenstored: reach.xenstoredPath, qmpDir: reach.qmpDir, procRoot: reach.procRoot });
  const results = await Promise.all([testXenStore(access.xenstored), testQmp(access.qmp), testProcfs(access.proc)]);
  const verdict: Verdict = results.some((r) => r.verdict === "fail") ? "fail" : results.some((r) => r.verdict === "warn") ? "warn" : "ok";
  return { verdict, results };
}
