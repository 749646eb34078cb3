/**
 * What kind of dom0 a simulated host is: which guests it runs and how far its device models are
 * deprivileged. One host alone is "mixed" (a bit of everything, every special case); a lab of
 * many hosts cycles through the others too, so it looks like a lab: a host where depriv is rolled
 * out, an old one with root QEMUs and physmap keys, a PV farm, a stub-domain host.
 */
import type { GuestKind, QmpSpec } from "./types";

type Weights<T> = readonly (readonly [T, number])[];

export interface FleetProfile {
  name: FleetProfileName;
  /** Kinds of the guests that are not special cases. */
  kinds: Weights<GuestKind>;
  /** Chance that a dom0 HVM QEMU was built for Xen < 4.10 (physmap keys, QEMU 4.2). */
  physmap: number;
  /** QEMU versions of the other dom0 QEMUs. */
  qemu: Weights<QmpSpec["commandSet"]>;
  /** Chance of each special case (SPECIAL_RECIPES) being on the host; 1: all of them, first. */
  specials: number;
  /** Kinds of the VMs started later (SimHost changes). */
  startKinds: Weights<GuestKind>;
}

export type FleetProfileName = "mixed" | "depriv" | "legacy" | "pv-farm" | "stubdom";

export const FLEET_PROFILES: Readonly<Record<FleetProfileName, FleetProfile>> = {
  mixed: {
    name: "mixed",
    kinds: [
      ["hvm-depriv", 32],
      ["hvm-root", 24],
      ["hvm-partial", 6],
      ["pv-qemu", 14],
      ["pv", 22],
      ["hvm-stubdom", 1],
    ],
    physmap: 0.08,
    qemu: [
      ["qemu-7.2", 6],
      ["qemu-8.2", 3],
      ["qemu-9.2", 1],
    ],
    specials: 1,
    startKinds: [
      ["hvm-depriv", 40],
      ["hvm-root", 20],
      ["pv-qemu", 15],
      ["pv", 20],
      ["hvm-stubdom", 5],
    ],
  },
  depriv: {
    name: "depriv",
    kinds: [
      ["hvm-depriv", 62],
      ["hvm-partial", 8],
      ["hvm-root", 3],
      ["pv-qemu", 7],
      ["pv", 18],
      ["hvm-stubdom", 2],
    ],
    physmap: 0,
    qemu: [
      ["qemu-8.2", 5],
      ["qemu-9.2", 5],
    ],
    specials: 0.25,
    startKinds: [
      ["hvm-depriv", 75],
      ["pv", 25],
    ],
  },
  legacy: {
    name: "legacy",
    kinds: [
      ["hvm-root", 45],
      ["hvm-trad", 10],
      ["hvm-partial", 10],
      ["pv-qemu", 20],
      ["pv", 15],
    ],
    physmap: 0.35,
    qemu: [
      ["qemu-7.2", 8],
      ["qemu-8.2", 2],
    ],
    specials: 0.4,
    startKinds: [
      ["hvm-root", 60],
      ["pv-qemu", 20],
      ["pv", 20],
    ],
  },
  "pv-farm": {
    name: "pv-farm",
    kinds: [
      ["pv", 55],
      ["pv-qemu", 30],
      ["hvm-depriv", 10],
      ["hvm-root", 5],
    ],
    physmap: 0.05,
    qemu: [
      ["qemu-7.2", 5],
      ["qemu-8.2", 5],
    ],
    specials: 0.25,
    startKinds: [
      ["pv", 60],
      ["pv-qemu", 40],
    ],
  },
  stubdom: {
    name: "stubdom",
    kinds: [
      ["hvm-stubdom", 40],
      ["hvm-depriv", 25],
      ["hvm-root", 10],
      ["pv", 25],
    ],
    physmap: 0.05,
    qemu: [
      ["qemu-7.2", 4],
      ["qemu-8.2", 4],
      ["qemu-9.2", 2],
    ],
    specials: 0.25,
    startKinds: [
      ["hvm-stubdom", 50],
      ["hvm-depriv", 30],
      ["pv", 20],
    ],
  },
};

export function isFleetProfileName(s: string): s is FleetProfileName {
  return Object.hasOwn(FLEET_PROFILES, s);
}

/** The order a lab cycles through: host 1 is "mixed", like a host started alone with the same seed. */
export const LAB_PROFILE_CYCLE: readonly FleetProfileName[] = ["mixed", "depriv", "legacy", "pv-farm", "stubdom"];
