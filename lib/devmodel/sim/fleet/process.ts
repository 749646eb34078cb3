/**
 * Fake dom0 processes: the command lines, ids, roots, namespaces and rlimits that
 * libxl gives a QEMU (xen-devmodel.md §3.2, §4.3, §4.4), so the /proc checks of §4.6
 * have something realistic to look at.
 */
import type { ProcLimit } from "@/lib/devmodel/types";
import type { FakeProcessSpec } from "./types";

/** `xen-qemuuser-range-base` as the feature doc suggests (`adduser --uid 131072`). */
export const RANGE_BASE_UID = 131072;
export const RANGE_BASE_GID = 131072;
/** A typical system uid for `xen-qemuuser-shared`. */
export const SHARED_UID = 998;
export const SHARED_GID = 998;
/** What libxl puts on command lines (`XEN_RUN_DIR`) … */
export const XEN_RUN_DIR = "/var/run/xen";
/** … and what the kernel shows for /proc/<pid>/root, /var/run being a symlink to /run on Debian. */
export const XEN_RUN_DIR_RESOLVED = "/run/xen";
const QEMU_XEN_BINARY = "/usr/lib/xen/bin/qemu-system-i386";
const QEMU_TRAD_BINARY = "/usr/lib/xen/bin/qemu-dm";

const u = "unlimited" as const;
function lim(soft: number | "unlimited", hard: number | "unlimited", unit: string): ProcLimit {
  return { soft, hard, unit };
}

/** A root process's limits on a Debian dom0. Shared object: never mutate. */
export const DEFAULT_LIMITS: Readonly<Record<string, ProcLimit>> = Object.freeze({
  "Max cpu time": lim(u, u, "seconds"),
  "Max file size": lim(u, u, "bytes"),
  "Max data size": lim(u, u, "bytes"),
  "Max stack size": lim(8388608, u, "bytes"),
  "Max core file size": lim(0, u, "bytes"),
  "Max resident set": lim(u, u, "bytes"),
  "Max processes": lim(95426, 95426, "processes"),
  "Max open files": lim(1024, 524288, "files"),
  "Max locked memory": lim(8388608, 8388608, "bytes"),
  "Max address space": lim(u, u, "bytes"),
  "Max file locks": lim(u, u, "locks"),
  "Max pending signals": lim(95426, 95426, "signals"),
  "Max msgqueue size": lim(819200, 819200, "bytes"),
  "Max nice priority": lim(0, 0, ""),
  "Max realtime priority": lim(0, 0, ""),
  "Max realtime timeout": lim(u, u, "us"),
});

/** libxl__local_dm_preexec_restrict: FSIZE 256 KiB, CORE/MSGQUEUE/LOCKS/MEMLOCK 0, soft = hard. */
export const DEPRIV_LIMITS: Readonly<Record<string, ProcLimit>> = Object.freeze({
  ...DEFAULT_LIMITS,
  "Max file size": lim(262144, 262144, "bytes"),
  "Max core file size": lim(0, 0, "bytes"),
  "Max locked memory": lim(0, 0, "bytes"),
  "Max file locks": lim(0, 0, "locks"),
  "Max msgqueue size": lim(0, 0, "bytes"),
});

function ids(n: number): [number, number, number, number] {
  return [n, n, n, n];
}

function qmpChardevArgs(domid: number): string[] {
  return [
    "-chardev",
    `socket,id=libxl-cmd,path=${XEN_RUN_DIR}/qmp-libxl-${domid},server=on,wait=off`,
    "-mon",
    "chardev=libxl-cmd,mode=control",
    "-chardev",
    `socket,id=libxenstat-cmd,path=${XEN_RUN_DIR}/qmp-libxenstat-${domid},server=on,wait=off`,
    "-mon",
    "chardev=libxenstat-cmd,mode=control",
  ];
}

export interface HvmCmdlineOpts {
  domid: number;
  name: string;
  memoryMiB: number;
  vcpus: number;
  restrict: boolean;
  /** `-chroot <dir>` / `-run-with chroot=<dir>` */
  chroot: string | null;
  /** `-runas <user>` / `-run-with user=<user>` */
  runas: string | null;
  /** QEMU ≥ 9.0: libxl uses `-run-with` instead of `-chroot`/`-runas`. */
  runWith: boolean;
  vga: "cirrus" | "stdvga";
  /** SPICE with ticketing: libxl puts the password on the command line (dm_spice_options). */
  spice?: { port: number; password: string } | null;
}

