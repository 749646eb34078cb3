/**
 * Debian's own Xen device model (qemu-system-xen: /usr/libexec/xen-qemu-system-i386, QEMU 7.2) as
 * the QEMU of a guest, started with libxl's command line (libxl_dm.c: -xen-domid, the libxl and
 * libxenstat QMP chardevs, -no-shutdown, -nodefaults, -no-user-config, -S) on `-machine none
 * -accel qtest` (there is no hypervisor here). The snapshot reads it like on a dom0: XenStore from
 * the simulated xenstored, QMP from its sockets, the process from the real /proc by -xen-domid.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { XEN_QEMU_BINARY as XEN_QEMU, startXenQemu as startXen, xenQemuLibxlArgs as libxlArgs } from "../qmp/xen-qemu";
import { simPaths, simTmpDir } from "../sim/tmp";

const DOMID = 7;
let dir: string;
let qmpDir: string;
let host: SimHost;
let qemu: ChildProcess;
/** A second guest whose QEMU has only libxl's own socket (no libxenstat one). */
const LIBXL_ONLY = 8;
let libxlOnly: ChildProcess;

const startXenQemu = (args: string[], socket: string) => startXen(XEN_QEMU, args, socket);

beforeAll(async () => {
  if (!fs.existsSync(XEN_QEMU)) throw new Error(`${XEN_QEMU} missing: install Debian's qemu-system-xen (.ci/run does)`);
  dir = simTmpDir("xenq");
  qmpDir = path.join(dir, "xenqmp");
  fs.mkdirSync(qmpDir);
  host = await startSimHost({ vms: 0, seed: 1, ...simPaths(dir) });
  qemu = await startXenQemu(libxlArgs(DOMID, qmpDir), path.join(qmpDir, `qmp-libxenstat-${DOMID}`));
  // Without the libxenstat monitor: as a QEMU started by a libxl that does not create it.
  const args = libxlArgs(LIBXL_ONLY, qmpDir);
  const i = args.findIndex((a) => a.startsWith("socket,id=libxenstat-cmd"));
  args.splice(i - 1, 4);
  libxlOnly = await startXenQemu(args, path.join(qmpDir, `qmp-libxl-${LIBXL_ONLY}`));
  // What libxl writes for an HVM guest with qemu-xen in dom0.
  const st = host.server.store;
  st.write(`/local/domain/${DOMID}/name`, "xen-qemu-guest");
  st.write(`/local/domain/${DOMID}/image/device-model-pid`, String(qemu.pid));
  st.write(`/libxl/${DOMID}/dm-version`, "qemu_xen");
  st.write(`/libxl/${DOMID}/type`, "hvm");
  st.write(`/local/domain/0/device-model/${DOMID}/state`, "running");
  st.write(`/local/domain/${LIBXL_ONLY}/name`, "libxl-socket-only");
  st.write(`/libxl/${LIBXL_ONLY}/dm-version`, "qemu_xen");
  st.write(`/libxl/${LIBXL_ONLY}/type`, "hvm");
  st.write(`/local/domain/0/device-model/${LIBXL_ONLY}/state`, "running");
});

afterAll(async () => {
  qemu?.kill("SIGKILL");
  libxlOnly?.kill("SIGKILL");
  await host?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("Debian's Xen QEMU as the guest's device model", () => {
  it("answers the snapshot's QMP (pipelined after the greeting), on the libxenstat socket, with the Xen commands", async () => {
    const snap = await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 5000 });
    const d = snap.domains.find((x) => x.domid === DOMID)!;
    expect(d.name).toBe("xen-qemu-guest");
    expect(d.dmVersion).toBe("qemu_xen");
    expect(d.qmp.status).toBe("ok");
    if (d.qmp.status !== "ok") return;
    expect(d.qmp.socket).toBe(path.join(qmpDir, `qmp-libxenstat-${DOMID}`));
    // From the greeting (the snapshot no longer asks query-version): the same VersionInfo.
    expect(d.qmp.version).toMatchObject({ major: 7, minor: 2, package: expect.stringMatching(/^Debian /) });
    expect(d.qmp.runState).toBe("prelaunch");
    for (const c of ["xen-save-devices-state", "xen-load-devices-state", "xen-set-global-dirty-log"]) expect(d.qmp.commands).toContain(c);
    // The second read reuses the command list of this process (pid + start time) and still has it.
    const again = (await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 5000 })).domains.find((x) => x.domid === DOMID)!;
    expect(again.qmp.status === "ok" && again.qmp.commands).toEqual(d.qmp.commands);
    expect(again.qmp.status === "ok" && { name: again.qmp.name, version: again.qmp.version }).toEqual({ name: d.qmp.name, version: d.qmp.version });
  });

  it("is found in the real /proc: by libxl's recorded pid, and by -xen-domid when the record is gone", async () => {
    const snap = await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 5000 });
    const d = snap.domains.find((x) => x.domid === DOMID)!;
    expect(d.process).toMatchObject({ pid: qemu.pid, foundBy: "xenstore-device-model-pid" });
    expect(d.process?.cmdline).toContain("-xen-domid");

    host.server.store.rm(`/local/domain/${DOMID}/image/device-model-pid`);
    const byScan = (await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 5000 })).domains.find((x) => x.domid === DOMID)!;
    expect(byScan.process).toMatchObject({ pid: qemu.pid, foundBy: "cmdline-xen-domid" });
  });
});

describe("libxl's own QMP socket (qmp-libxl-<domid>)", () => {
  it("is left alone unless the host allows it: the reader never blocks on it while libxl (here: a second client) holds it", async () => {
    const sock = path.join(qmpDir, `qmp-libxl-${LIBXL_ONLY}`);
    // The "toolstack" holds the monitor: QEMU serves one client at a time.
    const holder = net.connect(sock);
    await new Promise<void>((resolve, reject) => {
      holder.once("data", () => resolve());
      holder.once("error", reject);
    });
    try {
      // A generous QMP timeout: had the reader queued behind the holder, this read would take it (and the test's own timeout).
      const snap = await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 60_000 });
      const d = snap.domains.find((x) => x.domid === LIBXL_ONLY)!;
      expect(d.qmp).toMatchObject({ status: "absent", socket: sock });
      expect("error" in d.qmp && d.qmp.error).toMatch(/QMP skipped: .*only libxl's own control socket.*does not allow/);
      // The guest with a libxenstat socket is read as ever.
      expect(snap.domains.find((x) => x.domid === DOMID)!.qmp.status).toBe("ok");

      // Where the admin allowed it, the reader does use it: it queues behind the holder and times out.
      const allowed = await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 300, libxlSocket: true });
      expect(allowed.domains.find((x) => x.domid === LIBXL_ONLY)!.qmp.status).toBe("timeout");
    } finally {
      holder.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const free = await takeSnapshot({ xenstored: host.socket, qmpDir, procRoot: "/proc", qmpTimeoutMs: 5000, libxlSocket: true });
    expect(free.domains.find((x) => x.domid === LIBXL_ONLY)!.qmp).toMatchObject({ status: "ok", socket: sock });
  });
});
