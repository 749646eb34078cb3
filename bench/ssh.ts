/**
 * Remote dom0s over SSH vs local, side by side in one run (issue 9 §1): a lab of `hosts` ×
 * `vms` simulated dom0s in a child process (`npm run sim -- --hosts`), one real sshd in front
 * of all of them (tests/helpers/sshd.ts), and this process reading every host
 *  - locally (unix sockets and the fake /proc), and
 *  - over SSH: one connection per host, as the collector keeps them (XenStore and QMP as
 *    direct-streamlocal channels, /proc over SFTP).
 * Figures: the first SSH round (handshakes included), the time of one full round of every host
 * (all hosts at once, as the collector's runners read them), p95 of one host's read, a change's
 * latency to the collector through a XenStore watch (xenstore-write on the host → the host's
 * new analysis; the browser adds the /api/live hop measured by the live suite), the reader's RSS,
 * and the SSH overhead as ratios. Goal: a full round over SSH < 2 s.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { localHostAccess, type HostAccess } from "@/lib/devmodel/host-access";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { SshConnection, pinnedHostKey, sshHostAccess, sshTarget } from "@/lib/devmodel/ssh";
import { HostAccessPool } from "@/lib/hosts/access";
import { Collector } from "@/lib/hosts/collector";
import type { HostConfig } from "@/lib/hosts/types";
import { startSshd } from "../tests/helpers/sshd";
import type { Row } from "./run";
import { startSimLabChild, stopSimChild } from "./sim-child";

const run = promisify(execFile);
const QMP_TIMEOUT_MS = 800;
const r1 = (x: number) => Math.round(x * 10) / 10;

function rssMb(): number {
  return process.memoryUsage.rss() / 1024 / 1024;
}

/** CPU (user + system) used so far by these processes, in ms (USER_HZ 100). */
function cpuMsOf(pids: number[]): number {
  let ms = 0;
  for (const pid of pids) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ms += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch {
      // gone
    }
  }
  return ms;
}

const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const median = (xs: number[]) => pct(xs, 50);

/** One full round: every host read at once; the round's time and each host's. */
async function round(accesses: HostAccess[]): Promise<{ roundMs: number; hostMs: number[]; failed: number }> {
  const t0 = performance.now();
  const hostMs: number[] = [];
  let failed = 0;
  await Promise.all(
    accesses.map(async (access) => {
      const t = performance.now();
      const s = await takeSnapshot({ access, qmpTimeoutMs: QMP_TIMEOUT_MS });
      hostMs.push(performance.now() - t);
      if (!s.xenstore.ok) failed++;
    }),
  );
  return { roundMs: performance.now() - t0, hostMs, failed };
}

/** Change → the collector's new analysis of that host, through its XenStore watch, `samples` times. */
async function changeLatency(
  hosts: HostConfig[],
  writerPath: string,
  access: HostAccessPool | undefined,
  samples: number,
): Promise<{ ms: number[]; rss: number }> {
  const c = new Collector({ access, qmpTimeoutMs: QMP_TIMEOUT_MS, debounceMs: 50, sink: { record: () => undefined } });
  try {
    c.setHosts(hosts);
    const until = Date.now() + 120_000;
    while (Date.now() < until && !c.states().every((s) => s.analysis !== null && s.watching)) await new Promise((r) => setTimeout(r, 50));
    if (!c.states().every((s) => s.analysis !== null && s.watching)) throw new Error("collector: not every host read and watched within 120 s");
    const target = hosts[0];
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) {
      const key = `/local/domain/0/data/bench-${i}`;
      const value = `v${i}-${Date.now()}`;
      const seen = new Promise<number>((resolve) => {
        const off = c.subscribe((u) => {
          if (u.hostId !== target.id) return;
          const snap = c.state(target.id)?.snapshot;
          if (snap?.domains.find((d) => d.domid === 0)?.keys[key] === value) {
            off();
            resolve(performance.now());
          }
        });
      });
      const t0 = performance.now();
      await run("xenstore-write", [key, value], { env: { ...process.env, XENSTORED_PATH: writerPath } });
      ms.push((await seen) - t0);
      await new Promise((r) => setTimeout(r, 300));
    }
    return { ms, rss: rssMb() };
  } finally {
    await c.stop();
  }
}

