import path from "node:path";

/** Where the embedded simulated host lives inside the data directory. */
export function simPaths(dataDirectory: string) {
  const dir = path.join(dataDirectory, "sim");
  return {
    dir,
    socket: path.join(dir, "xenstored.sock"),
    /** The same store for writes made on purpose (tests, a demo): counted apart from the readers'. */
    writerSocket: path.join(dir, "xenstored-writer.sock"),
    qmpDir: path.join(dir, "qmp"),
    procDir: path.join(dir, "proc"),
    /** The simulator's request and write counts (scripts/sim.ts --stats-file). */
    statsFile: path.join(dir, "stats.json"),
  };
}

/** Where `npm run sim -- --hosts N` lays out its lab unless --dir says otherwise. */
export function simLabDir(dataDirectory: string): string {
  return path.join(dataDirectory, "sim-lab");
}

/** How many VMs the embedded host simulates (DMBOARD_SIM_VMS, default 40). */
export function simSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DMBOARD_SIM_VMS ?? 40);
  return Number.isInteger(n) && n >= 0 ? n : 40;
}

/**
 * How many hosts the embedded simulator serves (DMBOARD_SIM_HOSTS, default 1). One is the
 * single "simulated" host; more is a small lab under <data>/sim-lab (host-01 …), each
 * registered on first start.
 */
export function simHostCount(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.DMBOARD_SIM_HOSTS ?? 1);
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : 1;
}

/** The embedded host runs unless switched off (DMBOARD_SIM=off) — e.g. on a real dom0. */
export function embeddedSimWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DMBOARD_SIM !== "off";
}

/**
 * Node flags for a simulator process (`npm run sim` in package.json passes the same): V8's
 * young generation grows to 32 MB while a host is built and keeps it; 4 MB semi-spaces cost
 * ~3% more CPU under a snapshot and save ~25 MB of RSS for a process that is idle most of
 * the time.
 */
export const SIM_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=4"];
