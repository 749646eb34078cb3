/**
 * A host read through a real OpenSSH server (tests/helpers/sshd.ts) in front of the simulator:
 * XenStore and QMP as direct-streamlocal channels of one connection, /proc over SFTP. The
 * snapshot equals the local one; host keys are pinned; a connection cut under a read fails that
 * host's read only, and the next read reconnects.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProcFsError } from "@/lib/devmodel/procfs/fs";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { SshConnection, SshHostKeyError, pinnedHostKey, sftpProcFs, sshHostAccess, sshTarget, type SshConnectionOptions } from "@/lib/devmodel/ssh";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { XenStoreClient } from "@/lib/devmodel/xenstore";
import { startSshd, type TestSshd } from "../../helpers/sshd";
import { simPaths, simTmpDir } from "../sim/tmp";

let sshd: TestSshd;
let dir: string;
let host: SimHost;
const conns: SshConnection[] = [];

beforeAll(async () => {
  dir = simTmpDir("ssh");
  [sshd, host] = await Promise.all([startSshd(), startSimHost({ vms: 10, seed: 21, ...simPaths(dir) })]);
}, 60_000);
afterAll(async () => {
  await Promise.allSettled(conns.map((c) => c.close()));
  await host?.stop();
  await sshd?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function connect(over: Partial<SshConnectionOptions> = {}): SshConnection {
  const c = new SshConnection({
    target: sshTarget(sshd.target),
    identityFile: sshd.clientKey,
    verifyHostKey: pinnedHostKey(sshd.target, sshd.hostKeyFingerprint),
    reconnectInitialMs: 50,
    reconnectMaxMs: 200,
    ...over,
  });
  conns.push(c);
  return c;
}

const paths = () => ({ xenstored: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir });

/** Comparable: no timings, and the SSH prefix of every address removed. */
function strip(s: HostSnapshot, prefix: string): unknown {
  const plain = {
    ...s,
    takenAt: "",
    elapsedMs: 0,
    domains: s.domains.map((d) => ({ ...d, qmp: d.qmp.status === "ok" ? { ...d.qmp, elapsedMs: 0 } : d.qmp })),
  };
  return JSON.parse(JSON.stringify(plain).split(prefix).join(""));
}

