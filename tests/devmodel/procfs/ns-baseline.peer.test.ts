/**
 * The host's namespaces a device model is compared with: PID 1's, or — where /proc/1/ns cannot
 * be read (as on these machines, even as root) — xenstored's, or the reader's own on its own
 * /proc. The evidence says which baseline was used.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeHost, DEFAULT_XS_RULES } from "@/lib/devmodel/analysis";
import { forgetInitNamespaces, inspectProcess, readInitNamespaces } from "@/lib/devmodel/procfs";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { simPaths, simTmpDir } from "../sim/tmp";

let dir: string;
let host: SimHost;

beforeAll(async () => {
  dir = simTmpDir("nsbase");
  host = await startSimHost({ vms: 15, seed: 3, ...simPaths(dir) });
});
afterAll(async () => {
  await host?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("namespace baseline", () => {
  it("is PID 1's where /proc/1/ns can be read", async () => {
    forgetInitNamespaces(host.procDir);
    const init = await readInitNamespaces(host.procDir);
    expect(init).toMatchObject({ baseline: "PID 1", mnt: "mnt:[4026531841]", ipc: "ipc:[4026531839]", errors: [] });
  });

  it("falls back to xenstored's where /proc/1/ns cannot be read, and the verdicts and evidence say so", async () => {
    fs.rmSync(path.join(host.procDir, "1", "ns"), { recursive: true });
    forgetInitNamespaces(host.procDir);
    const init = await readInitNamespaces(host.procDir);
    expect(init).toMatchObject({ baseline: "xenstored (pid 412)", mnt: "mnt:[4026531841]", ipc: "ipc:[4026531839]" });

    const snap = await takeSnapshot({ xenstored: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir, qmpTimeoutMs: 3000 });
    const analysis = analyzeHost(snap, DEFAULT_XS_RULES);
    const depriv = host.fleet.guests.find((g) => g.kind === "hvm-depriv" && !g.traits.unusual)!;
    const root = host.fleet.guests.find((g) => g.kind === "hvm-root" && g.qmp?.mode === "normal")!;
    const checkOf = (domid: number) => {
      const vm = analysis.vms.find((v) => v.domid === domid)!;
      return vm.depriv.checks.find((c) => c.id === "namespaces")!;
    };
    expect(checkOf(depriv.domid)).toMatchObject({ verdict: "pass" });
    expect(checkOf(depriv.domid).evidence).toContain("xenstored (pid 412)");
    expect(checkOf(root.domid)).toMatchObject({ verdict: "fail" });
    expect(checkOf(root.domid).evidence).toContain("/proc/1/ns not readable");
  });

  it("on this machine's own /proc: PID 1's if readable, else the reader's own, named as such", async () => {
    forgetInitNamespaces("/proc");
    const init = await readInitNamespaces("/proc");
    let pid1Readable = true;
    try {
      fs.readlinkSync("/proc/1/ns/mnt");
    } catch {
      pid1Readable = false;
    }
    if (pid1Readable) expect(init.baseline).toBe("PID 1");
    else {
      expect(init.baseline).toMatch(new RegExp(`^the reader \\(pid ${process.pid};`));
      expect(init.mnt).toBe(fs.readlinkSync("/proc/self/ns/mnt"));
      expect(init.errors).toEqual([]);
    }
    const self = await inspectProcess("/proc", process.pid, "cmdline-xen-domid");
    expect(self.ns.baseline).toBe(init.baseline);
    expect(self.ns.mnt.init).toBe(self.ns.mnt.self);
  });
});
