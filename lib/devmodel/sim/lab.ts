/**
 * A lab of simulated dom0s in one process: `hosts` SimHosts with consecutive seeds and a cycle
 * of profiles (fleet/profiles.ts), laid out under one directory with a manifest a test, a bench
 * or the server can read to register them all:
 *
 *   <dir>/hosts.json                       the manifest (LabManifest), written once all serve
 *   <dir>/host-01/xenstored.sock           xenstored for readers
 *   <dir>/host-01/xenstored-writer.sock    the same store, for writes made on purpose (counted apart)
 *   <dir>/host-01/qmp/qmp-libxenstat-<d>   one QMP socket per dom0 QEMU
 *   <dir>/host-01/proc/                    the fake /proc
 *   <dir>/host-02/…
 *
 * Host i (from 1) has seed `seed + i - 1`. Their change timers have evenly spread phases.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { FLEET_PROFILES, LAB_PROFILE_CYCLE, type FleetProfileName } from "./fleet/profiles";
import { startSimHost, type SimChangeEvent, type SimHost } from "./host";

export const LAB_MANIFEST = "hosts.json";
export const LAB_FORMAT = "dmboard-sim-lab/1";
const HOST_DIR = /^host-\d{2,}$/;
/** Hosts set up at once: each is ~2 × vms filesystem operations and vms listening sockets. */
const START_CONCURRENCY = 4;

export interface SimLabOptions {
  dir: string;
  hosts: number;
  /** VMs of each host. */
  vms: number;
  /** Seed of the first host; host i gets seed + i - 1. */
  seed: number;
  changeIntervalMs?: number;
  /** Keep each guest's node list in its fleet (SimHostOptions.retainNodes; default true). */
  retainNodes?: boolean;
  onChange?: (host: LabHost, ev: SimChangeEvent) => void;
}

const labHostSchema = z.object({
  name: z.string().regex(HOST_DIR),
  hostname: z.string(),
  seed: z.number().int(),
  profile: z.enum(Object.keys(FLEET_PROFILES) as [FleetProfileName, ...FleetProfileName[]]),
  vms: z.number().int().nonnegative(),
  /** Domains besides dom0 at start (stub domains included). */
  domains: z.number().int().nonnegative(),
  xenstoredPath: z.string(),
  writerPath: z.string(),
  qmpDir: z.string(),
  procRoot: z.string(),
  changeIntervalMs: z.number().int().nonnegative(),
  changeOffsetMs: z.number().int().nonnegative(),
});

const manifestSchema = z.object({
  format: z.literal(LAB_FORMAT),
  /** The simulator process serving the lab. */
  pid: z.number().int().positive(),
  startedAt: z.string(),
  dir: z.string(),
  hosts: z.array(labHostSchema),
});

/** One host of a lab as the manifest lists it (paths absolute). */
export type LabHost = z.infer<typeof labHostSchema>;
export type LabManifest = z.infer<typeof manifestSchema>;

export interface SimLab {
  readonly dir: string;
  readonly manifestPath: string;
  readonly manifest: LabManifest;
  /** In manifest order. */
  readonly hosts: readonly { readonly entry: LabHost; readonly host: SimHost }[];
  stop(): Promise<void>;
}

/** "host-01" … "host-50"; three digits from 100 hosts on. */
export function labHostName(i: number, hosts: number): string {
  return `host-${String(i).padStart(Math.max(2, String(hosts).length), "0")}`;
}

/** Where host i (from 1) of a lab of `hosts` lives under `dir`: the layout above, known before the lab runs. */
export function labHostPaths(dir: string, i: number, hosts: number) {
  const name = labHostName(i, hosts);
  const home = path.join(path.resolve(dir), name);
  return {
    name,
    xenstoredPath: path.join(home, "xenstored.sock"),
    writerPath: path.join(home, "xenstored-writer.sock"),
    qmpDir: path.join(home, "qmp"),
    procRoot: path.join(home, "proc"),
  };
}

