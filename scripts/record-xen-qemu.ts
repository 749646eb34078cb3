/**
 * node --import tsx scripts/record-xen-qemu.ts [--qemu PATH] [--only NAME,...] [--module FILE]
 *
 * Starts Debian's Xen device model (qemu-system-xen: /usr/libexec/xen-qemu-system-i386) the way
 * tests/devmodel/qmp/xen-qemu.ts does (libxl's command line on `-machine none -accel qtest`, no
 * hypervisor needed), asks it every read-only QMP command of lib/devmodel/qmp/allowlist.ts and
 * prints the replies as one JSON object { greeting, replies: { command: reply } } on stdout.
 * With --module FILE it writes the simulator's profile data instead (then run prettier on it):
 * `--module lib/devmodel/sim/qmp/xen-qemu-7.2.ts` re-records that file.
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { QMP_READ_ONLY_COMMANDS } from "@/lib/devmodel/qmp/allowlist";
import { XEN_QEMU_BINARY, startXenQemu, xenQemuLibxlArgs } from "@/tests/devmodel/qmp/xen-qemu";

const { values } = parseArgs({ options: { qemu: { type: "string" }, only: { type: "string" }, module: { type: "string" } } });
const commands = values.only ? values.only.split(",") : [...QMP_READ_ONLY_COMMANDS];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xenq-rec-"));
const domid = 1;
const qemu = await startXenQemu(values.qemu ?? XEN_QEMU_BINARY, xenQemuLibxlArgs(domid, dir), path.join(dir, `qmp-libxl-${domid}`));
try {
  const out = await converse(path.join(dir, `qmp-libxl-${domid}`), commands);
  if (values.module) fs.writeFileSync(values.module, profileModule(out.replies));
  else process.stdout.write(JSON.stringify(out, null, 2) + "\n");
} finally {
  qemu.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
}

async function converse(socket: string, cmds: string[]): Promise<{ greeting: unknown; replies: Record<string, unknown> }> {
  const s = net.connect(socket);
  const lines: unknown[] = [];
  let buf = "";
  let waiting: (() => void) | null = null;
  s.on("data", (b) => {
    buf += b.toString("utf8");
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) lines.push(JSON.parse(line));
    }
    waiting?.();
  });
  const next = async (): Promise<Record<string, unknown>> => {
    for (;;) {
      const m = lines.shift() as Record<string, unknown> | undefined;
      if (m && !("event" in m)) return m;
      if (!m) await new Promise<void>((r) => (waiting = r));
    }
  };
  const greeting = await next();
  s.write(JSON.stringify({ execute: "qmp_capabilities" }) + "\n");
  await next();
  const replies: Record<string, unknown> = {};
  for (const c of cmds) {
    s.write(JSON.stringify({ execute: c }) + "\n");
    replies[c] = await next();
  }
  s.destroy();
  return { greeting, replies };
}

type Reply = { return?: unknown };
function ret<T>(replies: Record<string, unknown>, c: string): T {
  const r = replies[c] as Reply | undefined;
  if (!r || !("return" in r)) throw new Error(`${c}: no reply recorded (${JSON.stringify(r)})`);
  return r.return as T;
}

/** lib/devmodel/sim/qmp/xen-qemu-7.2.ts from the recorded replies. */
function profileModule(replies: Record<string, unknown>): string {
  const names = ret<{ name: string }[]>(replies, "query-commands")
    .map((c) => c.name)
    .sort();
  const version = ret<object>(replies, "query-version");
  const arch = ret<{ arch: string }>(replies, "query-target").arch;
  const options = ret<{ option: string }[]>(replies, "query-command-line-options")
    .map((o) => o.option)
    .sort();
  const machines = ret<{ name: string }[]>(replies, "query-machines").sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const recorded = `${new Date().toISOString().slice(0, 10)} (package ${JSON.stringify((version as { package?: string }).package)})`;
  return `/**
 * Data recorded from Debian's Xen device model: /usr/libexec/xen-qemu-system-i386 (package qemu-system-xen,
 * QEMU 7.2.22), the QEMU a Debian 12 dom0 runs for its guests. Recorded ${recorded} by
 * scripts/record-xen-qemu.ts (libxl's command line on \`-machine none -accel qtest\`, no hypervisor):
 * \`node --import tsx scripts/record-xen-qemu.ts --module lib/devmodel/sim/qmp/xen-qemu-7.2.ts\`.
 * Unlike qemu-system-x86_64 7.2 (qemu-7.2.ts) this build has no replication/COLO (query-xen-replication-status,
 * xen-set-replication, xen-colo-do-checkpoint), no TPM and no x-query-jit/opcount/profile; its target is i386.
 * Frozen and shared: a thousand simulated guests hold one copy.
 */

/** query-commands, names only (sorted; QEMU itself sends them in hash order). */
export const XEN_QEMU_7_2_COMMANDS: readonly string[] = Object.freeze(${JSON.stringify(names)});

export const XEN_QEMU_7_2_VERSION = ${JSON.stringify(version)} as const;

/** query-target. */
export const XEN_QEMU_7_2_ARCH = ${JSON.stringify(arch)};

/** query-command-line-options option names ("" is QEMU's own unnamed group). */
export const XEN_QEMU_7_2_OPTION_NAMES: readonly string[] = Object.freeze(${JSON.stringify(options)});

/** query-machines (sorted by name). */
export const XEN_QEMU_7_2_MACHINES: readonly object[] = deepFreeze(${JSON.stringify(machines)});

function deepFreeze<T extends object[]>(a: T): T {
  for (const m of a) Object.freeze(m);
  return Object.freeze(a);
}
`;
}
