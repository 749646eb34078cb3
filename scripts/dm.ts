/**
 * npm run dm -- snapshot [--xenstored PATH] [--qmp-dir DIR] [--proc DIR] [--json]
 *                        [--timeout MS] [--qmp-timeout MS]
 *                        [--ssh user@host[:port] [--identity FILE]]
 *
 * Reads a host through XenStore, QMP and /proc with the same code the server uses.
 * Defaults are a real dom0's: libxenstore's socket rules, /var/run/xen, /proc.
 *
 * With --ssh the same paths are on a remote dom0, read over one SSH connection (XenStore and
 * QMP as unix-socket channels, /proc over SFTP; nothing is run there). It authenticates like
 * OpenSSH's client: --identity FILE, else the agent at SSH_AUTH_SOCK; and checks the host key
 * against $HOME/.ssh/known_hosts, refusing an unknown or changed key (like
 * StrictHostKeyChecking=yes: add the key with ssh-keyscan, or connect once with ssh).
 */
import { parseArgs } from "node:util";
import { escapePeerBytes, setPeerBytesLog } from "@/lib/devmodel/protocol";
import { DEFAULT_QMP_DIR } from "@/lib/devmodel/qmp";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { formatSnapshot } from "@/lib/devmodel/snapshot-format";
import {
  SshConnection,
  SshHostKeyError,
  defaultKnownHostsFile,
  hostKeyAlgorithms,
  knownHostsVerifier,
  knownKeyTypes,
  parseSshTarget,
  readKnownHosts,
  sshHostAccess,
} from "@/lib/devmodel/ssh";
import { DEFAULT_XENSTORED_RUNDIR, resolveSocketPath } from "@/lib/devmodel/xenstore";
import { snapshotWithAnalysis } from "@/lib/hosts/snapshot-report";

const USAGE = `usage: npm run dm -- snapshot [--xenstored PATH] [--qmp-dir DIR] [--proc DIR] [--json] [--timeout MS] [--qmp-timeout MS]
                             [--ssh user@host[:port] [--identity FILE]]`;

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
        ssh: { type: "string" },
        identity: { type: "string" },
      },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  const limits = { timeoutMs: ms("timeout", values.timeout), qmpTimeoutMs: ms("qmp-timeout", values["qmp-timeout"]) };
  if (values.identity !== undefined && values.ssh === undefined) fail(`--identity needs --ssh\n${USAGE}`);
  let snap;
  if (values.ssh !== undefined) {
    const parsed = parseSshTarget(values.ssh);
    if (!parsed.ok) fail(`--ssh: ${parsed.error}\n${USAGE}`);
    const { target } = parsed;
    const agent = process.env.SSH_AUTH_SOCK || null;
    if (!values.identity && !agent) fail("--ssh needs a key: pass --identity FILE, or run an ssh-agent (SSH_AUTH_SOCK is not set)");
    const knownHostsFile = defaultKnownHostsFile();
    let lines;
    try {
      lines = readKnownHosts(knownHostsFile);
    } catch (e) {
      fail(`cannot read ${knownHostsFile}: ${(e as Error).message}`);
    }
    const conn = new SshConnection({
      target,
      identityFile: values.identity ?? null,
      agent,
      verifyHostKey: knownHostsVerifier(knownHostsFile, lines, target.host, target.port),
      hostKeyAlgorithms: hostKeyAlgorithms(knownKeyTypes(lines, target.host, target.port)),
    });
    try {
      // Connect first, so a refused key or login is said as such rather than as an unreachable xenstored.
      await conn.ready();
    } catch (e) {
      await conn.close();
      if (e instanceof SshHostKeyError) {
        console.error(`dm: ${e.message}`);
        return 1;
      }
      console.error(`dm: ${(e as Error).message}`);
      return 1;
    }
    try {
      snap = await takeSnapshot({
        access: sshHostAccess(conn, {
          // The remote dom0's defaults, not this machine's environment.
          xenstored: values.xenstored ?? `${DEFAULT_XENSTORED_RUNDIR}/socket`,
          qmpDir: values["qmp-dir"] ?? DEFAULT_QMP_DIR,
          procRoot: values.proc ?? "/proc",
        }),
        ...limits,
      });
    } finally {
      await conn.close();
    }
  } else {
    snap = await takeSnapshot({
      xenstored: values.xenstored ?? resolveSocketPath(),
      qmpDir: values["qmp-dir"] ?? DEFAULT_QMP_DIR,
      procRoot: values.proc ?? "/proc",
      ...limits,
    });
  }
  if (!snap.xenstore.ok) {
    const e = snap.xenstore.error;
    console.error(`dm: xenstored at ${snap.source.xenstored} is ${e.kind === "unreachable" ? "unreachable" : `not usable (${e.kind})`}: ${e.message}`);
    console.error(
      values.ssh !== undefined
        ? "dm: over SSH, log in as root on the dom0 (xenstored's socket is root's), and pass --xenstored if it is not at the default path"
        : "dm: on a dom0, run as root; against the simulator, pass --xenstored <socket> (see `npm run sim`)",
    );
    if (values.json) process.stdout.write(JSON.stringify(snap, null, 2) + "\n");
    return 1;
  }
  if (values.json) await writeJson(snapshotWithAnalysis(snap));
  else process.stdout.write(formatSnapshot(snap));
  return 0;
}

/**
 * `JSON.stringify(report, null, 2)` + "\n", byte for byte, written a domain at a time and at the
 * pace stdout takes it: for 1000 guests the text is ~21 MB, and held whole (as a string, then as
 * the write's bytes, queued while a pipe's reader lags) it made the process's peak RSS
 * (docs/perf-notes.md, "Snapshot memory").
 */
async function writeJson(report: Record<string, unknown>): Promise<void> {
  const out = process.stdout;
  const write = (s: string) => (out.write(s) ? undefined : new Promise<void>((r) => out.once("drain", r)));
  // A nested value's own lines move right by the indentation of where it is put (JSON text has
  // no raw newlines inside strings, so every "\n" is a line break).
  const at = (v: unknown, indent: string) => JSON.stringify(v, null, 2).replaceAll("\n", `\n${indent}`);
  const fields = Object.entries(report).filter(([, v]) => JSON.stringify(v) !== undefined);
  await write("{");
  for (const [i, [k, v]] of fields.entries()) {
    await write(`${i ? "," : ""}\n  ${JSON.stringify(k)}: `);
    if (!Array.isArray(v) || v.length === 0) {
      await write(at(v, "  "));
      continue;
    }
    await write("[");
    for (const [j, d] of v.entries()) await write(`${j ? "," : ""}\n    ${at(d, "    ")}`);
    await write("\n  ]");
  }
  await write(fields.length ? "\n}\n" : "}\n");
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
