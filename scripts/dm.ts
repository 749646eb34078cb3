/**
 * npm run dm -- snapshot [--xenstored PATH] [--qmp-dir DIR] [--proc DIR] [--json]
 *                        [--timeout MS] [--qmp-timeout MS]
 *
 * Reads a host through XenStore, QMP and /proc with the same code the server uses.
 * Defaults are a real dom0's: libxenstore's socket rules, /var/run/xen, /proc.
 */
import { parseArgs } from "node:util";
import { escapePeerBytes, setPeerBytesLog } from "@/lib/devmodel/protocol";
import { DEFAULT_QMP_DIR } from "@/lib/devmodel/qmp";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { formatSnapshot } from "@/lib/devmodel/snapshot-format";
import { resolveSocketPath } from "@/lib/devmodel/xenstore";
import { snapshotWithAnalysis } from "@/lib/hosts/snapshot-report";

const USAGE = `usage: npm run dm -- snapshot [--xenstored PATH] [--qmp-dir DIR] [--proc DIR] [--json] [--timeout MS] [--qmp-timeout MS]`;

function fail(msg: string, code = 2): never {
  console.error(`dm: ${msg}`);
  process.exit(code);
}

function ms(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) === 0) fail(`--${name} must be a positive number of milliseconds\n${USAGE}`);
  return Number(v);
}

async function snapshotCommand(args: string[]): Promise<number> {
  // What a misconfigured peer sent goes to stderr for whoever runs this, not into stdout's JSON.
  setPeerBytesLog((r) => console.error(`dm: ${r.protocol} peer ${r.peer}: ${r.problem}; it sent: ${escapePeerBytes(r.bytes)}`));
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        xenstored: { type: "string" },
        "qmp-dir": { type: "string" },
        proc: { type: "string" },
        json: { type: "boolean" },
        timeout: { type: "string" },
        "qmp-timeout": { type: "string" },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  const snap = await takeSnapshot({
    xenstored: values.xenstored ?? resolveSocketPath(),
    qmpDir: values["qmp-dir"] ?? DEFAULT_QMP_DIR,
    procRoot: values.proc ?? "/proc",
    timeoutMs: ms("timeout", values.timeout),
    qmpTimeoutMs: ms("qmp-timeout", values["qmp-timeout"]),
  });
  if (!snap.xenstore.ok) {
    const e = snap.xenstore.error;
    console.error(`dm: xenstored at ${snap.source.xenstored} is ${e.kind === "unreachable" ? "unreachable" : `not usable (${e.kind})`}: ${e.message}`);
    console.error("dm: on a dom0, run as root; against the simulator, pass --xenstored <socket> (see `npm run sim`)");
    if (values.json) process.stdout.write(JSON.stringify(snap, null, 2) + "\n");
    return 1;
  }
  process.stdout.write(values.json ? JSON.stringify(snapshotWithAnalysis(snap), null, 2) + "\n" : formatSnapshot(snap));
  return 0;
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  let code: number;
  switch (cmd) {
    case "snapshot":
      code = await snapshotCommand(rest);
      break;
    case undefined:
    case "-h":
    case "--help":
      console.log(USAGE);
      code = cmd === undefined ? 2 : 0;
      break;
    default:
      fail(`unknown command ${JSON.stringify(cmd)}\n${USAGE}`);
  }
  // stdout may be a pipe: let it drain before exiting.
  process.stdout.write("", () => process.exit(code));
}

main().catch((e) => fail(`${(e as Error).stack ?? e}`, 1));
