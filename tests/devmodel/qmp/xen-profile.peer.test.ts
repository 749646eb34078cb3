/**
 * The simulator's Debian Xen QEMU 7.2 profile (lib/devmodel/sim/qmp/xen-qemu-7.2.ts, used by the fleet for
 * dom0 QEMUs of version 7.2) against the real thing: /usr/libexec/xen-qemu-system-i386 started with libxl's
 * command line (-xen-domid, the libxl/libxenstat monitors, -name, a disk and an empty CD drive, VNC) on
 * `-machine none -accel qtest`. For each query dmboard sends (lib/devmodel/qmp/facts.ts) both must answer the
 * same shape (keys and types; values are per guest); for the rest of the read-only allowlist the simulator
 * must answer the same kind (return or error class) and invent no key or type the real QEMU lacks.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QMP_READ_ONLY_COMMANDS, QmpClient, QmpError, type QmpReadOnlyCommand } from "@/lib/devmodel/qmp";
import { generateFleet } from "@/lib/devmodel/sim/fleet";
import { qmpProfileFor } from "@/lib/devmodel/sim/fleet/qmp-profile";
import { QmpServer, XEN_QEMU_7_2_COMMANDS, type QmpProfile } from "@/lib/devmodel/sim/qmp";
import { simTmpDir } from "../sim/tmp";
import { XEN_QEMU_BINARY, startXenQemu, xenQemuLibxlArgs } from "./xen-qemu";

/** What queryQmpFacts sends (facts.ts): the shapes must be equal. */
const FACTS_COMMANDS = ["query-version", "query-status", "query-commands", "query-name", "query-block", "query-vnc"] as const;
/**
 * query-block keys that need a frontend device attached (an IDE bus): the simulator models libxl's xenfv
 * machine, where the drives sit on IDE; on `-machine none` the real QEMU's drives have no frontend.
 */
const FRONTEND_KEYS = ["qdev", "io-status", "tray_open"];
/**
 * Allowlisted commands whose reply depends on the machine: on `-machine none` the real QEMU has no CPUs to
 * hot-plug ("feature not enabled"), while the simulated xenfv machine has (xenfv: hotpluggable-cpus true in
 * the recorded query-machines).
 */
const MACHINE_DEPENDENT = new Set<string>(["query-hotpluggable-cpus"]);

const DOMID = 5;
let dir: string;
let qemu: ChildProcess;
let sim: QmpServer;
let profile: QmpProfile;
type Reply = { ok: true; value: unknown } | { ok: false; class: string };
const real: Record<string, Reply> = {};
const simulated: Record<string, Reply> = {};

async function askAll(socket: string, into: Record<string, Reply>): Promise<void> {
  const c = await QmpClient.connect({ path: socket }, { timeoutMs: 10_000 });
  try {
    for (const cmd of QMP_READ_ONLY_COMMANDS) {
      try {
        into[cmd] = { ok: true, value: await c.execute(cmd as QmpReadOnlyCommand, undefined, { timeoutMs: 10_000 }) };
      } catch (e) {
        if (!(e instanceof QmpError)) throw e;
        into[cmd] = { ok: false, class: e.errorClass };
      }
    }
  } finally {
    await c.close();
  }
}

type Shape = string | { array: Shape | null } | { object: Record<string, Shape> };

/** Keys and types of a JSON value; an array's elements merged into one shape (null: no element to look at). */
function shape(v: unknown): Shape {
  if (v === null) return "null";
  if (Array.isArray(v)) return { array: v.reduce<Shape | null>((acc, x) => (acc === null ? shape(x) : merge(acc, shape(x))), null) };
  if (typeof v === "object") return { object: Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shape(x)])) };
  return typeof v;
}

