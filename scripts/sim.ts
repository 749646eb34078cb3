/**
 * npm run sim -- [--vms N] [--seed S] [--profile P] [--socket PATH] [--writer-socket PATH]
 *                [--qmp-dir DIR] [--proc DIR] [--change-interval MS]
 * npm run sim -- --hosts N [--vms N] [--seed S] [--dir DIR] [--change-interval MS]
 *
 * Serves a simulated Xen host: a xenstored-compatible socket, one QMP socket per dom0
 * QEMU and a fake /proc, until SIGINT/SIGTERM. `--vms 0` serves dom0 alone, an empty host
 * to fill with the real xenstore-utils.
 *
 * With --hosts (or --dir) it serves a lab of N hosts in this one process, each with its own
 * sockets and /proc under DIR (lib/devmodel/sim/lab.ts has the layout), listed in
 * DIR/hosts.json once every host serves.
 *
 * SIGUSR1 prints xenstored's request and write counts; they are printed at exit too.
 * --stats-file FILE also keeps them in FILE as JSON (rewritten within a second of a change, and
 * at exit): { pid, at, readerWrites, writerWrites, hosts: [{ name, requests, writes, readerWrites,
 * writerWrites }] }. readerWrites counts write-type requests on the readers' sockets: what
 * dmboard sent, which must be 0 (the e2e suite checks it at the end).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  FLEET_PROFILES,
  LAB_MANIFEST,
  isFleetProfileName,
  startSimHost,
  startSimLab,
  type SimChangeEvent,
  type SimHost,
  type SimLab,
} from "@/lib/devmodel/sim";
import { MAIN_LABEL, WRITER_LABEL, type XenStoreServer } from "@/lib/devmodel/sim/xenstored";
import { simLabDir } from "@/lib/devmodel/sim-defaults";

const USAGE = `usage: npm run sim -- [--vms N] [--seed S] [--profile ${Object.keys(FLEET_PROFILES).join("|")}]
                      [--socket PATH] [--writer-socket PATH] [--qmp-dir DIR] [--proc DIR] [--change-interval MS] [--stats-file FILE]
       npm run sim -- --hosts N [--vms N] [--seed S] [--dir DIR] [--change-interval MS] [--stats-file FILE]`;

function usage(msg: string): never {
  console.error(`sim: ${msg}\n${USAGE}`);
  process.exit(2);
}

function intArg(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) usage(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

const event = (ev: SimChangeEvent, host?: string) =>
  console.error(`sim: ${ev.at}${host ? ` ${host}` : ""} ${ev.kind} domain ${ev.domid} (${ev.name}): ${ev.detail}`);

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        vms: { type: "string" },
        seed: { type: "string" },
        profile: { type: "string" },
        socket: { type: "string" },
        "writer-socket": { type: "string" },
        "qmp-dir": { type: "string" },
        proc: { type: "string" },
        hosts: { type: "string" },
        dir: { type: "string" },
        "change-interval": { type: "string" },
        "stats-file": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const data = path.resolve(process.env.DMBOARD_DATA_DIR || "./data");
  const vms = intArg("vms", values.vms, 20);
  const seed = intArg("seed", values.seed, 1);
  const changeIntervalMs = intArg("change-interval", values["change-interval"], 0);
  const lab = values.hosts !== undefined || values.dir !== undefined;
  if (lab) {
    const single = (["socket", "writer-socket", "qmp-dir", "proc", "profile"] as const).filter((k) => values[k] !== undefined);
    if (single.length > 0) usage(`--${single[0]} is for one host; a lab (--hosts/--dir) lays its hosts out under --dir`);
  }
  if (values.profile !== undefined && !isFleetProfileName(values.profile)) usage(`unknown --profile ${JSON.stringify(values.profile)}`);
  const hosts = intArg("hosts", values.hosts, 1);
  if (lab && hosts < 1) usage("--hosts must be at least 1");

  // Handlers first: a Ctrl-C while 1000 VMs are being set up must still clean up.
  let running: { stop(): Promise<void>; stats(): string[] } | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`sim: ${signal}, stopping`);
    if (!running) return; // main() stops it as soon as it is up
    const r = running;
    for (const line of r.stats()) console.error(line);
    writeStats();
    r.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(`sim: stop failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGUSR1", () => {
    for (const line of running?.stats() ?? []) console.error(line);
  });

  const statsFile = values["stats-file"] ? path.resolve(values["stats-file"]) : null;
  const servers: { name: string; server: XenStoreServer }[] = [];
  let lastStats = "";
  const writeStats = () => {
    if (!statsFile) return;
    const hosts = servers.map(({ name, server }) => {
      const st = server.stats();
      return {
        name,
        requests: st.requests,
        writes: st.writes,
        readerWrites: st.byLabel[MAIN_LABEL]?.writes ?? 0,
        writerWrites: st.byLabel[WRITER_LABEL]?.writes ?? 0,
      };
    });
    const body = JSON.stringify({
      readerWrites: hosts.reduce((n, h) => n + h.readerWrites, 0),
      writerWrites: hosts.reduce((n, h) => n + h.writerWrites, 0),
      hosts,
    });
    if (body === lastStats) return;
    lastStats = body;
    const doc = { pid: process.pid, at: new Date().toISOString(), ...JSON.parse(body) };
    fs.mkdirSync(path.dirname(statsFile), { recursive: true });
    fs.writeFileSync(`${statsFile}.tmp`, JSON.stringify(doc, null, 2) + "\n");
    fs.renameSync(`${statsFile}.tmp`, statsFile);
  };
  if (statsFile) {
    setInterval(writeStats, 500).unref();
    process.on("exit", writeStats);
  }

  const t0 = performance.now();
  if (lab) {
    const dir = path.resolve(values.dir ?? simLabDir(data));
    const l = await startSimLab({ dir, hosts, vms, seed, changeIntervalMs, retainNodes: false, onChange: (h, ev) => event(ev, h.name) });
    for (const { entry, host } of l.hosts) servers.push({ name: entry.name, server: host.server });
    running = { stop: () => l.stop(), stats: () => labStats(l) };
    if (stopping) {
      await l.stop();
      process.exit(0);
    }
    const ms = Math.round(performance.now() - t0);
    const domains = l.manifest.hosts.reduce((n, h) => n + h.domains, 0);
    const profiles = [...new Set(l.manifest.hosts.map((h) => h.profile))].join(", ");
    console.error(
      `sim: lab of ${hosts} host${hosts === 1 ? "" : "s"} × ${vms} VMs (${domains} domains besides the dom0s; seeds ${seed}–${seed + hosts - 1}; ${profiles}) ready in ${ms} ms`,
    );
    console.error(`sim: manifest   ${path.join(dir, LAB_MANIFEST)}`);
    const first = l.manifest.hosts[0];
    console.error(`sim: layout     ${dir}/${first.name}/{xenstored.sock,xenstored-writer.sock,qmp/,proc/} … ${l.manifest.hosts.at(-1)!.name}`);
    console.error(`sim: try        XENSTORED_PATH=${first.xenstoredPath} xenstore-ls -f /local/domain/0`);
    if (changeIntervalMs > 0) console.error(`sim: each host changes something every ${changeIntervalMs} ms, their phases spread over that interval`);
  } else {
    const base = path.join(data, "sim");
    const socket = path.resolve(values.socket ?? path.join(base, "xenstored.sock"));
    const writerSocket = values["writer-socket"] ? path.resolve(values["writer-socket"]) : undefined;
    const qmpDir = path.resolve(values["qmp-dir"] ?? path.join(base, "qmp"));
    const procDir = path.resolve(values.proc ?? path.join(base, "proc"));
    const profile = values.profile !== undefined && isFleetProfileName(values.profile) ? values.profile : undefined;
    const host = await startSimHost({
      vms,
      seed,
      profile,
      socket,
      writerSocket,
      qmpDir,
      procDir,
      changeIntervalMs,
      retainNodes: false,
      onChange: (ev) => event(ev),
    });
    servers.push({ name: "simulated", server: host.server });
    running = { stop: () => host.stop(), stats: () => [`sim: xenstored  ${host.server.statsLine()}`] };
    if (stopping) {
      await host.stop();
      process.exit(0);
    }
    const ms = Math.round(performance.now() - t0);
    const domains = host.fleet.guests.length;
    console.error(`sim: ${vms} VMs (${domains} domains besides dom0, seed ${seed}, ${host.fleet.profile}) ready in ${ms} ms`);
    console.error(`sim: xenstored  ${socket}`);
    if (writerSocket) console.error(`sim: writers    ${writerSocket} (writes on purpose; counted apart from the readers')`);
    console.error(`sim: QMP        ${qmpDir}/qmp-libxenstat-<domid>`);
    console.error(`sim: /proc      ${procDir}`);
    console.error(`sim: try        XENSTORED_PATH=${socket} xenstore-ls -f /local/domain/0`);
    console.error(`sim: snapshot   npm run dm -- snapshot --xenstored ${socket} --qmp-dir ${qmpDir} --proc ${procDir}`);
    if (changeIntervalMs > 0) console.error(`sim: changing something every ${changeIntervalMs} ms`);
  }
  console.error("sim: Ctrl-C to stop");
}

/** A total line, and one per host whose readers' socket got a write (what a test looks for). */
function labStats(lab: SimLab): string[] {
  let requests = 0;
  let writes = 0;
  let readerWrites = 0;
  const lines: string[] = [];
  for (const { entry, host } of lab.hosts as readonly { entry: { name: string }; host: SimHost }[]) {
    const s = host.server.stats();
    requests += s.requests;
    writes += s.writes;
    const main = s.byLabel[MAIN_LABEL]?.writes ?? 0;
    readerWrites += main;
    if (main > 0) lines.push(`sim: xenstored  ${entry.name}: ${host.server.statsLine()}`);
  }
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? "" : "s"}`;
  return [
    `sim: xenstored  ${n(lab.hosts.length, "host")}: ${n(requests, "request")}, ${n(writes, "write")}, ${readerWrites} of them on the readers' sockets`,
    ...lines,
  ];
}

main().catch((e) => {
  console.error(`sim: ${(e as Error).message}`);
  process.exit(1);
});
