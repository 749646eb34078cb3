/**
 * What the collector keeps per host, and what pages, the read API and the live stream
 * see of it. Plain data; no Prisma, no React.
 */
import type { HostAnalysis } from "@/lib/devmodel/analysis";
import type { HostSnapshot } from "@/lib/devmodel/types";

export type HostKind = "local" | "sim" | "ssh";

/** How to reach one host: the part of the Host row the collector needs. */
export interface HostConfig {
  id: string;
  name: string;
  kind: HostKind;
  xenstoredPath: string;
  qmpDir: string;
  procRoot: string;
  pollIntervalSec: number;
  enabled: boolean;
  /** kind "ssh": user@host:port; the three paths above are on that host. */
  sshTarget?: string | null;
  /** kind "ssh": private key file (a path; the key is read at connect, never stored). */
  sshIdentityPath?: string | null;
  /** kind "ssh": the pinned host key fingerprint (SHA256:…); null until an admin accepts one. */
  sshHostKey?: string | null;
  /**
   * Use libxl's own QMP socket (`qmp-libxl-<domid>`) where a QEMU has no libxenstat one. Off by
   * default: QEMU serves one client at a time there, and libxl needs it for save, migrate, hotplug.
   */
  libxlSocket?: boolean;
}

/**
 * pending: no read finished yet; ok: the last read succeeded and is recent;
 * stale: no successful read for longer than the host's stale threshold (a read hangs,
 * or the collector is behind); unreachable: the last read failed (xenstored dead, …).
 */
export type HostStatus = "pending" | "ok" | "stale" | "unreachable";

export interface HostState {
  host: HostConfig;
  status: HostStatus;
  /** Last finished read (ISO) and its error when it failed. */
  lastAttemptAt: string | null;
  error: string | null;
  /** Time of the last successful read (ISO). */
  lastGoodAt: string | null;
  /** The last good snapshot and its analysis (kept while the host is unreachable: shown as such). */
  snapshot: HostSnapshot | null;
  analysis: HostAnalysis | null;
  /** Milliseconds the last read took. */
  elapsedMs: number | null;
  /** Increments whenever the analysis or the status changes. */
  version: number;
  /** Whether every XenStore watch is registered now (changes arrive without waiting for the poll). */
  watching: boolean;
  /**
   * Why changes may not arrive although the watch connection is up: a watch that xenstored
   * refused to take back after a reconnect (it is retried). Null when every watch is registered.
   */
  watchError: string | null;
  reads: number;
  /** The server instance that collects this host (several instances on PostgreSQL: lib/hosts/shared.ts). */
  collectedBy?: string | null;
}

/** A change seen between two good reads of a host. */
export interface VmEventInput {
  domid: number;
  kind: "vm-started" | "vm-stopped" | "dependency-appeared" | "dependency-gone" | "depriv-changed" | "qmp-changed";
  detail: string;
}

/** What the live stream pushes: compact, one per host change. */
export interface LiveUpdate {
  hostId: string;
  name: string;
  status: HostStatus;
  version: number;
  lastGoodAt: string | null;
  error: string | null;
  vmCount: number;
  deprivileged: number;
  /** Domids whose row changed since the previous update (empty when unknown). */
  changed: number[];
}
