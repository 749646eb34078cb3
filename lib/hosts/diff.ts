/**
 * Changes between two good reads of one host, as VmEvents. Pure.
 */
import type { HostAnalysis, VmAnalysis } from "@/lib/devmodel/analysis";
import type { VmEventInput } from "./types";

const label = (vm: VmAnalysis) => (vm.name ? `${vm.name} (domid ${vm.domid})` : `domid ${vm.domid}`);

/**
 * Events for every VM that started, stopped, gained or lost a dependency (any matched
 * rule of severity blocker), changed depriv verdict or QMP reachability. No events for a
 * first read (nothing to compare with) or when either read failed (a dead xenstored is
 * not every VM stopping). dom0 never starts or stops.
 */
export function diffAnalyses(prev: HostAnalysis | null, next: HostAnalysis | null): VmEventInput[] {
  if (!prev || !next || !prev.xenstoreOk || !next.xenstoreOk) return [];
  const out: VmEventInput[] = [];
  const before = new Map(prev.vms.map((v) => [v.domid, v]));
  const after = new Map(next.vms.map((v) => [v.domid, v]));
  for (const [domid, vm] of after) {
    const old = before.get(domid);
    if (!old || (old.name !== vm.name && old.name !== null && vm.name !== null)) {
      // A domid reused by a new guest is a stop and a start.
      if (old) out.push({ domid, kind: "vm-stopped", detail: `${label(old)} stopped` });
      if (domid !== 0) out.push({ domid, kind: "vm-started", detail: `${label(vm)} started (${vm.deviceModel.kind}, depriv ${vm.depriv.verdict})` });
      continue;
    }
    const oldDeps = new Set(old.dependencies.filter((d) => d.severity === "blocker").map((d) => d.ruleId));
    const newDeps = new Set(vm.dependencies.filter((d) => d.severity === "blocker").map((d) => d.ruleId));
    for (const d of vm.dependencies) {
      if (d.severity === "blocker" && !oldDeps.has(d.ruleId))
        out.push({ domid, kind: "dependency-appeared", detail: `${d.ruleId}: ${d.dependency} (${d.keys.length} key${d.keys.length === 1 ? "" : "s"})` });
    }
    for (const d of old.dependencies) {
      if (d.severity === "blocker" && !newDeps.has(d.ruleId)) out.push({ domid, kind: "dependency-gone", detail: `${d.ruleId}: ${d.dependency}` });
    }
    if (old.depriv.verdict !== vm.depriv.verdict)
      out.push({
        domid,
        kind: "depriv-changed",
        detail: `depriv ${old.depriv.verdict} → ${vm.depriv.verdict}${vm.depriv.reason ? `: ${vm.depriv.reason}` : ""}`,
      });
    if (old.qmp.status !== vm.qmp.status)
      out.push({ domid, kind: "qmp-changed", detail: `QMP ${old.qmp.status} → ${vm.qmp.status}${vm.qmp.error ? `: ${vm.qmp.error}` : ""}` });
  }
  for (const [domid, vm] of before) {
    if (!after.has(domid) && domid !== 0) out.push({ domid, kind: "vm-stopped", detail: `${label(vm)} stopped` });
  }
  return out;
}

/** Domids whose analysis differs between two reads (cheap fields only): for the live stream. */
export function changedDomids(prev: HostAnalysis | null, next: HostAnalysis | null): number[] {
  if (!prev || !next) return [];
  const before = new Map(prev.vms.map((v) => [v.domid, v]));
  const out = new Set<number>();
  for (const vm of next.vms) {
    const o = before.get(vm.domid);
    if (
      !o ||
      o.keyCount !== vm.keyCount ||
      o.dependencyCount !== vm.dependencyCount ||
      o.unclassifiedCount !== vm.unclassifiedCount ||
      o.depriv.verdict !== vm.depriv.verdict ||
      o.qmp.status !== vm.qmp.status ||
      o.qmp.runState !== vm.qmp.runState ||
      o.name !== vm.name
    )
      out.add(vm.domid);
    before.delete(vm.domid);
  }
  for (const d of before.keys()) out.add(d);
  return [...out].sort((a, b) => a - b);
}
