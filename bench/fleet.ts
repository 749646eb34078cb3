/**
 * Several server instances on PostgreSQL (issue 9 §3), measured with real processes: a
 * simulator lab, two `scripts/start.ts` instances on a fresh database (needs a build:
 * node scripts/prepare.mjs), and
 *  - change → /api/live: a real `xenstore-write` on a host (writers' socket) until the
 *    `update` event for that host arrives on the instance that reads it and on the other one
 *    (through HostLiveState + NOTIFY), median and max over a few changes;
 *  - takeover: the instance reading a host is SIGKILLed; time until the survivor's own read
 *    counter for that host moves (bound LEASE_TAKEOVER_MS plus the first read).
 * Everything is stopped and the database dropped at the end.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "@/lib/db/client";
import { LEASE_TAKEOVER_MS } from "@/lib/devmodel/timeouts";
import { registerLab } from "@/lib/hosts/lab";
import { createPgDatabase, notifyReload, readsByHost, signIn, startInstance, startLab, xenstore, type Instance } from "../e2e/fixtures/cluster";
import type { Row } from "./run";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type ApiHost = { id: string; name: string; status: string; collectedBy: string | null };
type ApiVm = { host: { id: string; name: string }; domid: number; qmp: { status: string }; dependencies: { ruleId: string }[] };

async function api<T>(i: Instance, cookie: string, p: string): Promise<T> {
  const res = await fetch(`${i.url}${p}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`${p} on ${i.url}: ${res.status}`);
  return ((await res.json()) as { data: T }).data;
}

/** An /api/live subscription: resolves `next(hostId)` on the next update event for that host. */
function liveStream(i: Instance, cookie: string) {
  const ac = new AbortController();
  const waiters: { hostId: string; resolve: (at: number) => void }[] = [];
  const ready = (async () => {
    const res = await fetch(`${i.url}/api/live`, { headers: { cookie }, signal: ac.signal });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = "";
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buf += dec.decode(value, { stream: true });
          let cut;
          while ((cut = buf.indexOf("\n\n")) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            if (!block.startsWith("event: update")) continue;
            const data = JSON.parse(block.slice(block.indexOf("data: ") + 6)) as { hostId: string };
            const at = performance.now();
            for (let j = waiters.length - 1; j >= 0; j--)
              if (waiters[j].hostId === data.hostId) {
                waiters[j].resolve(at);
                waiters.splice(j, 1);
              }
          }
        }
      } catch {
        // aborted
      }
    })();
  })();
  return {
    ready,
    next: (hostId: string) => new Promise<number>((resolve) => waiters.push({ hostId, resolve })),
    close: () => ac.abort(),
  };
}

