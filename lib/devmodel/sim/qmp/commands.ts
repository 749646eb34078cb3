/**
 * The simulated QEMU's command table: replies built from the guest's profile,
 * in the shapes QEMU 7.2 uses. Commands that change state (stop, cont, quit…)
 * exist so other simulations (a fake libxl) can drive the guest; our own client
 * cannot send them.
 */
import type { QmpRunState } from "@/lib/devmodel/qmp/types";
import type { QmpProfile, QmpSimReply } from "./profile";
import { QEMU_7_2_OPTION_NAME_PARAMETERS, QEMU_7_2_OPTION_NAMES } from "./qemu-7.2";

/** What a command may do to its server besides replying. */
export interface QmpSimActions {
  setRunState(state: QmpRunState): void;
  emitEvent(name: string, data?: Record<string, unknown>): void;
  /** Reply, then behave like QEMU exiting (SHUTDOWN, connection and listener gone). */
  quitAfterReply(): void;
}

type Handler = (p: QmpProfile, args: Record<string, unknown>, act: QmpSimActions) => QmpSimReply;
interface Spec {
  required?: string[];
  optional?: string[];
  run: Handler;
}

const ok = (value: unknown): QmpSimReply => ({ return: value });

/** query-commands' reply, one frozen list per command set (shared by the guests, serialized once). */
const commandLists = new WeakMap<readonly string[], readonly { name: string }[]>();
function commandList(commands: readonly string[]): readonly { name: string }[] {
  let list = commandLists.get(commands);
  if (!list) {
    list = Object.freeze(commands.map((name) => Object.freeze({ name })));
    commandLists.set(commands, list);
  }
  return list;
}
const generic = (desc: string): QmpSimReply => ({ error: { class: "GenericError", desc } });

const TABLE: Record<string, Spec> = {
  "query-status": { run: (p) => ok({ status: p.runState, singlestep: false, running: p.runState === "running" }) },
  "query-version": { run: (p) => ok(p.version) },
  "query-name": { run: (p) => ok(p.name === null ? {} : { name: p.name }) },
  "query-commands": { run: (p) => ok(commandList(p.commands)) },
  "query-uuid": { run: (p) => ok({ UUID: p.uuid }) },
  "query-block": { run: (p) => ok(p.blockDevices) },
  "query-vnc": { run: (p) => ok(p.vnc) },
  "query-chardev": { run: (p) => ok(p.chardevs) },
  "query-kvm": { run: (p) => ok(p.kvm) },
  "query-target": { run: (p) => ok({ arch: p.arch }) },
  "query-migrate": { run: () => ok({}) },
  "query-fdsets": { run: () => ok([]) },
  // libxl adds no virtio-balloon (Xen balloons through XenStore's memory/target): recorded from Debian's Xen QEMU.
  "query-balloon": { run: () => ({ error: { class: "DeviceNotActive", desc: "No balloon device has been activated" } }) },
  "query-xen-replication-status": { run: () => ok({ error: false }) },
  "query-cpus-fast": {
    run: (p) =>
      ok(
        Array.from({ length: p.vcpus }, (_, i) => ({
          "thread-id": 4817 + i,
          props: { "core-id": 0, "thread-id": 0, "socket-id": i },
          "qom-path": `/machine/unattached/device[${i}]`,
          "cpu-index": i,
          target: p.arch,
        })),
      ),
  },
  "query-hotpluggable-cpus": {
    run: (p) =>
      ok(
        Array.from({ length: p.vcpus }, (_, i) => ({
          props: { "core-id": 0, "thread-id": 0, "socket-id": i },
          "vcpus-count": 1,
          "qom-path": `/machine/unattached/device[${i}]`,
          type: cpuType(p.arch),
        })),
      ),
  },
  "query-pci": { run: () => ok([{ bus: 0, devices: XENFV_PCI }]) },
  "query-machines": { run: (p) => ok(p.machines ?? MACHINES) },
  "query-command-line-options": {
    optional: ["option"],
    run: (p, args) => {
      const all = (p.optionNames ?? QEMU_7_2_OPTION_NAMES).map((option) => ({
        parameters: option === "name" ? QEMU_7_2_OPTION_NAME_PARAMETERS : [],
        option,
      }));
      if (args.option === undefined) return ok(all);
      if (typeof args.option !== "string") return generic("Invalid parameter type for 'option', expected: string");
      const hit = all.filter((o) => o.option === args.option);
      return hit.length ? ok(hit) : generic(`invalid option name: ${args.option}`);
    },
  },
  "query-qmp-schema": {
    // The real schema is ~150 KiB; a consistent miniature: every command, no arguments, any return.
    run: (p) =>
      ok([
        ...p.commands.map((name) => ({ name, "meta-type": "command", "arg-type": "0", "ret-type": "1" })),
        { name: "0", "meta-type": "object", members: [] },
        { name: "1", "meta-type": "builtin", "json-type": "value" },
      ]),
  },
  stop: {
    run: (p, _a, act) => {
      if (p.runState === "running") act.setRunState("paused");
      return ok({});
    },
  },
  cont: {
    run: (p, _a, act) => {
      if (p.runState === "inmigrate") return generic("Migration is not complete; cannot start VM");
      act.setRunState("running");
      return ok({});
    },
  },
  system_reset: {
    run: (_p, _a, act) => {
      act.emitEvent("RESET", { guest: false, reason: "host-qmp-system-reset" });
      return ok({});
    },
  },
  system_powerdown: {
    run: (_p, _a, act) => {
      act.emitEvent("POWERDOWN");
      return ok({});
    },
  },
  quit: {
    run: (_p, _a, act) => {
      act.quitAfterReply();
      return ok({});
    },
  },
  "xen-save-devices-state": { required: ["filename"], optional: ["live"], run: () => ok({}) },
  "xen-load-devices-state": { required: ["filename"], run: () => ok({}) },
  "xen-set-global-dirty-log": {
    required: ["enable"],
    run: (_p, args) => (typeof args.enable === "boolean" ? ok({}) : generic("Invalid parameter type for 'enable', expected: boolean")),
  },
};

