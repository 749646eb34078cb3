/**
 * One read of a host through its three peers: XenStore (keys), QMP (each dom0 QEMU) and
 * /proc (each QEMU process). The collector, the server and `npm run dm -- snapshot` all
 * call `takeSnapshot`, against a real dom0 or the simulator alike.
 *
 * Never throws for a peer's failure: a dead xenstored gives `xenstore.ok = false`, a hung
 * QEMU gives `qmp.status = "timeout"` for that guest alone, an unreadable /proc entry is
 * listed in `process.errors`.
 *
 * Timing: the XenStore walk, the QMP conversations and the /proc scan run concurrently.
 * QMP conversations start as soon as /local/domain is listed (the socket directory says
 * who has one), at most `concurrency` at a time, each bounded by `qmpTimeoutMs`; a hung
 * QEMU therefore holds one slot for its timeout and delays no one else.
 */
import { DeviceModelPidFinder, inspectProcess } from "@/lib/devmodel/procfs";
import { queryQmpFacts, scanQmpSockets, type QmpSocketEntry } from "@/lib/devmodel/qmp";
import type { DomainSnapshot, HostSnapshot, PeerError, ProcessFacts, QmpFacts } from "@/lib/devmodel/types";
import { XenStoreClient, toPeerError } from "@/lib/devmodel/xenstore";
import { mapPool } from "./snapshot-pool";
import { readBackendIndex, readDomainKeys, type BackendIndex, type DomainKeys } from "./snapshot-xenstore";

export interface SnapshotOptions {
  /** xenstored socket path. */
  xenstored: string;
  /** Directory of the `qmp-libxenstat-<domid>` / `qmp-libxl-<domid>` sockets. */
  qmpDir: string;
  /** Root of /proc ("/proc" on a real host). */
  procRoot: string;
  /** XenStore: connect and per-request timeout (ms). Default 5000. */
  timeoutMs?: number;
  /** One guest's whole QMP conversation (ms). Default 1000. */
  qmpTimeoutMs?: number;
  /** QMP conversations at once. Default 32. */
  concurrency?: number;
  /** Domains read from XenStore at once (each in its own transaction). Default 32. */
  xenstoreConcurrency?: number;
  /** Use this open connection instead of opening (and closing) one. */
  client?: XenStoreClient;
}

export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 5000;
export const DEFAULT_QMP_TIMEOUT_MS = 1000;
export const DEFAULT_QMP_CONCURRENCY = 32;
const PROC_CONCURRENCY = 64;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export async function takeSnapshot(opts: SnapshotOptions): Promise<HostSnapshot> {
  const takenAt = new Date().toISOString();
  const started = performance.now();
  const source = { xenstored: opts.xenstored, qmpDir: opts.qmpDir, procRoot: opts.procRoot };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS;
  const done = (xenstore: HostSnapshot["xenstore"], domains: DomainSnapshot[]): HostSnapshot => ({
    takenAt,
    elapsedMs: round(performance.now() - started),
    source,
    xenstore,
    domains,
  });

  // Independent of XenStore: list the QMP sockets and scan /proc right away.
  const socketsP = scanQmpSockets(opts.qmpDir).then(
    (m) => ({ sockets: m, error: null as string | null }),
    (e: unknown) => ({ sockets: new Map<number, QmpSocketEntry>(), error: `cannot list ${opts.qmpDir}: ${errText(e)}` }),
  );
  const finder = new DeviceModelPidFinder(opts.procRoot);
  const scanP = finder.scan();

  let client = opts.client ?? null;
  const ownClient = !client;
  try {
    if (!client) {
      try {
        client = await XenStoreClient.connect({ path: opts.xenstored, timeoutMs });
      } catch (e) {
        await Promise.allSettled([socketsP, scanP]);
        return done({ ok: false, error: toPeerError(e) }, []);
      }
    }
    const xs = client;

    let domids: number[];
    try {
      domids = (await xs.directory("/local/domain"))
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .sort((a, b) => a - b);
    } catch (e) {
      await Promise.allSettled([socketsP, scanP]);
      return done({ ok: false, error: toPeerError(e) }, []);
    }

    // QMP for every listed domain that has a socket, started now, alongside the XenStore walk.
    const { sockets, error: socketScanError } = await socketsP;
    const qmpTimeoutMs = opts.qmpTimeoutMs ?? DEFAULT_QMP_TIMEOUT_MS;
    const withSocket = domids.filter((d) => sockets.has(d));
    const qmpP = mapPool(withSocket, opts.concurrency ?? DEFAULT_QMP_CONCURRENCY, (d) =>
      queryQmpFacts({ path: sockets.get(d)!.path }, { timeoutMs: qmpTimeoutMs }),
    ).then((facts) => new Map(withSocket.map((d, i) => [d, facts[i]])));

    const indexes = new Map<number, Promise<BackendIndex>>();
    const backendIndex = (dm: number) => {
      let p = indexes.get(dm);
      if (!p) {
        p = readBackendIndex(xs, dm);
        indexes.set(dm, p);
      }
      return p;
    };
    void backendIndex(0);

    let xsError: PeerError | null = null;
    const keyed = await mapPool(domids, opts.xenstoreConcurrency ?? 32, async (d) => {
      if (xsError) return null;
      try {
        return await readDomainKeys(xs, d, backendIndex);
      } catch (e) {
        xsError ??= toPeerError(e);
        return null;
      }
    });
    const read = keyed.filter((k): k is DomainKeys => k !== null);
    // A domain whose every key vanished was destroyed while we read: leave it out.
    const present = read.filter((k) => k.name !== null || Object.keys(k.keys).length > 0);

    const [qmpByDomid, scan] = await Promise.all([qmpP, scanP]);
    const domains = await mapPool(present, PROC_CONCURRENCY, (k) =>
      assemble(k, { qmp: qmpByDomid.get(k.domid), socketScanError, opts, finder, scanHit: scan.has(k.domid) }),
    );
    const directoryPart = xs.directoryPartSupported === true;
    return done(xsError ? { ok: false, error: xsError } : { ok: true, directoryPart }, domains);
  } finally {
    if (ownClient && client) await client.close().catch(() => undefined);
  }
}

