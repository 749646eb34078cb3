/** Hand-made snapshots for the analysis tests. */
import type { DomainSnapshot, HostSnapshot, ProcessFacts, ProcLimit, QmpFacts } from "@/lib/devmodel/types";

export const RESTRICTED_LIMITS: Record<string, ProcLimit> = {
  "Max file size": { soft: 262144, hard: 262144, unit: "bytes" },
  "Max core file size": { soft: 0, hard: 0, unit: "bytes" },
  "Max msgqueue size": { soft: 0, hard: 0, unit: "bytes" },
  "Max file locks": { soft: 0, hard: 0, unit: "locks" },
  "Max locked memory": { soft: 0, hard: 0, unit: "bytes" },
  "Max open files": { soft: 1024, hard: 4096, unit: "files" },
};
export const DEFAULT_LIMITS: Record<string, ProcLimit> = {
  "Max file size": { soft: "unlimited", hard: "unlimited", unit: "bytes" },
  "Max core file size": { soft: 0, hard: "unlimited", unit: "bytes" },
  "Max msgqueue size": { soft: 819200, hard: 819200, unit: "bytes" },
  "Max file locks": { soft: "unlimited", hard: "unlimited", unit: "locks" },
  "Max locked memory": { soft: 8388608, hard: 8388608, unit: "bytes" },
};

export const INIT_NS = { mnt: "mnt:[4026531841]", ipc: "ipc:[4026531839]" };

export function qmpOk(overrides: Partial<Extract<QmpFacts, { status: "ok" }>> = {}): QmpFacts {
  return {
    status: "ok",
    socket: "/var/run/xen/qmp-libxenstat-5",
    version: { major: 8, minor: 2, micro: 0, package: "Debian 1:8.2+dfsg-1" },
    runState: "running",
    running: true,
    commands: [
      "qmp_capabilities",
      "query-status",
      "query-version",
      "query-commands",
      "cont",
      "stop",
      "add-fd",
      "remove-fd",
      "blockdev-change-medium",
      "eject",
      "device_add",
      "device_del",
      "xen-save-devices-state",
      "xen-load-devices-state",
      "xen-set-global-dirty-log",
    ],
    name: "vm",
    blockDevices: [],
    vnc: null,
    elapsedMs: 3,
    ...overrides,
  };
}

export const QMP_ABSENT: QmpFacts = { status: "absent", socket: null, error: "no QMP socket for this guest" };

export function proc(domid: number, overrides: Partial<ProcessFacts> = {}): ProcessFacts {
  const uid = 131072 + domid;
  return {
    pid: 4000 + domid,
    foundBy: "xenstore-device-model-pid",
    cmdline: [
      "/usr/lib/xen/bin/qemu-system-i386",
      "-xen-domid",
      String(domid),
      "-no-shutdown",
      "-xen-domid-restrict",
      "-chroot",
      `/var/run/xen/qemu-root-${domid}`,
      "-runas",
      `${uid}:131072`,
      "-S",
    ],
    uid: { real: uid, effective: uid, saved: uid, fs: uid },
    gid: { real: 131072, effective: 131072, saved: 131072, fs: 131072 },
    root: `/var/run/xen/qemu-root-${domid}`,
    ns: {
      mnt: { self: "mnt:[4026532500]", init: INIT_NS.mnt },
      ipc: { self: "ipc:[4026532501]", init: INIT_NS.ipc },
    },
    limits: RESTRICTED_LIMITS,
    errors: [],
    ...overrides,
  };
}

/** A root QEMU started without any restriction. */
export function rootProc(domid: number): ProcessFacts {
  return proc(domid, {
    cmdline: ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", String(domid), "-no-shutdown"],
    uid: { real: 0, effective: 0, saved: 0, fs: 0 },
    gid: { real: 0, effective: 0, saved: 0, fs: 0 },
    root: "/",
    ns: { mnt: { self: INIT_NS.mnt, init: INIT_NS.mnt }, ipc: { self: INIT_NS.ipc, init: INIT_NS.ipc } },
    limits: DEFAULT_LIMITS,
  });
}