/** The lab's manifest, validated: what a test, the bench or the server reads to register the hosts. */
export function readLabManifest(dirOrFile: string): LabManifest {
  const file = dirOrFile.endsWith(".json") ? dirOrFile : path.join(dirOrFile, LAB_MANIFEST);
  const parsed = manifestSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new Error(`${file} is not a simulator lab manifest: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

function rmdirIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Absent, or not empty.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Refuse a directory that holds anything but an earlier lab (a mistyped `--dir .` must not
 * wipe a checkout), or a lab another live simulator serves (its sockets would be taken over).
 */
function checkDir(dir: string): void {
  if (!fs.existsSync(dir)) return;
  const stray = fs.readdirSync(dir).filter((n) => n !== LAB_MANIFEST && n !== `${LAB_MANIFEST}.tmp` && !HOST_DIR.test(n));
  if (stray.length > 0) throw new Error(`${dir} is not empty and not a simulator lab (found ${stray.slice(0, 3).join(", ")})`);
  const manifest = path.join(dir, LAB_MANIFEST);
  if (!fs.existsSync(manifest)) return;
  let pid: number | null = null;
  try {
    pid = readLabManifest(manifest).pid;
  } catch {
    // An unreadable manifest is a leftover: replaced below.
  }
  if (pid !== null && pid !== process.pid && alive(pid)) throw new Error(`${dir} is served by another simulator (pid ${pid})`);
}

export async function startSimLab(opts: SimLabOptions): Promise<SimLab> {
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1) throw new RangeError(`hosts must be a positive integer, got ${opts.hosts}`);
  const dir = path.resolve(opts.dir);
  checkDir(dir);
  const createdDir = !fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  const manifestPath = path.join(dir, LAB_MANIFEST);
  fs.rmSync(manifestPath, { force: true });

  const every = opts.changeIntervalMs ?? 0;
  const entries: LabHost[] = Array.from({ length: opts.hosts }, (_, k) => {
    const p = labHostPaths(dir, k + 1, opts.hosts);
    return {
      name: p.name,
      hostname: "",
      seed: opts.seed + k,
      profile: LAB_PROFILE_CYCLE[k % LAB_PROFILE_CYCLE.length],
      vms: opts.vms,
      domains: 0,
      xenstoredPath: p.xenstoredPath,
      writerPath: p.writerPath,
      qmpDir: p.qmpDir,
      procRoot: p.procRoot,
      changeIntervalMs: every,
      // Evenly spread over one interval: host k's first change at (k + 1) / n of it.
      changeOffsetMs: every > 0 ? Math.round((every * (k + 1)) / opts.hosts) : 0,
    };
  });

  const started: ({ entry: LabHost; host: SimHost } | undefined)[] = new Array(entries.length);
  const stopAll = async () => {
    fs.rmSync(manifestPath, { force: true });
    await Promise.all(started.map((s) => s?.host.stop()));
    // Each host removed its sockets and fake /proc; what is left is empty directories, unless
    // someone put files there: those stay.
    for (const e of entries) for (const d of [e.qmpDir, path.dirname(e.xenstoredPath)]) rmdirIfEmpty(d);
    if (createdDir) rmdirIfEmpty(dir);
  };
  try {
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const k = next++;
        const entry = entries[k];
        const host = await startSimHost({
          vms: entry.vms,
          seed: entry.seed,
          profile: entry.profile,
          socket: entry.xenstoredPath,
          writerSocket: entry.writerPath,
          qmpDir: entry.qmpDir,
          procDir: entry.procRoot,
          changeIntervalMs: every,
          changeOffsetMs: entry.changeOffsetMs,
          retainNodes: opts.retainNodes,
          onChange: opts.onChange ? (ev) => opts.onChange!(entry, ev) : undefined,
        });
        entry.hostname = host.fleet.hostname;
        entry.domains = host.fleet.guests.length;
        started[k] = { entry, host };
      }
    };
    await Promise.all(Array.from({ length: Math.min(START_CONCURRENCY, entries.length) }, worker));
  } catch (e) {
    await stopAll();
    throw e;
  }

  const manifest: LabManifest = { format: LAB_FORMAT, pid: process.pid, startedAt: new Date().toISOString(), dir, hosts: entries };
  // Written last and renamed into place: a reader that finds the manifest finds every host serving.
  fs.writeFileSync(`${manifestPath}.tmp`, JSON.stringify(manifest, null, 2) + "\n");
  fs.renameSync(`${manifestPath}.tmp`, manifestPath);

  let stopping: Promise<void> | null = null;
  return {
    dir,
    manifestPath,
    manifest,
    hosts: started as { entry: LabHost; host: SimHost }[],
    stop: () => (stopping ??= stopAll()),
  };
}