function errText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" ? code : e instanceof Error ? e.message : String(e);
}

async function assemble(
  k: DomainKeys,
  ctx: {
    qmp: QmpFacts | undefined;
    socketScanError: string | null;
    opts: SnapshotOptions;
    finder: DeviceModelPidFinder;
    scanHit: boolean;
  },
): Promise<DomainSnapshot> {
  const g = k.domid;
  const stub = k.stubDmDomid !== null && k.stubDmDomid !== 0 ? k.stubDmDomid : null;
  const trad = k.dmVersion === "qemu_xen_traditional";
  // Evidence of a device model in dom0: its directory, libxl's records, a socket, a process.
  const libxlRecords = k.dmDir !== null || k.dmVersion !== null || k.dmPid !== null;
  const dom0Evidence = stub === null && (libxlRecords || ctx.qmp !== undefined || ctx.scanHit);
  const dmDomid = stub ?? (dom0Evidence ? 0 : null);

  let qmp: QmpFacts;
  if (ctx.qmp) qmp = ctx.qmp;
  else if (stub !== null) {
    qmp = { status: "absent", socket: null, error: `device model runs in stub domain ${stub}; its QMP is reached over vchan, not from dom0` };
  } else if (dmDomid === null) qmp = { status: "absent", socket: null, error: "no device model" };
  else if (trad) qmp = { status: "absent", socket: null, error: "qemu-xen-traditional has no QMP" };
  else if (!libxlRecords) {
    // A QEMU libxl knows nothing of (e.g. xencommons' qdisk QEMU for dom0, -monitor /dev/null).
    qmp = { status: "absent", socket: null, error: `no QMP socket for domain ${g}, and no libxl device-model records` };
  } else if (ctx.socketScanError) qmp = { status: "error", socket: null, error: ctx.socketScanError };
  else {
    // A dom0 QEMU should have one (libxl always creates qmp-libxl-<g>): its absence means
    // the QEMU is gone or its socket was removed.
    const expected = `${ctx.opts.qmpDir.replace(/\/+$/, "")}/qmp-libxl-${g}`;
    qmp = { status: "unreachable", socket: expected, error: `no QMP socket for domain ${g} in ${ctx.opts.qmpDir} (ENOENT)` };
  }

  let process: ProcessFacts | null = null;
  let processError: PeerError | null = null;
  if (stub !== null) {
    processError = { kind: "absent", message: `device model runs in stub domain ${stub}, not in dom0` };
  } else if (dmDomid === null) {
    processError = { kind: "absent", message: "no device model" };
  } else {
    const hit = await ctx.finder.find(g, k.dmPid);
    if (hit) process = await inspectProcess(ctx.opts.procRoot, hit.pid, hit.foundBy, { cmdline: await ctx.finder.argvOf(hit.pid) });
    else {
      processError = {
        kind: "absent",
        message:
          k.dmPid !== null
            ? `device-model-pid ${k.dmPid} is not a live process serving domain ${g}, and no process has -xen-domid ${g}`
            : `no process with -xen-domid ${g} in ${ctx.opts.procRoot}`,
      };
    }
  }

  return {
    domid: g,
    name: k.name,
    guestType: k.guestType,
    dmDomid,
    dmVersion: k.dmVersion,
    keys: sortKeys(k.keys),
    dmDirPerms: k.dmDirPerms,
    qmp,
    process,
    processError,
  };
}

/** Stable key order (the walk finishes subtrees in whatever order replies come). */
function sortKeys(keys: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of Object.keys(keys).sort()) out[p] = keys[p];
  return out;
}
