/**
 * How a snapshot reaches one host: a transport to its xenstored, a dialler for its QEMUs' QMP
 * sockets and its procfs. `localHostAccess` is the dom0 this process runs on (or the simulator's
 * sockets and fake /proc); an SSH host (issue 9) will be another implementation of the same three
 * — XenStore and QMP over `direct-streamlocal@openssh.com` channels, /proc over SFTP — and the
 * snapshot, the protocol clients and the inspection code stay as they are.
 */
import { withDeadline } from "@/lib/devmodel/protocol/deadline";
import { localProcFs, type ProcFs } from "@/lib/devmodel/procfs/fs";
import { listLocalQmpSockets, type QmpSocketEntry } from "@/lib/devmodel/qmp/socket-names";
import { PROCFS_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import { unixSocketTransport, type StreamTransport } from "@/lib/devmodel/transport";
import type { HostSnapshot } from "@/lib/devmodel/types";

/** The QMP sockets of one host: list them, and open a transport to one. */
export interface QmpDialer {
  /** The socket directory, as the host names it. */
  readonly dir: string;
  /**
   * The preferred socket per domid (qmp-libxenstat before qmp-libxl). Rejects with a Node-style
   * error (`code` ENOENT when the directory does not exist, EACCES, …).
   */
  scan(): Promise<Map<number, QmpSocketEntry>>;
  /** A transport to a socket `scan` listed. */
  transport(socketPath: string): StreamTransport;
}

export interface HostAccess {
  /** Where the three are, as shown in a snapshot's `source` and in messages. */
  readonly source: HostSnapshot["source"];
  readonly xenstored: StreamTransport;
  readonly qmp: QmpDialer;
  readonly proc: ProcFs;
}

export interface LocalHostPaths {
  /** xenstored socket path. */
  xenstored: string;
  /** Directory of the `qmp-libxenstat-<domid>` / `qmp-libxl-<domid>` sockets. */
  qmpDir: string;
  /** Root of /proc ("/proc" on a real host). */
  procRoot: string;
}

/** The QMP sockets in a local directory; listing it is bounded like a procfs read. */
export function localQmpDialer(dir: string): QmpDialer {
  return {
    dir,
    scan: () =>
      withDeadline(listLocalQmpSockets(dir), PROCFS_TIMEOUT_MS, () =>
        Object.assign(new Error(`listing ${dir} did not finish within ${PROCFS_TIMEOUT_MS} ms`), { code: "ETIMEDOUT" }),
      ),
    transport: (socketPath) => unixSocketTransport(socketPath),
  };
}

/** The host whose sockets and procfs are on this machine's file system. */
export function localHostAccess(paths: LocalHostPaths): HostAccess {
  return {
    source: { xenstored: paths.xenstored, qmpDir: paths.qmpDir, procRoot: paths.procRoot },
    xenstored: unixSocketTransport(paths.xenstored),
    qmp: localQmpDialer(paths.qmpDir),
    proc: localProcFs(paths.procRoot),
  };
}