describe("a host over SSH", () => {
  it("reads the same snapshot as locally, over one connection", async () => {
    const conn = connect();
    const opts = { qmpTimeoutMs: 2000, timeoutMs: 5000 };
    const local = await takeSnapshot({ ...paths(), ...opts });
    const remote = await takeSnapshot({ access: sshHostAccess(conn, paths()), ...opts });
    expect(remote.xenstore.ok).toBe(true);
    expect(remote.source.xenstored).toBe(`${conn.where}:${host.socket}`);
    expect(remote.domains.length).toBeGreaterThan(5);
    expect(remote.domains.filter((d) => d.qmp.status === "ok").length).toBeGreaterThan(3);
    expect(remote.domains.filter((d) => d.process?.pid).length).toBeGreaterThan(3);
    expect(strip(remote, `${conn.where}:`)).toEqual(strip(local, ""));
    // One SSH session carried the XenStore connection and every QMP conversation.
    expect(conn.sessions).toBe(1);
    expect(conn.channelsOpened).toBeGreaterThan(3);
  });

  it("refuses a pinned key that does not match, and offers the fingerprint of an unknown one", async () => {
    const wrong = connect({ verifyHostKey: pinnedHostKey(sshd.target, "SHA256:" + "A".repeat(43)) });
    const e1 = await wrong.ready().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(SshHostKeyError);
    expect((e1 as SshHostKeyError).problem).toBe("changed");
    expect((e1 as Error).message).toMatch(/HAS CHANGED/);
    expect((e1 as SshHostKeyError).offered.fingerprint).toBe(sshd.hostKeyFingerprint);

    const unknown = connect({ verifyHostKey: pinnedHostKey(sshd.target, null) });
    const e2 = await unknown.ready().catch((e: unknown) => e);
    expect((e2 as SshHostKeyError).problem).toBe("unknown");
    expect((e2 as Error).message).toContain(sshd.hostKeyFingerprint);
    // Nothing was read: a snapshot through it fails as unreachable.
    const snap = await takeSnapshot({ access: sshHostAccess(unknown, paths()), timeoutMs: 2000 });
    expect(snap.xenstore.ok).toBe(false);
  });

  it("refuses a wrong client key", async () => {
    const other = `${sshd.dir}/host_ed25519`; // a valid key that is not authorized
    const c = connect({ identityFile: other });
    await expect(c.ready()).rejects.toMatchObject({ code: "EAUTH" });
  });

  it("refuses non-regular files and paths out of the root over SFTP", async () => {
    const conn = connect();
    const fifoDir = `${dir}/fifo-root`;
    fs.mkdirSync(`${fifoDir}/1`, { recursive: true });
    const { execFileSync } = await import("node:child_process");
    execFileSync("mkfifo", [`${fifoDir}/1/status`]);
    fs.writeFileSync(`${fifoDir}/1/big`, Buffer.alloc(300 * 1024, 97));
    const p = sftpProcFs(conn, fifoDir);
    await expect(p.readFile("1/status")).rejects.toMatchObject({ code: "ENOTREG" });
    await expect(p.readFile("1/big")).rejects.toMatchObject({ code: "EFBIG" });
    await expect(p.readFile("1/big", { maxBytes: 400 * 1024 })).resolves.toHaveLength(300 * 1024);
    await expect(p.readFile("../etc/passwd")).rejects.toBeInstanceOf(ProcFsError);
    await expect(p.readFile("1/missing")).rejects.toMatchObject({ code: "ENOENT" });
    expect((await p.stat("1/status")).type).toBe("other");
  });

  it("negotiates an AEAD cipher (AES-GCM on this machine) and no compression", async () => {
    const conn = connect();
    await conn.ready();
    for (const dir of [conn.negotiated!.cs, conn.negotiated!.sc]) {
      expect(dir.cipher).toMatch(/^(aes(128|256)-gcm@openssh\.com|chacha20-poly1305@openssh\.com)$/);
      expect(dir.compress).toBe("none");
    }
  });

  it("reads a plain file in four SFTP requests and a procfs file in five, byte for byte", async () => {
    const conn = connect();
    const s = await conn.sftp();
    // The simulator's /proc: plain files, whose size says when they are whole (stat, open, read, close).
    const pid = fs.readdirSync(host.procDir).find((n) => /^\d+$/.test(n))!;
    const plain = sftpProcFs(conn, host.procDir);
    let before = s.requests;
    expect(await plain.readFile(`${pid}/status`)).toBe(fs.readFileSync(`${host.procDir}/${pid}/status`, "utf8"));
    expect(s.requests - before).toBe(4);
    // This machine's procfs says size 0: a second read in the same round trip finds EOF.
    const real = sftpProcFs(conn, "/proc");
    before = s.requests;
    expect(await real.readFile("1/cmdline")).toBe(fs.readFileSync("/proc/1/cmdline", "utf8"));
    expect(s.requests - before).toBe(5);
  });

  it("a connection cut under a read fails that read, and the next one reconnects", async () => {
    const conn = connect();
    const access = sshHostAccess(conn, paths());
    const first = await takeSnapshot({ access, qmpTimeoutMs: 2000 });
    expect(first.xenstore.ok).toBe(true);
    // A XenStore client on the connection, then sshd dies with every session.
    const xs = await XenStoreClient.connect({ transport: access.xenstored, timeoutMs: 2000 });
    const reading = takeSnapshot({ access, qmpTimeoutMs: 2000, timeoutMs: 2000 });
    await sshd.kill();
    await expect(xs.read("/local/domain/0/name")).rejects.toBeTruthy();
    await xs.close();
    await reading; // finishes (ok or not), bounded
    const down = await takeSnapshot({ access, qmpTimeoutMs: 1000, timeoutMs: 1000 });
    expect(down.xenstore.ok).toBe(false);
    expect(conn.connected).toBe(false);
    await sshd.start();
    let again: HostSnapshot | null = null;
    for (let i = 0; i < 50 && !again?.xenstore.ok; i++) {
      again = await takeSnapshot({ access, qmpTimeoutMs: 2000 });
      if (!again.xenstore.ok) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again?.xenstore.ok).toBe(true);
    expect(conn.sessions).toBe(2);
  });
});