export function domain(domid: number, overrides: Partial<DomainSnapshot> = {}): DomainSnapshot {
  return {
    domid,
    name: `vm${domid}`,
    guestType: "hvm",
    dmDomid: 0,
    dmVersion: "qemu_xen",
    keys: {},
    dmDirPerms: null,
    qmp: QMP_ABSENT,
    process: null,
    processError: null,
    ...overrides,
  };
}

const dmDir = (dm: number, g: number) => `/local/domain/${dm}/device-model/${g}`;

/** dom5: qemu-xen in dom0 with dm_restrict and the range-base uid: fully deprivileged. */
export function deprivGuest(domid = 5): DomainSnapshot {
  const dm = dmDir(0, domid);
  return domain(domid, {
    keys: {
      [dm]: "",
      [`${dm}/backends`]: "",
      [`${dm}/backends/console`]: "",
      [`${dm}/backends/vkbd`]: "",
      [`/local/domain/${domid}/image`]: "",
      [`/local/domain/${domid}/image/device-model-pid`]: String(4000 + domid),
      [`/local/domain/${domid}/image/device-model-kill-uid`]: String(131072 + domid),
      [`/libxl/${domid}`]: "",
      [`/libxl/${domid}/dm-version`]: "qemu_xen",
      [`/local/domain/${domid}/console/tty`]: "/dev/pts/4",
    },
    qmp: qmpOk({ socket: `/var/run/xen/qmp-libxenstat-${domid}` }),
    process: proc(domid),
  });
}

/** dom6: root QEMU that still writes state=running and physmap keys. */
export function privilegedGuest(domid = 6): DomainSnapshot {
  const dm = dmDir(0, domid);
  return domain(domid, {
    keys: {
      [dm]: "",
      [`${dm}/state`]: "running",
      [`${dm}/physmap`]: "",
      [`${dm}/physmap/f0000000`]: "",
      [`${dm}/physmap/f0000000/start_addr`]: "f0000000",
      [`${dm}/physmap/f0000000/size`]: "800000",
      [`${dm}/physmap/f0000000/name`]: "vga.vram",
      [`/local/domain/${domid}/image/device-model-pid`]: String(4000 + domid),
      [`/local/domain/${domid}/control`]: "",
      [`/local/domain/${domid}/control/shutdown`]: "",
      [`/local/domain/${domid}/control/feature-poweroff`]: "1",
    },
    qmp: qmpOk({ socket: `/var/run/xen/qmp-libxl-${domid}` }),
    process: rootProc(domid),
  });
}

/** dom7: qemu-xen-traditional driven through command/parameter/logdirty. */
export function tradGuest(domid = 7): DomainSnapshot {
  const dm = dmDir(0, domid);
  return domain(domid, {
    dmVersion: "qemu_xen_traditional",
    keys: {
      [dm]: "",
      [`${dm}/state`]: "running",
      [`${dm}/command`]: "pci-ins",
      [`${dm}/parameter`]: "0000:03:00.0",
      [`${dm}/logdirty`]: "",
      [`${dm}/logdirty/cmd`]: "enable",
      [`${dm}/logdirty/ret`]: "enable",
      [`/local/domain/${domid}/image/device-model-pid`]: String(4000 + domid),
      [`/libxl/${domid}/dm-version`]: "qemu_xen_traditional",
    },
    process: rootProc(domid),
  });
}

/** dom8 with its device model in stub domain 9; dom9 is that stub domain. */
export function stubdomGuest(domid = 8, stub = 9): DomainSnapshot {
  const dm = dmDir(stub, domid);
  return domain(domid, {
    dmDomid: stub,
    keys: {
      [dm]: "",
      [`${dm}/state`]: "running",
      [`${dm}/qmp-vchan`]: `/local/domain/${stub}/device-model/${domid}/qmp-vchan`,
      [`/local/domain/${domid}/image/device-model-domid`]: String(stub),
    },
  });
}

