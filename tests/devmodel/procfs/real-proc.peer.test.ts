/**
 * The same reader against this machine's real /proc: our own process, and a real QEMU
 * deprivileged the way libxl does it (new mnt/ipc namespaces, rlimits, -chroot, -runas).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceModelPidFinder, forgetInitNamespaces, inspectProcess } from "@/lib/devmodel/procfs";
import { parseStatStartTime, scanXenDomids } from "@/lib/devmodel/procfs/find";

const children: ChildProcess[] = [];
let tmp: string;

function start(cmd: string, args: string[]): ChildProcess {
  const c = spawn(cmd, args, { stdio: "ignore" });
  children.push(c);
  return c;
}

/** Poll until /proc shows what we wait for (the exec chain of unshare/prlimit takes a moment). */
async function until<T>(fn: () => Promise<T | null>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error("timed out waiting for /proc");
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dm-realproc-"));
  forgetInitNamespaces("/proc");
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? null : new Promise((r) => c.once("exit", r)))));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("inspectProcess on the real /proc", () => {
  it("our own process: ids, cmdline, root, namespaces, limits", async () => {
    const f = await inspectProcess("/proc", process.pid, "cmdline-xen-domid");
    expect(f.uid?.real).toBe(process.getuid!());
    expect(f.uid?.effective).toBe(process.geteuid!());
    expect(f.gid?.real).toBe(process.getgid!());
    expect(f.cmdline?.[0]).toMatch(/node/);
    expect(f.root).toBe("/");
    expect(f.ns.mnt.self).toBe(fs.readlinkSync("/proc/self/ns/mnt"));
    expect(f.ns.ipc.self).toMatch(/^ipc:\[\d+\]$/);
    // A child inherits our soft RLIMIT_NOFILE; `ulimit -n` prints it.
    const nofile = execFileSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" }).trim();
    expect(String(f.limits?.["Max open files"]?.soft)).toBe(nofile);
    expect(f.limits?.["Max file size"]?.unit).toBe("bytes");
    // PID 1's links need ptrace access: either read, or the failure is recorded.
    for (const kind of ["mnt", "ipc"] as const) {
      if (f.ns[kind].init === null) expect(f.errors.join("\n")).toMatch(new RegExp(`init ns/${kind}: E[A-Z]+`));
      else expect(f.ns[kind].init).toMatch(new RegExp(`^${kind}:\\[\\d+\\]$`));
    }
  });

  it("a real QEMU deprivileged like libxl does: chroot, runas, own namespaces, rlimits", async () => {
    const root = path.join(tmp, "qemu-root-9");
    fs.mkdirSync(root);
    const qmp = path.join(tmp, "qmp-libxenstat-9");
    const c = start("unshare", [
      "--mount",
      "--ipc",
      "prlimit",
      "--fsize=262144",
      "--core=0",
      "--msgqueue=0",
      "--locks=0",
      "--memlock=0",
      "qemu-system-x86_64",
      "-machine",
      "none",
      "-nodefaults",
      "-display",
      "none",
      "-S",
      "-name",
      "dmtest-9",
      "-qmp",
      `unix:${qmp},server=on,wait=off`,
      "-chroot",
      root,
      "-runas",
      "nobody",
    ]);
    const pid = c.pid!;
    const f = await until(async () => {
      const x = await inspectProcess("/proc", pid, "xenstore-device-model-pid");
      // Wait until unshare and prlimit have exec'd QEMU and it has dropped privileges.
      return x.cmdline?.[0] === "qemu-system-x86_64" && x.uid?.real !== 0 ? x : null;
    });
    const nobody = Number(execFileSync("id", ["-u", "nobody"], { encoding: "utf8" }).trim());
    expect(f.uid).toEqual({ real: nobody, effective: nobody, saved: nobody, fs: nobody });
    expect(f.root).toBe(fs.realpathSync(root));
    expect(f.cmdline).toContain("-chroot");
    expect(f.ns.mnt.self).not.toBe(fs.readlinkSync("/proc/self/ns/mnt"));
    expect(f.ns.ipc.self).not.toBe(fs.readlinkSync("/proc/self/ns/ipc"));
    expect(f.limits?.["Max file size"]).toEqual({ soft: 262144, hard: 262144, unit: "bytes" });
    for (const name of ["Max core file size", "Max msgqueue size", "Max file locks", "Max locked memory"]) {
      expect(f.limits?.[name]).toMatchObject({ soft: 0, hard: 0 });
    }
  });

  it("the scan finds a live process by -xen-domid in the real /proc", async () => {
    // Not a QEMU (this build refuses -xen-domid) but a process whose argv carries it.
    const c = start("bash", ["-c", "sleep 30; :", "fake-qemu", "-xen-domid", "4242"]);
    const found = await until(async () => {
      const hit = await new DeviceModelPidFinder("/proc").find(4242, null);
      return hit ?? null;
    });
    expect(found).toEqual({ pid: c.pid, foundBy: "cmdline-xen-domid" });
    // The recorded pid is believed only when that process names the guest.
    expect(await new DeviceModelPidFinder("/proc").find(4242, c.pid)).toEqual({
      pid: c.pid,
      foundBy: "xenstore-device-model-pid",
    });
    expect(await new DeviceModelPidFinder("/proc").find(4243, c.pid)).toBeNull();
  });
});

describe("process start time (the key of per-process caches)", () => {
  it("reads field 22 of /proc/<pid>/stat, even with spaces and ')' in comm", () => {
    expect(parseStatStartTime("1234 (qemu) S 1 1234 1234 0 -1 4194560 1200 0 0 0 35 12 0 0 20 0 4 0 987654 1073741824 16384")).toBe("987654");
    expect(parseStatStartTime("1234 (a b) c)) S 1 1234 1234 0 -1 4194560 1200 0 0 0 35 12 0 0 20 0 4 0 42 1 2")).toBe("42");
    expect(parseStatStartTime("garbage")).toBeNull();
  });

  it("the scan of the real /proc gives a -xen-domid process its start time", async () => {
    const c = start(process.execPath, ["-e", "setTimeout(() => {}, 30000)", "--", "-xen-domid", "5151"]);
    await new Promise((r) => setTimeout(r, 200));
    const scan = await scanXenDomids("/proc");
    expect(scan.byDomid.get(5151)).toEqual([c.pid]);
    expect(scan.startTime.get(c.pid!)).toBe(parseStatStartTime(fs.readFileSync(`/proc/${c.pid}/stat`, "utf8")));
    expect(scan.startTime.get(c.pid!)).toMatch(/^\d+$/);
  });
});
