/**
 * The CLIs as a user runs them, with the real xenstore-utils (Debian's C client) as the
 * independent judge that our simulated xenstored speaks the protocol.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLabManifest } from "@/lib/devmodel/sim";
import { generateFleet } from "@/lib/devmodel/sim/fleet";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { simPaths, simTmpDir } from "./tmp";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../../..");
const children = new Set<ChildProcess>();
const dirs: string[] = [];

/** Start `npm run sim` (as node + tsx, what the npm script runs) and wait until it serves. */
async function startSim(args: string[]): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
  children.add(child);
  let err = "";
  child.stderr!.on("data", (b) => (err += b));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`sim did not start:\n${err}`)), 25_000);
    const check = () => {
      if (err.includes("Ctrl-C to stop")) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stderr!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`sim exited with ${code}:\n${err}`));
    });
  });
  return { child, stderr: () => err };
}

async function stopSim(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGINT");
  const code = await exited;
  children.delete(child);
  return code;
}

// `npm run dm` as package.json runs it: the bundle scripts/build-dm.mjs makes, on plain node.
const DM_BUNDLE = path.join(ROOT, "node_modules/.cache/dmboard/dm.mjs");
beforeAll(async () => {
  await run(process.execPath, ["scripts/build-dm.mjs"], { cwd: ROOT });
}, 60_000);

