/**
 * The contract between the device-model adapters and everything above them.
 *
 * A `HostSnapshot` is what one read of a host produces (through XenStore, QMP and
 * /proc). It is plain JSON: the snapshot command prints it, the collector stores
 * it, the analysis reads it. Nothing here knows of React, Next.js or Prisma.
 */

/** One failure of a peer, as shown to a user: which protocol, what kind, the message. */
export interface PeerError {
  /** "timeout": the peer accepted but did not answer in time; "unreachable": no connection;
   *  "protocol": it answered something that is not the protocol; "denied": permission;
   *  "absent": nothing there to ask (e.g. no QMP socket for this guest). */
  kind: "timeout" | "unreachable" | "protocol" | "denied" | "absent" | "error";
  message: string;
}

export interface XsPermEntry {
  domid: number;
  access: "none" | "read" | "write" | "both";
}
/** Parsed GET_PERMS reply: the first entry is the owner and gives the default access. */
export interface XsPerms {
  owner: number;
  defaultAccess: XsPermEntry["access"];
  entries: XsPermEntry[];
}

export interface QmpVersion {
  major: number;
  minor: number;
  micro: number;
  package: string;
}

export type QmpFacts =
  | {
      status: "ok";
      socket: string;
      version: QmpVersion;
      /** RunState from query-status, e.g. "running", "paused", "prelaunch". */
      runState: string;
      running: boolean;
      /** Every command name query-commands returned. */
      commands: string[];
      /** query-name, when set. */
      name: string | null;
      /** Number of block devices (query-block) and VNC state (query-vnc), when available. */
      blockDevices: { device: string; removable: boolean; inserted: string | null }[];
      vnc: { enabled: boolean; host?: string; service?: string } | null;
      /** Milliseconds the whole QMP conversation took. */
      elapsedMs: number;
    }
  | { status: "timeout" | "unreachable" | "protocol" | "absent" | "error"; socket: string | null; error: string };

export interface ProcIds {
  real: number;
  effective: number;
  saved: number;
  fs: number;
}

export interface ProcLimit {
  soft: number | "unlimited";
  hard: number | "unlimited";
  unit: string;
}

export interface ProcessFacts {
  pid: number;
  /** How the pid was found. */
  foundBy: "xenstore-device-model-pid" | "cmdline-xen-domid";
  cmdline: string[] | null;
  uid: ProcIds | null;
  gid: ProcIds | null;
  /** readlink of /proc/<pid>/root ("/" when not chrooted). */
  root: string | null;
  /** Namespace links of the process and of PID 1, e.g. "mnt:[4026531841]". */
  ns: {
    mnt: { self: string | null; init: string | null };
    ipc: { self: string | null; init: string | null };
    /**
     * Whose namespaces `init` are: "PID 1", or a fallback where /proc/1/ns cannot be read
     * ("xenstored (pid N)", "the reader (pid N; …)"); null when none could be read.
     */
    baseline?: string | null;
  };
  /** /proc/<pid>/limits keyed by the limit's name as printed, e.g. "Max file size". */
  limits: Record<string, ProcLimit> | null;
  /** What could not be read and why (e.g. "root: EACCES"). */
  errors: string[];
}

export interface DomainSnapshot {
  domid: number;
  /** /local/domain/<g>/name */
  name: string | null;
  /** "hvm" | "pv" | "pvh" | null, from the guest's keys when known. */
  guestType: string | null;
  /** domid the device model runs in: 0 for dom0, the stub domain's id, or null when none found. */
  dmDomid: number | null;
  /** /libxl/<g>/dm-version when present ("qemu_xen", "qemu_xen_traditional"). */
  dmVersion: string | null;
  /**
   * Every XenStore key that belongs to this guest's device model, absolute path → value.
   * Gathered from: /local/domain/<dm>/device-model/<g>/**, /local/domain/<g>/image/**,
   * /libxl/<g>/**, /local/domain/<dm>/backend/<type>/<g>/** for the backend types QEMU serves,
   * /local/domain/<g>/console/**, /local/domain/<g>/device/console/**, /local/domain/<g>/control/**,
   * /local/domain/<g>/data/** . Directories appear with value "".
   */
  keys: Record<string, string>;
  /** Permissions of the device-model directory, when readable. */
  dmDirPerms: XsPerms | null;
  qmp: QmpFacts;
  process: ProcessFacts | null;
  /** Why the process facts are missing, when they are. */
  processError: PeerError | null;
}

export interface HostSnapshot {
  /** ISO 8601 time the read started. */
  takenAt: string;
  elapsedMs: number;
  source: { xenstored: string; qmpDir: string; procRoot: string };
  xenstore: { ok: true; directoryPart: boolean } | { ok: false; error: PeerError };
  /** Every domain under /local/domain, dom0 included, sorted by domid. */
  domains: DomainSnapshot[];
}
