/**
 * `node [--cpu-prof --cpu-prof-dir=DIR] --import tsx bench/profile-ssh.ts [hosts] [vms] [rounds]`:
 * full rounds of a simulated lab read locally and over SSH (as bench/ssh.ts does), for a CPU
 * profile of the reader alone and the counts behind its cost: wall time and reader CPU per
 * round, SFTP requests and channels per host read, the negotiated algorithms
 * (docs/perf-notes.md, "SSH round", has the findings).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { localHostAccess, type HostAccess } from "@/lib/devmodel/host-access";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { SshConnection, pinnedHostKey, sshHostAccess, sshTarget } from "@/lib/devmodel/ssh";
import { startSshd } from "../tests/helpers/sshd";
import { startSimLabChild, stopSimChild } from "./sim-child";

const hosts = Number(process.argv[2] ?? 50);
const vms = Number(process.argv[3] ?? 40);
const rounds = Number(process.argv[4] ?? 5);
const only = process.env.ONLY ?? "local,ssh";
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU of the main (JavaScript) thread alone: without GC helper threads and libuv's pool. */
const mainCpuMs = () => {
  const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};

async function round(accesses: HostAccess[]): Promise<void> {
  await Promise.all(
    accesses.map(async (access) => {
      const s = await takeSnapshot({ access, qmpTimeoutMs: 800 });
      if (!s.xenstore.ok) throw new Error(`read failed: ${s.xenstore.error?.message}`);
    }),
  );
}

async function measure(label: string, accesses: HostAccess[], count?: () => number): Promise<void> {
  await round(accesses); // warm-up (and, over SSH, the handshakes)
  const walls: number[] = [];
  const c0 = cpuMs();
  const m0 = mainCpuMs();
  const n0 = count?.() ?? 0;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await round(accesses);
    walls.push(Math.round(performance.now() - t));
  }
  const cpu = (cpuMs() - c0) / rounds;
  const main = (mainCpuMs() - m0) / rounds;
  const perHost = count ? ` ${((count() - n0) / rounds / accesses.length).toFixed(1)} SFTP requests/host` : "";
  console.log(`${label}: rounds ${walls.join(" ")} ms; reader CPU ${Math.round(cpu)} ms/round (main thread ${Math.round(main)});${perHost}`);
}

const base = fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir();
const dir = fs.mkdtempSync(path.join(base, "dm-sshprof-"));
const [lab, sshd] = await Promise.all([startSimLabChild(hosts, vms, path.join(dir, "lab")), startSshd({ maxStartups: hosts * 2 })]);
const conns: SshConnection[] = [];
try {
  const paths = lab.manifest.hosts.map((h) => ({ xenstored: h.xenstoredPath, qmpDir: h.qmpDir, procRoot: h.procRoot }));
  if (only.includes("local"))
    await measure(
      "local",
      paths.map((p) => localHostAccess(p)),
    );
  if (only.includes("ssh")) {
    for (const _ of paths) {
      conns.push(
        new SshConnection({ target: sshTarget(sshd.target), identityFile: sshd.clientKey, verifyHostKey: pinnedHostKey(sshd.target, sshd.hostKeyFingerprint) }),
      );
    }
    await Promise.all(conns.map((c) => c.ready()));
    console.log(`negotiated: ${JSON.stringify(conns[0].negotiated)}`);
    const sftps = await Promise.all(conns.map((c) => c.sftp()));
    const requests = () => sftps.reduce((n, s) => n + s.requests, 0);
    await measure(
      "ssh",
      paths.map((p, i) => sshHostAccess(conns[i], p)),
      requests,
    );
    console.log(`channels opened per host (all rounds): ${(conns.reduce((n, c) => n + c.channelsOpened, 0) / conns.length).toFixed(1)}`);
  }
} finally {
  await Promise.allSettled(conns.map((c) => c.close()));
  await stopSimChild(lab.child);
  await sshd.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
