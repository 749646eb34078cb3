/**
 * The shape of a simulated Xen host: plain data, JSON-serialisable, produced by
 * `generateFleet` and consumed by the sim host (xenstored, QMP servers, fake /proc).
 */
import type { ProcLimit, QmpVersion } from "@/lib/devmodel/types";
import type { FleetProfileName } from "./profiles";

/** One XenStore node: absolute path, value ("" for a directory), wire perms owner first ("n0", "r5"). */
export interface XsNodeSpec {
  path: string;
  value: string;
  perms: readonly string[];
}

/** What the fake /proc shows for one process. */
export interface FakeProcessSpec {
  pid: number;
  ppid: number;
  /** `Name:` in status (comm, 15 chars max). */
  comm: string;
  cmdline: string[];
  /** real, effective, saved, fs */
  uid: [number, number, number, number];
  gid: [number, number, number, number];
  /** readlink of /proc/<pid>/root. */
  root: string;
  /** readlink of ns/mnt and ns/ipc, e.g. "mnt:[4026531841]". */
  ns: { mnt: string; ipc: string };
  limits: Record<string, ProcLimit>;
}

/**
 * How a guest's device model is set up.
 * - hvm-depriv: qemu-xen in dom0 with dm_restrict (range-base uid, chroot, namespaces, rlimits)
 * - hvm-partial: qemu-xen in dom0, only some of the depriv measures (see `partial`)
 * - hvm-root: qemu-xen in dom0 as root, nothing restricted
 * - hvm-trad: qemu-xen-traditional (qemu-dm) in dom0
 * - hvm-stubdom: the device model runs in a stub domain (`stubdomDomid`)
 * - stubdom: the stub domain itself (a PV domain whose consoles a dom0 QEMU serves)
 * - pv-qemu: PV guest with QEMU serving qdisk/vkbd/console backends
 * - pv: PV guest with kernel backends only (vbd/vif), no QEMU at all
 */
export type GuestKind = "hvm-depriv" | "hvm-partial" | "hvm-root" | "hvm-trad" | "hvm-stubdom" | "stubdom" | "pv-qemu" | "pv";

/**
 * - shared-user: `-runas xen-qemuuser-shared` (libxl's fallback user), no restrict/chroot/ns/rlimits
 * - no-chroot: range-base uid and `-xen-domid-restrict`, but no chroot
 * - no-ns-rlimits: uid, restrict and chroot, but host namespaces and default rlimits
 *   (e.g. a toolstack whose pre-exec restrictions did not run)
 */
export type PartialVariant = "shared-user" | "no-chroot" | "no-ns-rlimits";

/** QMP conversation of a simulated QEMU. */
export interface QmpSpec {
  /** normal: answers; hang: accepts and never answers; gone: no socket at all. */
  mode: "normal" | "hang" | "gone";
  version: QmpVersion;
  runState: string;
  /** `-name` of the QEMU. */
  name: string;
  /** Which command list the QEMU advertises (shared arrays, see `qmpCommandsFor`). */
  commandSet: "qemu-4.2" | "qemu-7.2" | "qemu-8.2" | "qemu-9.2";
  blockDevices: { device: string; removable: boolean; inserted: string | null }[];
  vnc: { enabled: boolean; host?: string; service?: string; auth?: "none" | "vnc" } | null;
}

/**
 * A secret the host exposes to whoever reads it, as the real toolstack and QEMU leave it (the
 * board must mask it): a VNC password in XenStore, or a SPICE password on QEMU's command line.
 */
export type SecretSpec =
  | {
      kind: "vnc-password";
      where: "xenstore";
      /**
       * `/local/domain/0/backend/vfb/<g>/0/vncpasswd` (libxl, libxl__set_xenstore_vfb) or
       * `/local/domain/<g>/console/vnc-pass` (qemu-xen-traditional, xenstore_write_vncinfo).
       */
      path: string;
      value: string;
    }
  | {
      kind: "spice-password";
      where: "cmdline";
      /** The argument whose value carries it: `-spice port=…,password=<pw>,…` (libxl dm_spice_options). */
      option: "-spice";
      value: string;
    };

export interface GuestTraits {
  /** Device model deprivileged: fully, partly, not at all; null when there is no dom0 QEMU. */
  depriv: "full" | "partial" | "none" | null;
  partial?: PartialVariant;
  /** `device-model/<g>/physmap/...` keys present (QEMU built for Xen < 4.10). */
  physmap: boolean;
  /** XenServer-style clipboard keys under data/ (undocumented). */
  clipboard: boolean;
  /** Keys no analysis rule knows (x-custom-feature…). */
  unusual: boolean;
  /** `device-model/<g>/state` present. */
  stateKey: boolean;
  /** `image/device-model-pid` recorded. */
  pidKey: boolean;
}

export interface GuestSpec {
  domid: number;
  name: string;
  uuid: string;
  kind: GuestKind;
  guestType: "hvm" | "pv";
  /** Domain the device model runs in; null when the guest has none. */
  dmDomid: number | null;
  /** `/libxl/<g>/dm-version`, null when absent. */
  dmVersion: "qemu_xen" | "qemu_xen_traditional" | null;
  /** For hvm-stubdom: its stub domain; for stubdom: the guest it serves. */
  stubdomDomid?: number;
  targetDomid?: number;
  memoryMiB: number;
  vcpus: number;
  traits: GuestTraits;
  /** Every XenStore node that belongs to this guest, parents before children. */
  nodes: XsNodeSpec[];
  /** dom0 QMP of its QEMU; null when no QEMU runs in dom0 for it. */
  qmp: QmpSpec | null;
  /** dom0 process of its QEMU; null when none. */
  process: FakeProcessSpec | null;
  /** Passwords the host shows for this domain (none for most). */
  secrets: SecretSpec[];
}

export interface FleetSpec {
  seed: number;
  /** What kind of dom0 (fleet/profiles.ts). */
  profile: FleetProfileName;
  vms: number;
  hostname: string;
  /** dom0 and host-wide nodes (/local/domain/0, /tool, /vm…), parents before children. */
  hostNodes: XsNodeSpec[];
  /** Processes that are not guest device models: init (pid 1), xenstored, a dom0 qdisk QEMU… */
  hostProcesses: FakeProcessSpec[];
  /** Guests sorted by domid (stub domains included, right after the guest they serve). */
  guests: GuestSpec[];
  /** Namespace ids of the host (PID 1). */
  hostNs: { mnt: string; ipc: string };
}