/** QEMU's default CPU model of a target (target/i386/cpu.h: qemu64 on x86_64, qemu32 on i386). */
function cpuType(arch: string): string {
  return arch === "x86_64" ? "qemu64-x86_64-cpu" : `qemu32-${arch}-cpu`;
}

/** Answer `command` (already past negotiation) from `profile`. */
export function runCommand(profile: QmpProfile, command: string, args: Record<string, unknown>, act: QmpSimActions): QmpSimReply {
  const override = Object.hasOwn(profile.replies, command) ? profile.replies[command] : undefined;
  if (override) return override;
  if (!profile.commands.includes(command)) {
    return { error: { class: "CommandNotFound", desc: `The command ${command} has not been found` } };
  }
  const spec = Object.hasOwn(TABLE, command) ? TABLE[command] : undefined;
  if (!spec) return generic(`The simulator does not implement ${command}`);
  for (const r of spec.required ?? []) if (!(r in args)) return generic(`Parameter '${r}' is missing`);
  const known = new Set([...(spec.required ?? []), ...(spec.optional ?? [])]);
  for (const k of Object.keys(args)) if (!known.has(k)) return generic(`Parameter '${k}' is unexpected`);
  return spec.run(profile, args, act);
}

/** The PCI functions of an HVM guest on Xen's `xenfv` machine (i440FX + Xen platform device). */
const XENFV_PCI = [
  pci(0, 0, 0x0600, "Host bridge", 0x8086, 0x1237),
  pci(1, 0, 0x0601, "ISA bridge", 0x8086, 0x7000),
  pci(1, 1, 0x0101, "IDE controller", 0x8086, 0x7010),
  pci(1, 3, 0x0680, "Bridge", 0x8086, 0x7113),
  pci(2, 0, 0x0380, "Display controller", 0x5853, 0x0001, "xen-platform"),
  pci(3, 0, 0x0300, "VGA controller", 0x1013, 0x00b8),
];

function pci(slot: number, fn: number, cls: number, desc: string, vendor: number, device: number, qdev = "") {
  return {
    bus: 0,
    slot,
    function: fn,
    class_info: { desc, class: cls },
    id: { vendor, device, "subsystem-vendor": 0x5853, subsystem: 0x0001 },
    qdev_id: qdev,
    regions: [],
  };
}

const MACHINES = [
  { "hotpluggable-cpus": false, name: "none", "numa-mem-supported": false, "cpu-max": 1, deprecated: false, "default-ram-id": "ram" },
  {
    "hotpluggable-cpus": true,
    name: "xenfv-4.2",
    "numa-mem-supported": false,
    "default-cpu-type": "qemu64-x86_64-cpu",
    "cpu-max": 128,
    deprecated: false,
    alias: "xenfv",
    "default-ram-id": "pc.ram",
  },
  { "hotpluggable-cpus": false, name: "xenpv", "numa-mem-supported": false, "cpu-max": 1, deprecated: false },
  {
    "hotpluggable-cpus": true,
    name: "pc-i440fx-7.2",
    "numa-mem-supported": false,
    "default-cpu-type": "qemu64-x86_64-cpu",
    "cpu-max": 255,
    deprecated: false,
    alias: "pc",
    "is-default": true,
    "default-ram-id": "pc.ram",
  },
];
