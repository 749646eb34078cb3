/**
 * What one simulated guest's QEMU answers. Defaults model a libxl-started
 * qemu-xen for an HVM guest (xen-devmodel.md §3.2, libxl_dm.c drive/chardev
 * naming), with reply shapes copied from the QEMU 7.2 samples.
 */
import type { QmpBlockDeviceInfo, QmpRunState, QmpVersionInfo, QmpVncInfo } from "@/lib/devmodel/qmp/types";
import { QEMU_7_2_COMMANDS, QEMU_7_2_VERSION } from "./qemu-7.2";
import { XEN_QEMU_7_2_ARCH, XEN_QEMU_7_2_COMMANDS, XEN_QEMU_7_2_MACHINES, XEN_QEMU_7_2_OPTION_NAMES, XEN_QEMU_7_2_VERSION } from "./xen-qemu-7.2";

/** A canned reply, used to override or add any command's answer. */
export type QmpSimReply = { return: unknown } | { error: { class: string; desc: string } };

export interface QmpChardevInfo {
  label: string;
  filename: string;
  "frontend-open": boolean;
}

export interface QmpProfile {
  domid: number;
  version: QmpVersionInfo;
  /** Greeting capabilities (QEMU 7.2: ["oob"]). */
  capabilities: string[];
  /** -name; null answers query-name with {} like QEMU without -name. */
  name: string | null;
  uuid: string;
  runState: QmpRunState;
  /** query-commands; also decides CommandNotFound (anything not listed). */
  commands: readonly string[];
  blockDevices: QmpBlockDeviceInfo[];
  vnc: QmpVncInfo;
  chardevs: QmpChardevInfo[];
  vcpus: number;
  kvm: { enabled: boolean; present: boolean };
  arch: string;
  /** query-command-line-options option names (shared frozen array); default: qemu-system-x86_64 7.2's. */
  optionNames?: readonly string[];
  /** query-machines (shared frozen array); default: a miniature of qemu-system-x86_64 7.2's. */
  machines?: readonly object[];
  /** Directory the chardev filenames point into (libxl's run dir). */
  runDir: string;
  /** Per-command replies that take precedence over the built-in ones. */
  replies: Record<string, QmpSimReply>;
}

/**
 * Xen's own QMP commands; qemu-system-x86_64 7.2's list has them all. Debian's Xen build (xen-qemu-7.2.ts)
 * has only the first three: it is built without replication/COLO.
 */
export const XEN_QMP_COMMANDS = [
  "xen-load-devices-state",
  "xen-save-devices-state",
  "xen-set-global-dirty-log",
  "query-xen-replication-status",
  "xen-colo-do-checkpoint",
  "xen-set-replication",
] as const;

export function defaultProfile(domid: number, overrides: Partial<QmpProfile> = {}): QmpProfile {
  const runDir = overrides.runDir ?? "/var/run/xen";
  const hex = domid.toString(16).padStart(12, "0");
  return {
    domid,
    version: structuredClone(QEMU_7_2_VERSION) as QmpVersionInfo,
    capabilities: ["oob"],
    name: `guest-${domid}`,
    // Deterministic per domid, so snapshots of a simulated host are reproducible.
    uuid: `6f1c2a3e-0000-4000-8000-${hex}`,
    runState: "running",
    // Shared frozen array: a thousand simulated guests need not hold a thousand copies.
    commands: QEMU_7_2_COMMANDS,
    blockDevices: [
      {
        device: "ide0-hd0",
        qdev: "/machine/unattached/device[23]",
        type: "unknown",
        removable: false,
        locked: false,
        "io-status": "ok",
        inserted: {
          file: `/var/lib/xen/images/guest-${domid}.img`,
          ro: false,
          drv: "raw",
          encrypted: false,
          backing_file_depth: 0,
          image: { filename: `/var/lib/xen/images/guest-${domid}.img`, format: "raw", "virtual-size": 8589934592 },
        },
      },
      {
        // libxl names an emulated CD-ROM drive "ide-<dev_number>" (hdc = 5632); empty tray.
        device: "ide-5632",
        qdev: "/machine/unattached/device[24]",
        type: "unknown",
        removable: true,
        locked: false,
        tray_open: false,
        "io-status": "ok",
      },
    ],
    vnc: {
      enabled: true,
      auth: "none",
      family: "ipv4",
      clients: [],
      service: String(5900 + domid),
      host: "127.0.0.1",
    },
    chardevs: [
      { "frontend-open": true, filename: `disconnected:unix:${runDir}/qmp-libxl-${domid},server=on`, label: "libxl-cmd" },
      {
        "frontend-open": true,
        filename: `disconnected:unix:${runDir}/qmp-libxenstat-${domid},server=on`,
        label: "libxenstat-cmd",
      },
      { "frontend-open": true, filename: `pty:/dev/pts/${domid % 256}`, label: "serial0" },
    ],
    vcpus: 1,
    // Under Xen there is no KVM (no /dev/kvm in dom0).
    kvm: { enabled: false, present: false },
    arch: "x86_64",
    runDir,
    replies: {},
    ...overrides,
  };
}

/**
 * A guest's dom0 QEMU as Debian runs it (qemu-system-xen, /usr/libexec/xen-qemu-system-i386 7.2.22,
 * started by libxl with -xen-domid): its recorded command list, version, target, options and machines
 * (xen-qemu-7.2.ts, all shared frozen data); the rest as defaultProfile.
 */
export function xenQemuProfile(domid: number, overrides: Partial<QmpProfile> = {}): QmpProfile {
  return defaultProfile(domid, {
    version: structuredClone(XEN_QEMU_7_2_VERSION) as QmpVersionInfo,
    commands: XEN_QEMU_7_2_COMMANDS,
    arch: XEN_QEMU_7_2_ARCH,
    optionNames: XEN_QEMU_7_2_OPTION_NAMES,
    machines: XEN_QEMU_7_2_MACHINES,
    ...overrides,
  });
}