export async function benchFleet(opts: { hosts?: number; vms?: number; changes?: number } = {}): Promise<Row[]> {
  const hostsN = opts.hosts ?? 10;
  const vms = opts.vms ?? 20;
  const changes = opts.changes ?? 5;
  const basePort = Number(process.env.BENCH_PORT || 3190);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "dmb-bench-fleet-"));
  const db = await createPgDatabase("dmb_fleet_bench");
  const lab = await startLab({ dir: work, hosts: hostsN, vms });
  const inst: Instance[] = [];
  const rows: Row[] = [];
  try {
    inst.push(await startInstance({ port: basePort, databaseUrl: db.url, dir: work, env: { LOG_LEVEL: "warn" } }));
    inst.push(await startInstance({ port: basePort + 1, databaseUrl: db.url, dir: work, env: { LOG_LEVEL: "warn" } }));
    const prisma = createDb({ provider: "postgresql", url: db.url, display: db.name });
    await registerLab({ userId: null, label: "bench" }, { manifest: lab.manifest, prefix: "", pollIntervalSec: 30 }, prisma);
    await prisma.$disconnect();
    await notifyReload(db.url);
    const cookies = await Promise.all(inst.map((i) => signIn(i.url)));
    const t0 = performance.now();
    for (;;) {
      const seen = await Promise.all(inst.map((i, k) => api<ApiHost[]>(i, cookies[k], "/api/v1/hosts?pageSize=100")));
      if (seen.every((s) => s.length === hostsN && s.every((h) => h.status === "ok"))) break;
      if (performance.now() - t0 > 120_000) throw new Error("the lab was not read within 120 s");
      await sleep(200);
    }
    rows.push({
      name: "fleet.first_round",
      value: Math.round(performance.now() - t0),
      unit: "ms",
      note: `${hostsN} hosts × ${vms} VMs registered → every host read and shown by both instances`,
    });

    const vmsList = await api<ApiVm[]>(inst[0], cookies[0], "/api/v1/vms?pageSize=500&dm=qemu-xen-dom0");
    const vm = vmsList.find((v) => !v.dependencies.some((d) => d.ruleId === "dm-state"));
    if (!vm) throw new Error(`no dom0 QEMU without a state key among ${vmsList.length} in the lab`);
    const reads = await Promise.all(inst.map((i) => readsByHost(i.url)));
    const k = reads.findIndex((r) => (r.get(vm.host.name) ?? 0) > 0);
    if (k < 0) throw new Error(`no instance reads ${vm.host.name}`);
    const streams = inst.map((i, j) => liveStream(i, cookies[j]));
    await Promise.all(streams.map((s) => s.ready));
    await sleep(500);
    const socket = path.join(lab.dir, vm.host.name, "xenstored-writer.sock");
    const key = `/local/domain/0/device-model/${vm.domid}/state`;
    const lat: number[][] = [[], []];
    for (let n = 0; n < changes; n++) {
      for (const op of ["write", "rm"] as const) {
        const waits = streams.map((s) => s.next(vm.host.id));
        const start = performance.now();
        if (op === "write") await xenstore(socket, "xenstore-write", key, "running");
        else await xenstore(socket, "xenstore-rm", key);
        const ats = await Promise.race([Promise.all(waits), sleep(30_000).then(() => null)]);
        if (!ats) throw new Error("a change did not reach /api/live within 30 s");
        ats.forEach((at, j) => lat[j].push(at - start));
        await sleep(300);
      }
    }
    for (const s of streams) s.close();
    const other = 1 - k;
    rows.push({
      name: "fleet.change_to_live.collector.p50",
      value: Math.round(median(lat[k])),
      unit: "ms",
      note: "xenstore-write → /api/live update on the instance that reads the host",
    });
    rows.push({ name: "fleet.change_to_live.collector.max", value: Math.round(Math.max(...lat[k])), unit: "ms" });
    rows.push({
      name: "fleet.change_to_live.other.p50",
      value: Math.round(median(lat[other])),
      unit: "ms",
      note: "… on the other instance (HostLiveState row + NOTIFY)",
    });
    rows.push({ name: "fleet.change_to_live.other.max", value: Math.round(Math.max(...lat[other])), unit: "ms" });

    const survivor = inst[other];
    const crashAt = performance.now();
    await inst[k].crash();
    for (;;) {
      if (((await readsByHost(survivor.url)).get(vm.host.name) ?? 0) > 0) break;
      if (performance.now() - crashAt > 120_000) throw new Error("no takeover within 120 s");
      await sleep(100);
    }
    const takeover = Math.round(performance.now() - crashAt);
    rows.push({
      name: "fleet.takeover_after_crash",
      value: takeover,
      unit: "ms",
      note: `SIGKILL → the survivor's first read of the host; bound LEASE_TAKEOVER_MS = ${LEASE_TAKEOVER_MS} ms + a read`,
    });
    inst.splice(k, 1);
  } finally {
    for (const i of inst) await i.stop();
    await lab.stop();
    await db.drop();
    fs.rmSync(work, { recursive: true, force: true });
  }
  return rows;
}
