/**
 * Debian's own Xen device model (qemu-system-xen: /usr/libexec/xen-qemu-system-i386, QEMU 7.2) as a
 * test peer, started with libxl's command line (libxl_dm.c: -xen-domid, the libxl and libxenstat
 * QMP chardevs, -no-shutdown, -nodefaults, -no-user-config, -S) on `-machine none -accel qtest`
 * (there is no hypervisor here). Used by the real-peer tests and scripts/record-xen-qemu.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";

export const XEN_QEMU_BINARY = process.env.XEN_QEMU ?? "/usr/libexec/xen-qemu-system-i386";

/** Spawns the Xen QEMU and resolves once `socket` exists (QMP is then ready). */
export async function startXenQemu(bin: string, args: string[], socket: string): Promise<ChildProcess> {
  if (!fs.existsSync(bin)) throw new Error(`${bin} missing: install Debian's qemu-system-xen (.ci/run does)`);
  const p = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  p.stderr!.on("data", (b) => (err += b));
  const end = Date.now() + 10_000;
  while (!fs.existsSync(socket)) {
    if (p.exitCode !== null || Date.now() > end) {
      p.kill("SIGKILL");
      throw new Error(`Xen QEMU did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return p;
}

/** libxl's device-model command line for an HVM guest's dom0 QEMU, as far as it applies without Xen. */
export function xenQemuLibxlArgs(domid: number, socketDir: string): string[] {
  return [
    "-xen-domid",
    String(domid),
    "-no-shutdown",
    "-nodefaults",
    "-no-user-config",
    "-chardev",
    `socket,id=libxl-cmd,path=${socketDir}/qmp-libxl-${domid},server=on,wait=off`,
    "-mon",
    "chardev=libxl-cmd,mode=control",
    "-chardev",
    `socket,id=libxenstat-cmd,path=${socketDir}/qmp-libxenstat-${domid},server=on,wait=off`,
    "-mon",
    "chardev=libxenstat-cmd,mode=control",
    "-display",
    "none",
    "-S",
    "-machine",
    "none",
    "-accel",
    "qtest",
  ];
}