function merge(a: Shape, b: Shape): Shape {
  if (typeof a === "string" || typeof b === "string") {
    if (a !== b) throw new Error(`elements of different types: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
    return a;
  }
  if ("array" in a && "array" in b) return { array: a.array === null ? b.array : b.array === null ? a.array : merge(a.array, b.array) };
  if ("object" in a && "object" in b) {
    const out = { ...a.object };
    for (const [k, s] of Object.entries(b.object)) out[k] = k in out ? merge(out[k], s) : s;
    return { object: out };
  }
  throw new Error("elements of different kinds");
}

/** Sorted keys all the way down, so toEqual reports a readable difference. */
function canon(s: Shape | null): unknown {
  if (s === null || typeof s === "string") return s;
  if ("array" in s) return { array: canon(s.array) };
  return {
    object: Object.fromEntries(
      Object.keys(s.object)
        .sort()
        .map((k) => [k, canon(s.object[k])]),
    ),
  };
}

/** Paths where `sim` has a key or type that `real` lacks (arrays with no element on a side match anything). */
function invented(sim: Shape | null, real: Shape | null, at = "$"): string[] {
  if (sim === null || real === null) return [];
  if (typeof sim === "string" || typeof real === "string") return sim === real ? [] : [`${at}: ${JSON.stringify(sim)} vs ${JSON.stringify(real)}`];
  if ("array" in sim && "array" in real) return invented(sim.array, real.array, `${at}[]`);
  if ("object" in sim && "object" in real)
    return Object.entries(sim.object).flatMap(([k, s]) =>
      k in real.object ? invented(s, real.object[k], `${at}.${k}`) : [`${at}.${k}: not in the real reply`],
    );
  return [`${at}: array vs object`];
}

function withoutFrontendKeys(blocks: unknown): unknown {
  return (blocks as Record<string, unknown>[]).map((b) => Object.fromEntries(Object.entries(b).filter(([k]) => !FRONTEND_KEYS.includes(k))));
}

beforeAll(async () => {
  dir = simTmpDir("xenprof");
  const realDir = path.join(dir, "real");
  fs.mkdirSync(realDir);
  const disk = path.join(dir, "disk.img");
  fs.writeFileSync(disk, "");
  fs.truncateSync(disk, 64 << 20);

  // A fleet guest whose dom0 QEMU is Debian's 7.2 with a disk and VNC, as the simulator serves it.
  const g = generateFleet({ vms: 60, seed: 3 }).guests.find(
    (x) => x.qmp?.commandSet === "qemu-7.2" && x.qmp.mode === "normal" && x.qmp.vnc?.enabled && x.qmp.blockDevices.length === 2,
  );
  if (!g) throw new Error("no HVM guest with Debian's QEMU 7.2 in the fleet");
  profile = qmpProfileFor(g, dir);
  sim = new QmpServer({ profile });
  await sim.listen({ path: path.join(dir, "sim.sock") });

  // The real one, with what libxl gives such a guest (-name, a disk, an empty CD drive, VNC on loopback).
  const args = [
    ...xenQemuLibxlArgs(DOMID, realDir),
    "-name",
    g.name,
    "-drive",
    `file=${disk},if=none,id=ide0-hd0,format=raw,media=disk`,
    "-drive",
    "if=none,id=ide1-cd0,media=cdrom",
    // A free display between :60 and :99 (the machine is shared).
    "-vnc",
    "127.0.0.1:60,to=99",
  ];
  qemu = await startXenQemu(XEN_QEMU_BINARY, args, path.join(realDir, `qmp-libxenstat-${DOMID}`));

  await askAll(path.join(realDir, `qmp-libxenstat-${DOMID}`), real);
  await askAll(path.join(dir, "sim.sock"), simulated);
}, 60_000);

afterAll(async () => {
  qemu?.kill("SIGKILL");
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const names = (r: Reply | undefined) => (r?.ok ? (r.value as { name: string }[]).map((c) => c.name).sort() : null);

describe("the simulator's Debian Xen QEMU 7.2 profile against /usr/libexec/xen-qemu-system-i386", () => {
  it("lists the same commands as the real Xen QEMU, Xen's save/load/dirty-log among them (and the recorded list is that list)", () => {
    const r = names(real["query-commands"]);
    expect(r).not.toBeNull();
    expect(names(simulated["query-commands"])).toEqual(r);
    expect([...XEN_QEMU_7_2_COMMANDS]).toEqual(r);
    for (const x of ["xen-save-devices-state", "xen-load-devices-state", "xen-set-global-dirty-log"]) {
      expect(r).toContain(x);
      expect(names(simulated["query-commands"])).toContain(x);
    }
    // Debian builds it without replication/COLO: a simulator still on the x86_64 list would have them.
    expect(r).not.toContain("query-xen-replication-status");
  });

  it("reports the same version (Debian's package string)", () => {
    expect(real["query-version"]).toEqual(simulated["query-version"]);
    expect(real["query-version"]).toMatchObject({ ok: true, value: { qemu: { major: 7, minor: 2 }, package: expect.stringMatching(/^Debian /) } });
  });

  it.each(FACTS_COMMANDS)("answers %s, which dmboard sends, in the same shape", (cmd) => {
    const r = real[cmd];
    const s = simulated[cmd];
    expect(r?.ok && s?.ok).toBe(true);
    if (!r?.ok || !s?.ok) return;
    let sv = s.value;
    if (cmd === "query-block") {
      // The simulated drives sit on xenfv's IDE bus; those keys are the only difference, and they are there.
      for (const b of sv as Record<string, unknown>[]) expect(Object.keys(b)).toEqual(expect.arrayContaining(["qdev", "io-status"]));
      sv = withoutFrontendKeys(sv);
      expect((r.value as unknown[]).length).toBe((sv as unknown[]).length);
      expect((r.value as { inserted?: unknown }[]).filter((b) => b.inserted).length).toBeGreaterThan(0);
    }
    if (cmd === "query-vnc") expect(r.value).toMatchObject({ enabled: true });
    expect(canon(shape(sv))).toEqual(canon(shape(r.value)));
  });

  it("answers the rest of the read-only allowlist the same way: same return or error class, no invented keys or types", () => {
    const problems: string[] = [];
    for (const cmd of QMP_READ_ONLY_COMMANDS) {
      if (MACHINE_DEPENDENT.has(cmd)) continue;
      const r = real[cmd];
      const s = simulated[cmd];
      if (!r || !s) {
        problems.push(`${cmd}: no reply`);
        continue;
      }
      // The simulator implements a subset; what it does not, it says so (GenericError), it does not make up data.
      if (!s.ok && s.class === "GenericError" && r.ok) continue;
      if (r.ok !== s.ok || (!r.ok && !s.ok && r.class !== s.class)) {
        problems.push(`${cmd}: real ${JSON.stringify(r).slice(0, 120)}, simulated ${JSON.stringify(s).slice(0, 120)}`);
        continue;
      }
      if (r.ok && s.ok && cmd !== "query-qmp-schema") {
        const sv = cmd === "query-block" ? withoutFrontendKeys(s.value) : s.value;
        for (const p of invented(shape(sv), shape(r.value))) problems.push(`${cmd} ${p}`);
      }
    }
    expect(problems).toEqual([]);
    // The ones the simulator does answer and that depend on the build, not the guest: equal values.
    expect(simulated["query-target"]).toEqual(real["query-target"]);
    expect(simulated["query-kvm"]).toEqual(real["query-kvm"]);
    expect(simulated["query-machines"]).toMatchObject({ ok: true });
    const machineNames = (r: Reply | undefined) => (r?.ok ? (r.value as { name: string }[]).map((m) => m.name).sort() : null);
    expect(machineNames(simulated["query-machines"])).toEqual(machineNames(real["query-machines"]));
    const optionNames = (r: Reply | undefined) => (r?.ok ? (r.value as { option: string }[]).map((o) => o.option).sort() : null);
    expect(optionNames(simulated["query-command-line-options"])).toEqual(optionNames(real["query-command-line-options"]));
    // query-qmp-schema: the simulator's is a miniature, but it names the same commands.
    const schemaCommands = (r: Reply | undefined) =>
      r?.ok
        ? (r.value as { name: string; "meta-type": string }[])
            .filter((e) => e["meta-type"] === "command")
            .map((e) => e.name)
            .sort()
        : null;
    expect(schemaCommands(simulated["query-qmp-schema"])).toEqual(schemaCommands(real["query-qmp-schema"]));
    expect(profile.commands).toBe(XEN_QEMU_7_2_COMMANDS);
  });
});
