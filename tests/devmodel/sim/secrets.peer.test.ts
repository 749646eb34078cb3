/**
 * The simulated host carries the passwords a real one shows (issue 10 item 3), where the real
 * toolstack and QEMU leave them, so tests of masking have something real to mask:
 *  - libxl's vfb backend: /local/domain/0/backend/vfb/<g>/0/vncpasswd (PV guests with a vfb, and
 *    the stub domain of an HVM guest, which gets the guest's VNC settings);
 *  - qemu-xen-traditional: /local/domain/<g>/console/vnc-pass (it publishes what it read from
 *    /vm/<uuid>/vncpasswd, and overwrites that with a NUL);
 *  - SPICE: `-spice …,password=<pw>` on QEMU's command line (libxl dm_spice_options).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { generateFleet, startSimHost, type GuestSpec } from "@/lib/devmodel/sim";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { simPaths, simTmpDir } from "./tmp";

const run = promisify(execFile);
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const secretsOf = (guests: GuestSpec[]) => guests.flatMap((g) => g.secrets.map((s) => ({ g, s })));

describe("secrets in the simulated fleet", () => {
  it("puts VNC passwords in XenStore and SPICE passwords on command lines, random and different per guest", () => {
    const f = generateFleet({ vms: 40, seed: 1 });
    const all = secretsOf(f.guests);
    const node = (g: GuestSpec, p: string) => g.nodes.find((n) => n.path === p);

    const vfb = all.filter(({ s }) => s.where === "xenstore" && s.path.endsWith("/vncpasswd"));
    expect(vfb.map(({ g }) => g.kind)).toEqual(expect.arrayContaining(["pv-qemu", "stubdom"]));
    for (const { g, s } of vfb) {
      if (s.where !== "xenstore") continue;
      expect(s.path).toBe(`/local/domain/0/backend/vfb/${g.domid}/0/vncpasswd`);
      expect(node(g, s.path)?.value).toBe(s.value);
      expect(node(g, s.path)?.perms).toEqual(["n0", `r${g.domid}`]);
      expect(node(g, `/local/domain/${g.domid}/device/vfb/0/backend`)?.value).toBe(`/local/domain/0/backend/vfb/${g.domid}/0`);
      expect(node(g, `/local/domain/0/device-model/${g.domid}/backends/vfb`)).toBeDefined();
      expect(g.qmp?.vnc).toMatchObject({ enabled: true, auth: "vnc" });
    }

    const trad = all.find(({ g }) => g.kind === "hvm-trad")!;
    expect(trad.s).toMatchObject({ where: "xenstore", path: `/local/domain/${trad.g.domid}/console/vnc-pass` });
    expect(node(trad.g, `/local/domain/${trad.g.domid}/console/vnc-pass`)?.value).toBe(trad.s.value);
    expect(node(trad.g, `/local/domain/${trad.g.domid}/console/vnc-port`)?.value).toBe(String(5900 + trad.g.domid));
    expect(node(trad.g, `/vm/${trad.g.uuid}/vncpasswd`)?.value).toBe("\0");

    const spice = all.filter(({ s }) => s.kind === "spice-password");
    expect(spice.length).toBeGreaterThan(0);
    for (const { g, s } of spice) {
      const argv = g.process!.cmdline;
      expect(argv[argv.indexOf("-spice") + 1]).toContain(`,password=${s.value},`);
    }

    const values = all.map(({ s }) => s.value);
    for (const { s } of all) expect(s.value).toMatch(s.kind === "vnc-password" ? /^[A-Z0-9]{8}$/i : /^[A-Z0-9+/]{16}$/i);
    expect(new Set(values).size).toBe(values.length);
    const other = secretsOf(generateFleet({ vms: 40, seed: 2 }).guests).map(({ s }) => s.value);
    expect(other.filter((v) => values.includes(v))).toEqual([]);
  });

  it("serves them: Debian's xenstore-read gets the password, the snapshot lists the keys and the -spice argument", async () => {
    const dir = simTmpDir("secrets");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const p = simPaths(dir);
    const h = await startSimHost({ vms: 40, seed: 1, ...p });
    cleanup.push(() => h.stop());
    const env = { ...process.env, XENSTORED_PATH: p.socket };
    const all = secretsOf(h.fleet.guests);
    const inStore = all.flatMap(({ g, s }) => (s.where === "xenstore" ? [{ g, path: s.path, value: s.value }] : []));
    expect(inStore.length).toBeGreaterThanOrEqual(3);
    for (const { path, value } of inStore) expect((await run("xenstore-read", [path], { env })).stdout.trim()).toBe(value);

    const snap = await takeSnapshot({ xenstored: p.socket, qmpDir: p.qmpDir, procRoot: p.procDir, qmpTimeoutMs: 300 });
    for (const { g, path } of inStore) {
      // Listed (the masking keeps the key); the value is the snapshot's business.
      expect(Object.keys(snap.domains.find((d) => d.domid === g.domid)!.keys)).toContain(path);
    }
    for (const { g } of all.filter(({ s }) => s.where === "cmdline")) {
      expect(snap.domains.find((d) => d.domid === g.domid)!.process?.cmdline).toContain("-spice");
    }
  });

  it("keeps a guest's SPICE settings when its QEMU is restarted deprivileged", async () => {
    const dir = simTmpDir("secrets-restart");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const h = await startSimHost({ vms: 40, seed: 1, ...simPaths(dir) });
    cleanup.push(() => h.stop());
    const g = h.fleet.guests.find(
      (x) => x.secrets.some((s) => s.kind === "spice-password") && (x.kind === "hvm-root" || x.kind === "hvm-partial") && x.qmp?.mode === "normal",
    )!;
    expect(g, "a root or partial QEMU with SPICE").toBeDefined();
    const pw = g.secrets.find((s) => s.kind === "spice-password")!.value;
    await h.step({ kind: "depriv-restart", domid: g.domid });
    expect(h.guest(g.domid)!.process!.cmdline.join(" ")).toContain(`password=${pw}`);
    expect(fs.readFileSync(`${h.procDir}/${h.guest(g.domid)!.process!.pid}/cmdline`, "latin1")).toContain(`password=${pw}`);
  });
});