function dm(args: string[]) {
  return run(process.execPath, [DM_BUNDLE, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

afterAll(async () => {
  for (const c of children) {
    const gone = new Promise((r) => c.once("exit", r));
    c.kill("SIGKILL");
    await gone;
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe("npm run sim + real xenstore-utils + npm run dm -- snapshot", () => {
  it("serves a 50-VM host that xenstore-ls lists, and dm snapshot --json reads it", async () => {
    const dir = simTmpDir("cli");
    dirs.push(dir);
    const p = simPaths(dir);
    const fleet = generateFleet({ vms: 50, seed: 3 });
    const { child, stderr } = await startSim(["--vms", "50", "--seed", "3", "--socket", p.socket, "--qmp-dir", p.qmpDir, "--proc", p.procDir]);
    expect(stderr()).toContain(`XENSTORED_PATH=${p.socket} xenstore-ls`);

    const env = { ...process.env, XENSTORED_PATH: p.socket };
    const ls = await run("xenstore-ls", ["-f", "/local/domain/1"], { env });
    expect(ls.stdout).toContain(`/local/domain/1/name = "${fleet.guests[0].name}"`);
    const all = await run("xenstore-ls", ["-f", "/"], { env, maxBuffer: 64 * 1024 * 1024 });
    const lines = all.stdout.split("\n").filter(Boolean);
    const fleetNodes = fleet.guests.reduce((n, g) => n + g.nodes.length, 0) + fleet.hostNodes.length;
    expect(lines.length).toBeGreaterThanOrEqual(fleetNodes);
    const dep = fleet.guests.find((g) => g.kind === "hvm-depriv" && g.traits.pidKey)!;
    expect(lines).toContain(`/local/domain/${dep.domid}/image/device-model-pid = "${dep.process!.pid}"`);
    const perms = await run("xenstore-ls", ["-p", `/local/domain/${dep.domid}/control`], { env });
    // xenstore-ls pads with dots before the perms: `shutdown = "" . . .  (n2)`.
    expect(perms.stdout).toMatch(new RegExp(`shutdown = ""[ .]*\\(n${dep.domid}\\)`));
    expect(perms.stdout).toMatch(new RegExp(`platform-feature-multiprocessor-suspend = "1"[ .]*\\(n0,r${dep.domid}\\)`));

    const r = await dm(["snapshot", "--json", "--xenstored", p.socket, "--qmp-dir", p.qmpDir, "--proc", p.procDir, "--qmp-timeout", "400"]);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as HostSnapshot;
    expect(snap.xenstore.ok).toBe(true);
    expect(snap.domains.map((d) => d.name)).toEqual(["Domain-0", ...fleet.guests.map((g) => g.name)]);
    const d = snap.domains.find((x) => x.domid === dep.domid)!;
    expect(d.process?.uid?.real).toBe(dep.process!.uid[0]);
    expect(d.qmp.status).toBe("ok");

    const human = await dm(["snapshot", "--xenstored", p.socket, "--qmp-dir", p.qmpDir, "--proc", p.procDir, "--qmp-timeout", "400"]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`domain ${dep.domid} ${dep.name}: hvm, device model in dom0 (qemu_xen)`);
    expect(human.stdout).toMatch(new RegExp(`process: pid ${dep.process!.pid} \\(found by xenstore-device-model-pid\\) uid ${dep.process!.uid[0]}/`));

    expect(await stopSim(child)).toBe(0);
    expect(fs.existsSync(p.socket)).toBe(false);
    expect(fs.existsSync(p.qmpDir)).toBe(false);
    expect(fs.existsSync(p.procDir)).toBe(false);
  });

  it("--vms 0 is an empty dom0 that real xenstore-write fills, and the snapshot sees the new domain", async () => {
    const dir = simTmpDir("cli0");
    dirs.push(dir);
    const p = simPaths(dir);
    const { child } = await startSim(["--vms", "0", "--socket", p.socket, "--qmp-dir", p.qmpDir, "--proc", p.procDir]);
    const env = { ...process.env, XENSTORED_PATH: p.socket };
    expect((await run("xenstore-read", ["/local/domain/0/name"], { env })).stdout.trim()).toBe("Domain-0");
    expect((await run("xenstore-list", ["/local/domain"], { env })).stdout.trim()).toBe("0");
    await run(
      "xenstore-write",
      [
        "/local/domain/7/name",
        "hand-made",
        "/local/domain/7/image/device-model-pid",
        "999999",
        "/libxl/7/dm-version",
        "qemu_xen",
        "/libxl/7/type",
        "hvm",
        "/local/domain/0/device-model/7/state",
        "running",
      ],
      { env },
    );
    await run("xenstore-chmod", ["/local/domain/0/device-model/7", "n0", "r7"], { env });

    const snap = await takeSnapshot({ xenstored: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir, qmpTimeoutMs: 400 });
    expect(snap.domains.map((d) => d.domid)).toEqual([0, 7]);
    const d = snap.domains[1];
    expect(d).toMatchObject({ name: "hand-made", guestType: "hvm", dmDomid: 0, dmVersion: "qemu_xen" });
    expect(d.keys["/local/domain/0/device-model/7/state"]).toBe("running");
    expect(d.dmDirPerms).toEqual({
      owner: 0,
      defaultAccess: "none",
      entries: [
        { domid: 0, access: "none" },
        { domid: 7, access: "read" },
      ],
    });
    // libxl's records say a QEMU should be there; neither its socket nor its process is.
    expect(d.qmp.status).toBe("unreachable");
    expect(d.process).toBeNull();
    expect(d.processError?.message).toContain("999999");
    expect(await stopSim(child)).toBe(0);
  });

  it("--hosts serves a lab under --dir: hosts.json lists each host's paths, Ctrl-C removes it all", async () => {
    const base = simTmpDir("cli-lab");
    dirs.push(base);
    const dir = path.join(base, "lab");
    const { child, stderr } = await startSim(["--hosts", "3", "--vms", "4", "--seed", "20", "--dir", dir, "--change-interval", "3600000"]);
    expect(stderr()).toMatch(/lab of 3 hosts × 4 VMs \(\d+ domains besides the dom0s; seeds 20–22; mixed, depriv, legacy\) ready/);
    const m = readLabManifest(dir);
    expect(m.pid).toBe(child.pid);
    expect(m.hosts.map((h) => h.name)).toEqual(["host-01", "host-02", "host-03"]);
    const seen = new Set<string>();
    for (const h of m.hosts) {
      const env = { ...process.env, XENSTORED_PATH: h.xenstoredPath };
      const list = (await run("xenstore-list", ["/local/domain"], { env })).stdout.trim().split("\n");
      expect(list).toHaveLength(h.domains + 1);
      seen.add((await run("xenstore-read", ["/local/domain/1/name"], { env })).stdout.trim());
      expect(fs.readdirSync(h.qmpDir).length).toBeGreaterThan(0);
      expect(fs.existsSync(path.join(h.procRoot, "1", "cmdline"))).toBe(true);
    }
    expect(seen.size).toBe(3);
    // A deliberate write on one host's writer socket; the exit summary counts it apart.
    await run("xenstore-write", ["/local/domain/0/x", "1"], { env: { ...process.env, XENSTORED_PATH: m.hosts[1].writerPath } });
    expect(await stopSim(child)).toBe(0);
    expect(stderr()).toMatch(/xenstored {2}3 hosts: \d+ requests, 1 write, 0 of them on the readers' sockets/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("refuses single-host flags with --hosts, and an unknown profile", async () => {
    const lab = await run(process.execPath, ["--import", "tsx", "scripts/sim.ts", "--hosts", "2", "--socket", "/tmp/x.sock"], { cwd: ROOT }).catch((e) => e);
    expect(lab.code).toBe(2);
    expect(lab.stderr).toContain("--socket is for one host");
    const prof = await run(process.execPath, ["--import", "tsx", "scripts/sim.ts", "--profile", "cloud"], { cwd: ROOT }).catch((e) => e);
    expect(prof.code).toBe(2);
    expect(prof.stderr).toContain('unknown --profile "cloud"');
  });

  it("dm snapshot exits non-zero with a clear message when xenstored is unreachable", async () => {
    const dir = simTmpDir("cli-dead");
    dirs.push(dir);
    const r = await dm(["snapshot", "--xenstored", path.join(dir, "none.sock"), "--qmp-dir", dir, "--proc", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`xenstored at ${path.join(dir, "none.sock")} is unreachable`);
    expect(r.stdout).toBe("");
  });
});