export function stubdomItself(stub = 9): DomainSnapshot {
  return domain(stub, { name: "vm8-dm", guestType: "pv", dmDomid: null, dmVersion: null });
}

/** dom10: PV guest whose qdisk and vkbd backends are served by QEMU in dom0. */
export function pvQemuBackends(domid = 10): DomainSnapshot {
  return domain(domid, {
    guestType: "pv",
    keys: {
      [`/local/domain/0/backend/qdisk/${domid}/51712`]: "",
      [`/local/domain/0/backend/qdisk/${domid}/51712/frontend`]: `/local/domain/${domid}/device/vbd/51712`,
      [`/local/domain/0/backend/qdisk/${domid}/51712/frontend-id`]: String(domid),
      [`/local/domain/0/backend/qdisk/${domid}/51712/online`]: "1",
      [`/local/domain/0/backend/qdisk/${domid}/51712/state`]: "4",
      [`/local/domain/0/backend/vkbd/${domid}/0/state`]: "4",
      [`/local/domain/${domid}/image/device-model-pid`]: String(4000 + domid),
    },
    process: proc(domid),
  });
}

/** dom11: PV guest with no QEMU at all. */
export function pvNoQemu(domid = 11): DomainSnapshot {
  return domain(domid, {
    guestType: "pv",
    dmDomid: null,
    dmVersion: null,
    keys: {
      [`/local/domain/${domid}/control/shutdown`]: "",
      [`/local/domain/${domid}/control/feature-poweroff`]: "1",
    },
  });
}

/** dom12: a deprivileged guest with keys no rule knows. */
export function unknownKeysGuest(domid = 12): DomainSnapshot {
  const d = deprivGuest(domid);
  d.keys[`${dmDir(0, domid)}/mystery`] = "1";
  d.keys[`/local/domain/${domid}/data`] = "";
  d.keys[`/local/domain/${domid}/data/xs-agent-version`] = "7.4";
  return d;
}

/** dom13: qemu-xen whose process could not be inspected at all. */
export function noProcessGuest(domid = 13): DomainSnapshot {
  return domain(domid, {
    keys: { [`${dmDir(0, domid)}`]: "", [`/local/domain/${domid}/image/device-model-pid`]: "4013" },
    process: null,
    processError: { kind: "denied", message: "no permission to read /proc/4013 (run the collector as root)" },
  });
}

/** dom14: uid switched and domid-restricted, but no chroot, namespaces or rlimits. */
export function partialGuest(domid = 14): DomainSnapshot {
  const uid = 131072 + domid;
  return domain(domid, {
    keys: {
      [`${dmDir(0, domid)}`]: "",
      [`/local/domain/${domid}/image/device-model-pid`]: String(4000 + domid),
      [`/local/domain/${domid}/image/device-model-kill-uid`]: String(uid),
    },
    process: proc(domid, {
      cmdline: ["/usr/lib/xen/bin/qemu-system-i386", "-xen-domid", String(domid), "-xen-domid-restrict", "-run-with", `user=${uid}:131072`],
      root: "/",
      ns: { mnt: { self: INIT_NS.mnt, init: INIT_NS.mnt }, ipc: { self: INIT_NS.ipc, init: INIT_NS.ipc } },
      limits: DEFAULT_LIMITS,
    }),
  });
}

export function dom0(): DomainSnapshot {
  return domain(0, { name: "Domain-0", guestType: null, dmDomid: null, dmVersion: null });
}

export function host(domains: DomainSnapshot[]): HostSnapshot {
  return {
    takenAt: "2026-09-01T10:00:00.000Z",
    elapsedMs: 12,
    source: { xenstored: "/var/run/xenstored/socket", qmpDir: "/var/run/xen", procRoot: "/proc" },
    xenstore: { ok: true, directoryPart: true },
    domains: [...domains].sort((a, b) => a.domid - b.domid),
  };
}
