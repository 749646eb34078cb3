/**
 * One read of a host through its three peers: XenStore (keys), QMP (each dom0 QEMU) and
 * /proc (each QEMU process). The collector, the server and `npm run dm -- snapshot` all
 * call `takeSnapshot`, against a real dom0 or the simulator alike.
 *
 * Never throws for a peer's failure: a dead xenstored gives `xenstore.ok = false`, a hung
 * QEMU gives `qmp.status = "timeout"` for that guest alone, an unreadable /proc entry is
 * listed in `process.errors`.
 *
 * The host is reached through a HostAccess (host-access.ts): local sockets and /proc, or any
 * other transports and procfs, e.g. over SSH. Secrets are masked at the source (secrets.ts):
 * in XenStore values here, in command lines and block paths where those are read.
 *
 * Timing: the XenStore walk, the QMP conversations and the /proc scan run concurrently.
 * QMP conversations start as soon as /local/domain is listed (the socket directory says
 * who has one), at most `concurrency` at a time, each bounded by `qmpTimeoutMs`; a hung
 * QEMU therefore holds one slot for its timeout and delays no one else.
 */
import { localHostAccess, type HostAccess, type LocalHostPaths } from "@/lib/devmodel/host-access";
import { DeviceModelPidFinder, inspectProcess } from "@/lib/devmodel/procfs";
import { queryQmpFacts, type QmpSocketEntry } from "@/lib/devmodel/qmp";
import { QmpHostMemo, qmpHostMemo } from "@/lib/devmodel/qmp/commands-cache";
import { QMP_TIMEOUT_MS, XENSTORE_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import type { DomainSnapshot, HostSnapshot, PeerError, ProcessFacts, QmpFacts } from "@/lib/devmodel/types";
import { XenStoreClient, toPeerError } from "@/lib/devmodel/xenstore";
import { mapPool } from "./snapshot-pool";
import { readDomainKeys, readHostIndex, type DomainKeys, type HostIndex } from "./snapshot-xenstore";

export interface SnapshotLimits {
  /** XenStore: connect and per-request timeout (ms). Default XENSTORE_TIMEOUT_MS. */
  timeoutMs?: number;
  /** One guest's whole QMP conversation (ms). Default QMP_TIMEOUT_MS. */
  qmpTimeoutMs?: number;
  /** QMP conversations at once. Default 32. */
  concurrency?: number;
  /** Domains read from XenStore at once (each in its own transaction). Default DEFAULT_XENSTORE_CONCURRENCY. */
  xenstoreConcurrency?: number;
  /** Use this open connection instead of opening (and closing) one. */
  client?: XenStoreClient;
  /**
   * Talk to a QEMU over libxl's own control socket (`qmp-libxl-<domid>`) when it has no
   * `qmp-libxenstat-<domid>`. Off by default: QEMU serves one client at a time on a monitor, and a
   * reader holding libxl's can stall its save, migrate or hotplug; a host's admin turns it on.
   */
  libxlSocket?: boolean;
  /**
   * Read only these domains (those of them still listed under /local/domain): a watch-driven
   * re-read of what changed, merged by the caller into its last full snapshot (mergeSnapshot).
   * Nobody else's QMP is asked, so a hung QEMU elsewhere does not hold it up.
   */
  domids?: readonly number[];
}

/**
 * A host to read: `access` (any transports and procfs, e.g. over SSH), or — the convenience for
 * the dom0 this runs on and for the simulator — the three local paths.
 */
export type SnapshotOptions = SnapshotLimits & ({ access: HostAccess } | LocalHostPaths);

export const DEFAULT_QMP_CONCURRENCY = 32;
/**
 * A snapshot lasts as long as its longest chain of XenStore round trips (~7 per domain), and
 * each round trip costs a turn of both event loops, busy with the QMP conversations meanwhile.
 * 128 domains in flight make ~8 such chains for 1000 guests instead of ~32, and each write and
 * read carries more requests. xenstored does not limit the transactions of dom0's socket
 * connections (its quotas apply to unprivileged domains), and a refusal falls back to plain reads.
 */
export const DEFAULT_XENSTORE_CONCURRENCY = 128;
const PROC_CONCURRENCY = 64;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export async function takeSnapshot(opts: SnapshotOptions): Promise<HostSnapshot> {
  const takenAt = new Date().toISOString();
  const started = performance.now();
  const access = "access" in opts ? opts.access : localHostAccess(opts);
  const source = { ...access.source };
  const timeoutMs = opts.timeoutMs ?? XENSTORE_TIMEOUT_MS;
  const done = (xenstore: HostSnapshot["xenstore"], domains: DomainSnapshot[]): HostSnapshot => ({
    takenAt,
    elapsedMs: round(performance.now() - started),
    source,
    xenstore,
    domains,
  });

  // Independent of XenStore: list the QMP sockets and scan /proc right away.
  const socketsP = access.qmp.scan().then(
    (m) => ({ sockets: m, error: null as string | null }),
    (e: unknown) => ({
      sockets: new Map<number, QmpSocketEntry>(),
      // No socket directory means no QEMU has a socket: not an error of the host.
      error: errText(e) === "ENOENT" ? null : `cannot list ${source.qmpDir}: ${errText(e)}`,
    }),
  );
  const finder = new DeviceModelPidFinder(access.proc);
  // A partial read looks its few processes up by libxl's recorded pid (a scan only when that fails).
  const partial = opts.domids !== undefined;
  const scanP = partial ? Promise.resolve(null) : finder.scan();

  let client = opts.client ?? null;
  const ownClient = !client;
  try {
    if (!client) {
      try {
        client = await XenStoreClient.connect({ transport: access.xenstored, timeoutMs });
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
      if (opts.domids) {
        const only = new Set(opts.domids);
        domids = domids.filter((d) => only.has(d));
      }
    } catch (e) {
      await Promise.allSettled([socketsP, scanP]);
      return done({ ok: false, error: toPeerError(e) }, []);
    }

    // QMP for every listed domain that has a socket, started now, alongside the XenStore walk.
    const { sockets, error: socketScanError } = await socketsP;
    const qmpTimeoutMs = opts.qmpTimeoutMs ?? QMP_TIMEOUT_MS;
    // A QEMU's command list and name are asked once per process (pid + start time from the /proc scan),
    // and a socket that timed out last time is talked to first (qmp/commands-cache.ts).
    const memo = qmpHostMemo(source);
    const socketOf = (d: number) => sockets.get(d)!.path;
    // libxl's own socket only where the host allows it: the others are skipped, and say why.
    const skipped = new Map<number, QmpFacts>();
    for (const d of domids) {
      const e = sockets.get(d);
      if (e && e.kind === "libxl" && !opts.libxlSocket) {
        skipped.set(d, {
          status: "absent",
          socket: e.path,
          error: `QMP skipped: this QEMU has only libxl's own control socket (${e.path}), which libxl needs free for save, migrate and hotplug; this host does not allow dmboard to use it (host settings)`,
        });
      }
    }
    const withSocket = memo.slowFirst(
      domids.filter((d) => sockets.has(d) && !skipped.has(d)),
      socketOf,
    );
    const qmpP = mapPool(withSocket, opts.concurrency ?? DEFAULT_QMP_CONCURRENCY, async (d) => {
      // A QEMU that timed out last time is asked everything at once, without waiting for the
      // /proc scan (its pid only keys the cache): its timeout then starts with the snapshot.
      const scan = partial || memo.isSlow(socketOf(d)) ? null : await finder.fullScan();
      const pid = scan?.byDomid.get(d)?.[0];
      const key = QmpHostMemo.processKey(socketOf(d), pid, pid === undefined ? undefined : scan?.startTime.get(pid));
      const known = memo.known(key);
      const facts = await queryQmpFacts(access.qmp.transport(socketOf(d)), { timeoutMs: qmpTimeoutMs, known });
      if (facts.status === "ok" && !known) facts.commands = memo.remember(key, facts);
      return facts;
    }).then((facts) => {
      if (!partial) memo.setSlow(withSocket.filter((d, i) => facts[i].status === "timeout").map(socketOf));
      return new Map([...skipped, ...withSocket.map((d, i) => [d, facts[i]] as const)]);
    });

    // /proc work runs on libuv's threads: start inspecting every QEMU the scan found now,
    // so it overlaps the XenStore walk instead of following it.
    const inspections = new Map<number, Promise<ProcessFacts>>();
    const inspect = (pid: number, argv: string[] | undefined) => {
      let p = inspections.get(pid);
      if (!p) {
        p = inspectProcess(access.proc, pid, "cmdline-xen-domid", { cmdline: argv });
        inspections.set(pid, p);
      }
      return p;
    };
    const listed = new Set(domids);
    const early = partial
      ? Promise.resolve()
      : finder.fullScan().then((scan) =>
          mapPool(
            [...scan.byDomid].filter(([d]) => listed.has(d)),
            PROC_CONCURRENCY,
            ([, pids]) => inspect(pids[0], scan.argv.get(pids[0])),
          ),
        );

    let xsError: PeerError | null = null;
    let index: HostIndex;
    try {
      index = await readHostIndex(xs);
    } catch (e) {
      await Promise.allSettled([qmpP, early]);
      return done({ ok: false, error: toPeerError(e) }, []);
    }
    const keyed = await mapPool(domids, opts.xenstoreConcurrency ?? DEFAULT_XENSTORE_CONCURRENCY, async (d) => {
      if (xsError) return null;
      try {
        return await readDomainKeys(xs, d, index);
      } catch (e) {
        xsError ??= toPeerError(e);
        return null;
      }
    });
    const read = keyed.filter((k): k is DomainKeys => k !== null);
    // A domain whose every key vanished was destroyed while we read: leave it out.
    const present = read.filter((k) => k.name !== null || k.keys.size > 0);

    const [qmpByDomid, scan] = await Promise.all([qmpP, scanP, early]);
    const domains = await mapPool(present, PROC_CONCURRENCY, (k) =>
      assemble(k, {
        qmp: qmpByDomid.get(k.domid),
        socketScanError,
        source,
        finder,
        inspect,
        scanHit: scan ? scan.has(k.domid) : finder.find(k.domid, k.dmPid).then((hit) => hit !== null),
      }),
    );
    const directoryPart = xs.directoryPartSupported === true;
    return done(xsError ? { ok: false, error: xsError } : { ok: true, directoryPart }, domains);
  } finally {
    if (ownClient && client) await client.close().catch(() => undefined);
  }
}

/**
 * `full` with the domains `partial` was asked for (`domids`) replaced by what `partial` read:
 * a domain of `domids` that `partial` does not have is gone. The rest, and the XenStore verdict
 * when `partial` failed, come from `full`.
 */
export function mergeSnapshot(full: HostSnapshot, partial: HostSnapshot, domids: readonly number[]): HostSnapshot {
  if (!partial.xenstore.ok) return partial;
  const asked = new Set(domids);
  const domains = [...full.domains.filter((d) => !asked.has(d.domid)), ...partial.domains.filter((d) => asked.has(d.domid))].sort((a, b) => a.domid - b.domid);
  return { ...partial, domains };
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
    source: HostSnapshot["source"];
    finder: DeviceModelPidFinder;
    inspect: (pid: number, argv: string[] | undefined) => Promise<ProcessFacts>;
    scanHit: boolean | Promise<boolean>;
  },
): Promise<DomainSnapshot> {
  const g = k.domid;
  const stub = k.stubDmDomid !== null && k.stubDmDomid !== 0 ? k.stubDmDomid : null;
  const trad = k.dmVersion === "qemu_xen_traditional";
  // Evidence of a device model in dom0: its directory, libxl's records, a socket, a process.
  const libxlRecords = k.dmDir !== null || k.dmVersion !== null || k.dmPid !== null;
  const dom0Evidence = stub === null && (libxlRecords || ctx.qmp !== undefined || (await ctx.scanHit));
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
    const expected = `${ctx.source.qmpDir.replace(/(?<!\/)\/+$/, "")}/qmp-libxl-${g}`;
    qmp = { status: "unreachable", socket: expected, error: `no QMP socket for domain ${g} in ${ctx.source.qmpDir} (ENOENT)` };
  }

  let process: ProcessFacts | null = null;
  let processError: PeerError | null = null;
  if (stub !== null) {
    processError = { kind: "absent", message: `device model runs in stub domain ${stub}, not in dom0` };
  } else if (dmDomid === null) {
    processError = { kind: "absent", message: "no device model" };
  } else {
    const hit = await ctx.finder.find(g, k.dmPid);
    // Usually inspected already (early, from the scan); foundBy is how *this* lookup found it.
    if (hit) process = { ...(await ctx.inspect(hit.pid, await ctx.finder.argvOf(hit.pid))), foundBy: hit.foundBy };
    else {
      processError = {
        kind: "absent",
        message:
          k.dmPid !== null
            ? `device-model-pid ${k.dmPid} is not a live process serving domain ${g}, and no process has -xen-domid ${g}`
            : `no process with -xen-domid ${g} in ${ctx.source.procRoot}`,
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

/**
 * Stable, sorted key order whatever order the replies came in. The object is put in
 * dictionary mode before filling it: every domain has different key names, and adding
 * 30 new names one by one would make V8 build a chain of 30 hidden classes per domain
 * (measured: 10× slower for 1000 domains).
 */
function sortKeys(keys: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = { a: "", b: "" };
  delete out.a;
  delete out.b;
  for (const p of [...keys.keys()].sort()) out[p] = keys.get(p)!;
  return out;
}