/** `-spice` as libxl's dm_spice_options writes it for a guest with spicepasswd set. */
export function spiceOption(s: { port: number; password: string }): string {
  return `port=${s.port},tls-port=0,addr=127.0.0.1,password=${s.password},agent-mouse=on`;
}

/** Roughly libxl__build_device_model_args_new for an HVM guest. */
export function hvmCmdline(o: HvmCmdlineOpts): string[] {
  const a = [QEMU_XEN_BINARY, "-xen-domid", String(o.domid), ...qmpChardevArgs(o.domid), "-no-shutdown"];
  a.push("-nodefaults", "-no-user-config", "-name", o.name);
  a.push("-vnc", `127.0.0.1:${o.domid},to=99`, "-display", "none");
  if (o.spice) a.push("-spice", spiceOption(o.spice));
  a.push("-serial", "pty");
  a.push("-device", o.vga === "cirrus" ? "cirrus-vga,vgamem_mb=8" : "VGA,vgamem_mb=16");
  a.push("-boot", "order=cd", "-usb", "-device", "usb-tablet");
  a.push("-smp", `${o.vcpus},maxcpus=${o.vcpus}`, "-net", "none", "-machine", "xenfv");
  a.push("-m", String(o.memoryMiB - 8));
  a.push("-drive", `file=/dev/vg0/${o.name}-disk,if=ide,index=0,media=disk,format=raw,cache=writeback`);
  if (o.restrict) a.push("-xen-domid-restrict");
  if (o.runWith) {
    if (o.chroot) a.push("-run-with", `chroot=${o.chroot}`);
    if (o.runas) a.push("-run-with", `user=${o.runas}`);
  } else {
    if (o.chroot) a.push("-chroot", o.chroot);
    if (o.runas) a.push("-runas", o.runas);
  }
  return a;
}

/**
 * A QEMU attached to a PV domain only to serve backends (`-xen-attach`, machine xenpv); with a
 * vfb it serves the framebuffer over VNC.
 */
export function pvQemuCmdline(domid: number, name: string, memoryMiB: number, vnc = false): string[] {
  return [
    QEMU_XEN_BINARY,
    "-xen-domid",
    String(domid),
    ...qmpChardevArgs(domid),
    "-no-shutdown",
    "-nodefaults",
    "-no-user-config",
    "-xen-attach",
    "-name",
    name,
    "-vnc",
    vnc ? `127.0.0.1:${domid},to=99` : "none",
    "-display",
    "none",
    "-nographic",
    "-machine",
    "xenpv",
    "-m",
    String(memoryMiB),
  ];
}

/** qemu-xen-traditional: `-d <domid>`, not `-xen-domid` (libxl__build_device_model_args_old). */
export function tradCmdline(domid: number, name: string, memoryMiB: number, vcpus: number): string[] {
  return [
    QEMU_TRAD_BINARY,
    "-d",
    String(domid),
    "-domain-name",
    name,
    "-videoram",
    "4",
    "-k",
    "en-us",
    "-vnc",
    `127.0.0.1:${domid}`,
    "-vncunused",
    "-boot",
    "c",
    "-serial",
    "pty",
    "-acpi",
    "-vcpus",
    String(vcpus),
    "-net",
    "none",
    "-M",
    "xenfv",
    "-m",
    String(memoryMiB),
  ];
}

export function process(
  pid: number,
  comm: string,
  cmdline: string[],
  opts: {
    uid?: number;
    gid?: number;
    root?: string;
    ns: { mnt: string; ipc: string };
    limits?: Readonly<Record<string, ProcLimit>>;
    ppid?: number;
  },
): FakeProcessSpec {
  return {
    pid,
    ppid: opts.ppid ?? 1,
    comm: comm.slice(0, 15),
    cmdline,
    uid: ids(opts.uid ?? 0),
    gid: ids(opts.gid ?? 0),
    root: opts.root ?? "/",
    ns: opts.ns,
    limits: (opts.limits ?? DEFAULT_LIMITS) as Record<string, ProcLimit>,
  };
}
