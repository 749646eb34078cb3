/**
 * Which device model a guest has, from its XenStore keys, the process and QMP.
 */
import type { DomainSnapshot } from "../types";
import { compilePattern, contextFor, matchSegments, splitPath } from "./pattern";

export type DeviceModelKind = "qemu-xen-dom0" | "qemu-xen-stubdom" | "qemu-xen-traditional" | "none";

export interface DeviceModelInfo {
  kind: DeviceModelKind;
  /** Human-readable reasons, most decisive first. */
  evidence: string[];
}

// Compiled once; `*` for the dm segment because we look for QEMU evidence wherever the
// collector found it (the dm domid may be unknown or, for physmap, hard-coded to 0).
const DM_DIR = compilePattern("/local/domain/*/device-model/<g>/**");
const TRAD_KEYS = compilePattern("/local/domain/*/device-model/<g>/{command,parameter,logdirty}/**");
const QEMU_BACKEND = compilePattern("/local/domain/*/backend/{qdisk,console,vkbd,vfb,qusb,9pfs,qnic}/<g>/**");
const DM_PID = compilePattern("/local/domain/<g>/image/device-model-pid");

export function classifyDeviceModel(domain: DomainSnapshot): DeviceModelInfo {
  const ctx = contextFor(domain);
  const keys = Object.keys(domain.keys ?? {});
  const evidence: string[] = [];
  // One pass, each key split once; the substring tests skip the split for most keys.
  const tradKeys: string[] = [];
  const dmKeys: string[] = [];
  const backendKeys: string[] = [];
  let pidKey: string | undefined;
  for (const k of keys) {
    const inDm = k.includes("/device-model/");
    const inBackend = !inDm && k.includes("/backend/");
    if (!inDm && !inBackend) {
      if (pidKey === undefined && k.endsWith("/image/device-model-pid")) {
        const segs = splitPath(k);
        if (segs && matchSegments(DM_PID, segs, ctx)) pidKey = k;
      }
      continue;
    }
    const segs = splitPath(k);
    if (!segs) continue;
    if (inDm && matchSegments(DM_DIR, segs, ctx)) {
      dmKeys.push(k);
      if (matchSegments(TRAD_KEYS, segs, ctx)) tradKeys.push(k);
    } else if (inBackend && matchSegments(QEMU_BACKEND, segs, ctx)) backendKeys.push(k);
  }

  // qemu-xen-traditional (removed from libxl in 2025, reference §2.1, §4.5): dm-version or
  // the command/parameter/logdirty protocol only it speaks. Checked first because the
  // classic ioemu stub domain also ran qemu-traditional.
  if (domain.dmVersion === "qemu_xen_traditional" || tradKeys.length > 0) {
    if (domain.dmVersion === "qemu_xen_traditional") evidence.push("/libxl/<g>/dm-version = qemu_xen_traditional");
    if (tradKeys.length > 0) evidence.push(`qemu-traditional protocol keys present: ${tradKeys.sort().join(", ")}`);
    if (domain.dmDomid !== null && domain.dmDomid !== 0) evidence.push(`runs in stub domain ${domain.dmDomid}`);
    return { kind: "qemu-xen-traditional", evidence };
  }

  if (domain.dmDomid !== null && domain.dmDomid !== 0) {
    evidence.push(`device model runs in stub domain ${domain.dmDomid} (dmDomid ≠ 0)`);
    const stubKey = keys.find((k) => k === `/local/domain/${domain.domid}/image/device-model-domid`);
    if (stubKey) evidence.push(`${stubKey} = ${domain.keys[stubKey]}`);
    if (domain.dmVersion) evidence.push(`dm-version = ${domain.dmVersion}`);
    return { kind: "qemu-xen-stubdom", evidence };
  }

  if (dmKeys.length > 0) evidence.push(`${dmKeys.length} key(s) under device-model/${domain.domid}`);
  if (backendKeys.length > 0) {
    const types = [...new Set(backendKeys.map((k) => k.split("/")[5]))].sort();
    evidence.push(`PV backends served by QEMU: ${types.join(", ")}`);
  }
  if (pidKey) evidence.push(`image/device-model-pid = ${domain.keys[pidKey]}`);
  if (domain.process) evidence.push(`process ${domain.process.pid} found by ${domain.process.foundBy}`);
  if (domain.qmp.status === "ok") evidence.push(`QMP answers on ${domain.qmp.socket}`);
  // dm-version alone is not a QEMU: libxl may record it for guests that never started one.
  const isPv = domain.guestType === "pv" || domain.guestType === "pvh";
  if (evidence.length === 0) {
    evidence.push(
      isPv
        ? `${domain.guestType} guest without device-model keys, QEMU-served backend, device-model pid or QMP`
        : "no device-model keys, QEMU-served backend, device-model pid or QMP",
    );
    return { kind: "none", evidence };
  }
  if (domain.dmVersion) evidence.push(`dm-version = ${domain.dmVersion}`);
  evidence.unshift(isPv ? "QEMU in dom0 serving PV backends" : "upstream QEMU (qemu-xen) in dom0");
  return { kind: "qemu-xen-dom0", evidence };
}
export { qmpSummary, XEN_QMP_COMMANDS, type QmpSummary, type QmpNote } from "./qmp-summary";
