/**
 * npm run sim -- --vms N --seed S [--socket PATH] [--qmp-dir DIR] [--proc DIR] [--change-interval MS]
 *
 * Serves a simulated Xen host: a xenstored-compatible socket, one QMP socket per dom0
 * QEMU and a fake /proc, until SIGINT/SIGTERM. `--vms 0` serves dom0 alone, an empty host
 * to fill with the real xenstore-utils.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { startSimHost } from "@/lib/devmodel/sim";

const USAGE = `usage: npm run sim -- [--vms N] [--seed S] [--socket PATH] [--qmp-dir DIR] [--proc DIR] [--change-interval MS]`;

function intArg(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v)) {
    console.error(`sim: --${name} must be a non-negative integer, got ${JSON.stringify(v)}\n${USAGE}`);
    process.exit(2);
  }
  return Number(v);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        vms: { type: "string" },
        seed: { type: "string" },
        socket: { type: "string" },
        "qmp-dir": { type: "string" },
        proc: { type: "string" },
        "change-interval": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`sim: ${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const base = path.resolve(process.env.DMBOARD_DATA_DIR || "./data", "sim");
  const vms = intArg("vms", values.vms, 20);
  const seed = intArg("seed", values.seed, 1);
  const changeIntervalMs = intArg("change-interval", values["change-interval"], 0);
  const socket = path.resolve(values.socket ?? path.join(base, "xenstored.sock"));
  const qmpDir = path.resolve(values["qmp-dir"] ?? path.join(base, "qmp"));
  const procDir = path.resolve(values.proc ?? path.join(base, "proc"));

  // Handlers first: a Ctrl-C while 1000 VMs are being set up must still clean up.
  let host: Awaited<ReturnType<typeof startSimHost>> | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`sim: ${signal}, stopping`);
    if (!host) return; // main() stops it as soon as it is up
    host.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(`sim: stop failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  const t0 = performance.now();
  host = await startSimHost({
    vms,
    seed,
    socket,
    qmpDir,
    procDir,
    changeIntervalMs,
    retainNodes: false,
    onChange: (ev) => console.error(`sim: ${ev.at} ${ev.kind} domain ${ev.domid} (${ev.name}): ${ev.detail}`),
  });
  if (stopping) {
    await host.stop();
    process.exit(0);
  }
  const ms = Math.round(performance.now() - t0);
  const domains = host.fleet.guests.length;
  console.error(`sim: ${vms} VMs (${domains} domains besides dom0, seed ${seed}) ready in ${ms} ms`);
  console.error(`sim: xenstored  ${socket}`);
  console.error(`sim: QMP        ${qmpDir}/qmp-libxenstat-<domid>`);
  console.error(`sim: /proc      ${procDir}`);
  console.error(`sim: try        XENSTORED_PATH=${socket} xenstore-ls -f /local/domain/0`);
  console.error(`sim: snapshot   npm run dm -- snapshot --xenstored ${socket} --qmp-dir ${qmpDir} --proc ${procDir}`);
  if (changeIntervalMs > 0) console.error(`sim: changing something every ${changeIntervalMs} ms`);
  console.error("sim: Ctrl-C to stop");
}

main().catch((e) => {
  console.error(`sim: ${(e as Error).message}`);
  process.exit(1);
});