export async function benchSsh(opts: { hosts?: number; vms?: number; rounds?: number } = {}): Promise<Row[]> {
  const hosts = opts.hosts ?? 50;
  const vms = opts.vms ?? 40;
  const rounds = opts.rounds ?? 3;
  const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, "dm-sshbench-"));
  const rows: Row[] = [];
  const shape = `${hosts} hosts × ${vms} VMs`;
  const [lab, sshd] = await Promise.all([startSimLabChild(hosts, vms, path.join(dir, "lab")), startSshd({ maxStartups: hosts * 2 })]);
  const conns: SshConnection[] = [];
  try {
    const labHosts = lab.manifest.hosts;
    const paths = labHosts.map((h) => ({ xenstored: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot }));
    const rss0 = rssMb();

    // Local: every host through its sockets.
    const local = paths.map((p) => localHostAccess(p));
    await round(local); // warm-up
    const localRounds = [];
    let cpu0 = selfCpuMs();
    for (let i = 0; i < rounds; i++) localRounds.push(await round(local));
    const localCpu = (selfCpuMs() - cpu0) / rounds;
    const rssLocal = rssMb();

    // SSH: one connection per host; the first round pays the handshakes.
    for (const _ of labHosts) {
      conns.push(
        new SshConnection({ target: sshTarget(sshd.target), identityFile: sshd.clientKey, verifyHostKey: pinnedHostKey(sshd.target, sshd.hostKeyFingerprint) }),
      );
    }
    const ssh = paths.map((p, i) => sshHostAccess(conns[i], p));
    const first = await round(ssh);
    const sftps = await Promise.all(conns.map((c) => c.sftp()));
    const sftpRequests = () => sftps.reduce((n, s) => n + s.requests, 0);
    const req0 = sftpRequests();
    const sshRounds = [];
    cpu0 = selfCpuMs();
    const sshdPids = sshd.pids();
    const sshd0 = cpuMsOf(sshdPids);
    for (let i = 0; i < rounds; i++) sshRounds.push(await round(ssh));
    const sshCpu = (selfCpuMs() - cpu0) / rounds;
    const sshdCpu = (cpuMsOf(sshdPids) - sshd0) / rounds;
    const requestsPerHost = (sftpRequests() - req0) / rounds / hosts;
    const rssSsh = rssMb();
    // One host alone (nothing else reading): the per-read overhead of SSH without the contention of a full round.
    const alone = { local: [] as number[], ssh: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      alone.local.push((await round([local[0]])).roundMs);
      alone.ssh.push((await round([ssh[0]])).roundMs);
    }
    const failed = [first, ...sshRounds, ...localRounds].reduce((n, r) => n + r.failed, 0);
    if (failed > 0) throw new Error(`${failed} host reads failed`);

    const lRound = median(localRounds.map((r) => r.roundMs));
    const sRound = median(sshRounds.map((r) => r.roundMs));
    const lP95 = pct(
      localRounds.flatMap((r) => r.hostMs),
      95,
    );
    const sP95 = pct(
      sshRounds.flatMap((r) => r.hostMs),
      95,
    );
    rows.push({
      name: "ssh.round.local",
      value: r1(lRound),
      unit: "ms",
      note: `${shape}: one read of every host, all at once, local sockets (median of ${rounds})`,
    });
    rows.push({
      name: "ssh.round.ssh",
      value: r1(sRound),
      unit: "ms",
      note: `the same over SSH, one connection per host (median of ${rounds}); target < 2000`,
    });
    rows.push({ name: "ssh.round.ssh-first", value: r1(first.roundMs), unit: "ms", note: `the first SSH round: ${hosts} handshakes + reads` });
    rows.push({ name: "ssh.host-read.p95.local", value: r1(lP95), unit: "ms", note: `one host's read during a full round (${vms} VMs)` });
    rows.push({ name: "ssh.host-read.p95.ssh", value: r1(sP95), unit: "ms", note: "the same over SSH" });
    rows.push({
      name: "ssh.host-read.alone.local",
      value: r1(median(alone.local)),
      unit: "ms",
      note: `one host read alone (${vms} VMs; its hung QEMU costs the ${QMP_TIMEOUT_MS} ms QMP bound)`,
    });
    rows.push({ name: "ssh.host-read.alone.ssh", value: r1(median(alone.ssh)), unit: "ms", note: "the same over its SSH connection" });
    rows.push({ name: "ssh.overhead.round", value: Math.round((sRound / lRound) * 100) / 100, unit: "×", note: "SSH round / local round" });
    rows.push({ name: "ssh.overhead.host-read-p95", value: Math.round((sP95 / lP95) * 100) / 100, unit: "×", note: "SSH p95 / local p95" });
    rows.push({ name: "ssh.cpu.reader.local", value: r1(localCpu), unit: "ms", note: "this process' CPU per local round" });
    rows.push({ name: "ssh.cpu.reader.ssh", value: r1(sshCpu), unit: "ms", note: "this process' CPU per SSH round (the server's share)" });
    rows.push({
      name: "ssh.cpu.sshd",
      value: r1(sshdCpu),
      unit: "ms",
      note: `sshd's CPU per SSH round, all ${hosts} sessions (on real dom0s each pays 1/${hosts} of it; here it shares these cores)`,
    });
    rows.push({
      name: "ssh.sftp.requests-per-host",
      value: r1(requestsPerHost),
      unit: "req",
      note: `SFTP requests of one host's read (${vms} VMs: the /proc scan and each QEMU's files)`,
    });
    rows.push({ name: "ssh.rss.local", value: r1(rssLocal), unit: "MB", note: `reader after the local rounds (${r1(rss0)} MB before)` });
    rows.push({ name: "ssh.rss.ssh", value: r1(rssSsh), unit: "MB", note: `reader after the SSH rounds too (${hosts} connections open)` });
    await Promise.all(conns.map((c) => c.close()));

    // Change → collector, through the watch: local, then over SSH (all hosts collected).
    const configs = (kind: "sim" | "ssh"): HostConfig[] =>
      labHosts.map((h) => ({
        id: h.name,
        name: h.name,
        kind,
        xenstoredPath: h.xenstoredPath,
        qmpDir: h.qmpDir,
        procRoot: h.procRoot,
        pollIntervalSec: 3600,
        enabled: true,
        ...(kind === "ssh" ? { sshTarget: sshd.target, sshIdentityPath: sshd.clientKey, sshHostKey: sshd.hostKeyFingerprint } : {}),
      }));
    const samples = 5;
    const lLat = await changeLatency(configs("sim"), labHosts[0].writerPath, undefined, samples);
    const sLat = await changeLatency(configs("ssh"), labHosts[0].writerPath, new HostAccessPool(), samples);
    rows.push({
      name: "ssh.change-to-collector.local",
      value: r1(median(lLat.ms)),
      unit: "ms",
      note: `xenstore-write → new analysis, ${hosts} hosts collected (median of ${samples})`,
    });
    rows.push({
      name: "ssh.change-to-collector.ssh",
      value: r1(median(sLat.ms)),
      unit: "ms",
      note: `the same through the SSH watch (max ${r1(Math.max(...sLat.ms))} ms)`,
    });
    rows.push({ name: "ssh.collector.rss.ssh", value: r1(sLat.rss), unit: "MB", note: `this process with the collector reading ${hosts} hosts over SSH` });
  } finally {
    await Promise.allSettled(conns.map((c) => c.close()));
    await stopSimChild(lab.child);
    await sshd.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// `node --import tsx bench/ssh.ts [hosts] [vms]` runs it alone.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const [hosts, vms] = process.argv.slice(2).map(Number);
  benchSsh({ hosts: hosts || undefined, vms: vms || undefined }).then(
    (rows) => {
      for (const r of rows) console.log(`${r.name.padEnd(32)} ${String(r.value).padStart(9)} ${r.unit.padEnd(3)} ${r.note ?? ""}`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
