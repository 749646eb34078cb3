/**
 * Adapter from a fleet's QmpSpec to the QMP simulator's QmpProfile. Every simulated dom0 QEMU is a
 * Xen device model (started with -xen-domid, target i386). QEMU 7.2 is Debian's own Xen build, with
 * the replies recorded from it (xen-qemu-7.2.ts); the other versions' command lists are derived from
 * the recorded qemu-system-x86_64 7.2 list. All lists are shared between guests (1000 guests must
 * not hold 1000 copies of ~200 names).
 */
import type { QmpBlockDeviceInfo, QmpRunState, QmpVncInfo } from "@/lib/devmodel/qmp/types";
import { QEMU_7_2_COMMANDS, XEN_QEMU_7_2_COMMANDS, defaultProfile, xenQemuProfile, type QmpProfile } from "@/lib/devmodel/sim/qmp";
import type { GuestSpec, QmpSpec } from "./types";

/** Commands QEMU 7.2 has that 4.2 did not (added 5.0–7.2; qemu.git qapi "Since:" tags). */
const NEWER_THAN_4_2 = new Set([
  "block-export-add",
  "block-export-del",
  "query-block-exports",
  "blockdev-reopen",
  "calc-dirty-rate",
  "query-dirty-rate",
  "cancel-vcpu-dirty-limit",
  "set-vcpu-dirty-limit",
  "query-vcpu-dirty-limit",
  "display-reload",
  "display-update",
  "query-stats",
  "query-stats-schemas",
  "query-sgx",
  "query-sgx-capabilities",
  "query-replay",
  "replay-break",
  "replay-delete-break",
  "replay-seek",
  "yank",
  "query-yank",
  "query-sev-attestation-report",
  "x-query-virtio",
  "x-query-virtio-status",
  "x-query-virtio-queue-status",
  "x-query-virtio-vhost-queue-status",
  "x-query-virtio-queue-element",
  "chardev-change",
  "query-dirty-rate",
  "job-change",
]);
/** Added after 7.2 (e.g. query-cryptodev 8.0, dump-completed… illustrative, not exhaustive). */
const ADDED_8 = ["query-cryptodev", "query-migrationthreads"];
const ADDED_9 = [...ADDED_8, "query-dirty-limit", "x-query-interrupt-controllers"];

const freeze = (a: string[]) => Object.freeze([...new Set(a)].sort());
const COMMAND_SETS: Record<QmpSpec["commandSet"], readonly string[]> = {
  "qemu-4.2": freeze(QEMU_7_2_COMMANDS.filter((c) => !NEWER_THAN_4_2.has(c))),
  "qemu-7.2": XEN_QEMU_7_2_COMMANDS,
  "qemu-8.2": freeze([...QEMU_7_2_COMMANDS, ...ADDED_8]),
  "qemu-9.2": freeze([...QEMU_7_2_COMMANDS, ...ADDED_9]),
};

export function qmpCommandsFor(set: QmpSpec["commandSet"]): readonly string[] {
  return COMMAND_SETS[set];
}

export function qmpProfileFor(g: GuestSpec, runDir: string): QmpProfile {
  const q = g.qmp;
  if (!q) throw new Error(`guest ${g.domid} has no dom0 QMP`);
  const blockDevices: QmpBlockDeviceInfo[] = q.blockDevices.map((b, i) => ({
    device: b.device,
    qdev: `/machine/unattached/device[${23 + i}]`,
    type: "unknown",
    removable: b.removable,
    locked: false,
    "io-status": "ok",
    ...(b.removable ? { tray_open: false } : {}),
    ...(b.inserted ? { inserted: insertedRaw(b.inserted, b.removable, `#block${(g.domid * 2 + i) * 128}`) } : {}),
  }));
  const vnc: QmpVncInfo = q.vnc?.enabled
    ? { enabled: true, auth: q.vnc.auth ?? "none", family: "ipv4", clients: [], service: q.vnc.service, host: q.vnc.host }
    : { enabled: false };
  // Debian's Xen build for 7.2 (its recorded data); a Xen device model's target is i386 whatever the version.
  const base = q.commandSet === "qemu-7.2" ? xenQemuProfile : defaultProfile;
  return base(g.domid, {
    arch: "i386",
    version: { qemu: { major: q.version.major, minor: q.version.minor, micro: q.version.micro }, package: q.version.package },
    name: q.name,
    uuid: g.uuid,
    runState: q.runState as QmpRunState,
    commands: qmpCommandsFor(q.commandSet),
    blockDevices,
    vnc,
    vcpus: g.vcpus,
    runDir,
  });
}

/** Shared parts of an inserted medium's reply (frozen: read, never written). */
const CACHE = Object.freeze({ "no-flush": false, direct: false, writeback: true });

/** query-block's `inserted` for a raw image, every key QEMU 7.2 sends (recorded from the Xen build). */
function insertedRaw(file: string, ro: boolean, nodeName: string) {
  return {
    iops_rd: 0,
    detect_zeroes: "off",
    image: { "virtual-size": 8589934592, filename: file, format: "raw", "actual-size": 0, "dirty-flag": false },
    iops_wr: 0,
    ro,
    "node-name": nodeName,
    backing_file_depth: 0,
    drv: "raw",
    iops: 0,
    bps_wr: 0,
    write_threshold: 0,
    encrypted: false,
    bps: 0,
    bps_rd: 0,
    cache: CACHE,
    file,
  };
}
