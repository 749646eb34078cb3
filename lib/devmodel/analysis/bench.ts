/**
 * Micro benchmark for the lead (not a test): a synthetic fleet of `vms` guests with about
 * `keysPerVm` keys each, classified with the default rules. Reports wall times so a
 * regression in the matcher is visible (target: 1000 VMs × ~40 keys × ~20 rules well
 * under 100 ms on one core).
 */
import type { DomainSnapshot, HostSnapshot } from "../types";
import { analyzeHost } from "./analyze";
import { classifyKeys } from "./classify";
import { compileRules, DEFAULT_XS_RULES, type XsRule } from "./rules";

export interface BenchResult {
  vms: number;
  keys: number;
  rules: number;
  compileMs: number;
  classifyMs: number;
  analyzeHostMs: number;
  /** Key classifications per second in the classify pass. */
  keysPerSecond: number;
}

export function syntheticDomain(domid: number, keysPerVm = 40): DomainSnapshot {
  const dm = `/local/domain/0/device-model/${domid}`;
  const g = `/local/domain/${domid}`;
  const keys: Record<string, string> = {
    [dm]: "",
    [`${dm}/state`]: "running",
    [`${dm}/backends`]: "",
    [`${dm}/backends/console`]: "",
    [`${dm}/backends/vkbd`]: "",
    [`${dm}/physmap`]: "",
    [`${dm}/physmap/f0000000`]: "",
    [`${dm}/physmap/f0000000/start_addr`]: "f0000000",
    [`${dm}/physmap/f0000000/size`]: "800000",
    [`${dm}/physmap/f0000000/name`]: "vga.vram",
    [`${g}/image/device-model-pid`]: "1234",
    [`${g}/console/tty`]: "/dev/pts/3",
    [`${g}/control/shutdown`]: "",
    [`${g}/control/feature-poweroff`]: "1",
    [`/libxl/${domid}/dm-version`]: "qemu_xen",
  };
  for (let i = 0; Object.keys(keys).length < keysPerVm; i++) {
    keys[`/local/domain/0/backend/qdisk/${domid}/${51712 + i}/state`] = "4";
    if (Object.keys(keys).length < keysPerVm) keys[`${g}/data/unknown-${i}`] = "x";
  }
  return {
    domid,
    name: `vm${domid}`,
    guestType: "hvm",
    dmDomid: 0,
    dmVersion: "qemu_xen",
    keys,
    dmDirPerms: null,
    qmp: { status: "absent", socket: null, error: "no socket" },
    process: null,
    processError: null,
  };
}

export function syntheticHost(vms: number, keysPerVm = 40): HostSnapshot {
  return {
    takenAt: new Date(0).toISOString(),
    elapsedMs: 0,
    source: { xenstored: "synthetic", qmpDir: "synthetic", procRoot: "synthetic" },
    xenstore: { ok: true, directoryPart: false },
    domains: Array.from({ length: vms }, (_, i) => syntheticDomain(i + 1, keysPerVm)),
  };
}

export function benchAnalysis(opts: { vms?: number; keysPerVm?: number; rules?: readonly XsRule[] } = {}): BenchResult {
  const vms = opts.vms ?? 1000;
  const rulesIn = opts.rules ?? DEFAULT_XS_RULES;
  const host = syntheticHost(vms, opts.keysPerVm ?? 40);
  const keys = host.domains.reduce((n, d) => n + Object.keys(d.keys).length, 0);

  let t = performance.now();
  const compiled = compileRules(rulesIn);
  const compileMs = performance.now() - t;

  t = performance.now();
  for (const d of host.domains) classifyKeys(d, compiled);
  const classifyMs = performance.now() - t;

  t = performance.now();
  analyzeHost(host, compiled);
  const analyzeHostMs = performance.now() - t;

  return {
    vms,
    keys,
    rules: compiled.rules.length,
    compileMs,
    classifyMs,
    analyzeHostMs,
    keysPerSecond: classifyMs > 0 ? Math.round(keys / (classifyMs / 1000)) : Infinity,
  };
}
