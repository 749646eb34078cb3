/**
 * Per-VM analysis and the fleet summary over one host snapshot. Pure and synchronous;
 * every result is plain JSON.
 */
import type { DomainSnapshot, HostSnapshot } from "../types";
import { classifyKeys, type XsDependency } from "./classify";
import { classifyDeviceModel, type DeviceModelKind } from "./device-model";
import { assessDepriv, type DeprivReport, type DeprivVerdict } from "./depriv";
import { qmpSummary, type QmpSummary } from "./qmp-summary";
import { compileRules, DEFAULT_XS_RULES, type CompiledRules, type XsRule } from "./rules";
import type { TopicSlug } from "./topics";

export type DomainRole = "dom0" | "stubdom" | "guest";

export interface VmAnalysis {
  domid: number;
  name: string | null;
  guestType: string | null;
  /** dom0 and stub domains serving another guest are listed but not counted as VMs. */
  role: DomainRole;
  deviceModel: { kind: DeviceModelKind; evidence: string[]; dmDomid: number | null; dmVersion: string | null };
  qmp: QmpSummary;
  /** One entry per matching rule, in rule order. */
  dependencies: XsDependency[];
  unclassified: string[];
  keyRules: Record<string, string | null>;
  /** Unmatched directory nodes whose descendants carry the classification. */
  directories: string[];
  depriv: DeprivReport;
  keyCount: number;
  /** Dependencies (matched rules) of severity "blocker". */
  dependencyCount: number;
  /** Matched rules of severity "info" (PV part, toolstack bookkeeping). */
  infoCount: number;
  unclassifiedCount: number;
  /** Cross-source observations, e.g. reference §4.6 item 8. */
  notes: string[];
}

export interface BlockerSummary {
  ruleId: string;
  dependency: string;
  topic: TopicSlug;
  vmCount: number;
  domids: number[];
}

export interface UnclassifiedGroup {
  /** The key with domid segments replaced by <g> / <dm>. */
  pattern: string;
  vmCount: number;
  domids: number[];
}

export interface FleetSummary {
  /** Domains that are VMs: not dom0, not a stub domain serving another guest. */
  vmCount: number;
  stubdomCount: number;
  withDeviceModel: number;
  /** VMs with a device model whose depriv verdict is "deprivileged" (VMs with a stub-domain device model included). */
  deprivileged: number;
  /** deprivileged / withDeviceModel, 0..1; null when no VM has a device model. */
  deprivilegedShare: number | null;
  deprivVerdicts: Record<DeprivVerdict, number>;
  kinds: Record<DeviceModelKind, number>;
  /** Blocker rules ranked by the number of VMs they affect (then rule id). */
  blockers: BlockerSummary[];
  /** VMs with at least one blocker, per topic. */
  topics: Partial<Record<TopicSlug, number>>;
  /** Unclassified keys grouped by pattern, ranked by VM count (then pattern). */
  unclassified: UnclassifiedGroup[];
}

export interface HostAnalysis {
  takenAt: string;
  xenstoreOk: boolean;
  ruleCount: number;
  vms: VmAnalysis[];
  summary: FleetSummary;
}

function notesFor(domain: DomainSnapshot, qmp: QmpSummary, keyRules: Record<string, string | null>, kind: DeviceModelKind): string[] {
  const notes: string[] = [];
  const hasState = Object.values(keyRules).includes("dm-state");
  if ((kind === "qemu-xen-dom0" || kind === "qemu-xen-stubdom") && !hasState && qmp.runState === "running")
    notes.push("device-model state key absent while QMP reports running: consistent with -xen-domid-restrict or a -S start (reference §4.6 item 8)");
  if (kind !== "none" && kind !== "qemu-xen-stubdom" && domain.process === null && domain.processError)
    notes.push(`process: ${domain.processError.kind}: ${domain.processError.message}`);
  return notes;
}

export function analyzeDomain(domain: DomainSnapshot, compiledRules: CompiledRules, role: DomainRole = domain.domid === 0 ? "dom0" : "guest"): VmAnalysis {
  const dm = classifyDeviceModel(domain);
  const cls = classifyKeys(domain, compiledRules);
  const qmp = qmpSummary(domain.qmp);
  const depriv = assessDepriv(domain, dm.kind);
  return {
    domid: domain.domid,
    name: domain.name,
    guestType: domain.guestType,
    role,
    deviceModel: { kind: dm.kind, evidence: dm.evidence, dmDomid: domain.dmDomid, dmVersion: domain.dmVersion },
    qmp,
    dependencies: cls.dependencies,
    unclassified: cls.unclassified,
    keyRules: cls.keyRules,
    directories: cls.directories,
    depriv,
    keyCount: Object.keys(domain.keys ?? {}).length,
    dependencyCount: cls.dependencies.filter((d) => d.severity === "blocker").length,
    infoCount: cls.dependencies.filter((d) => d.severity === "info").length,
    unclassifiedCount: cls.unclassified.length,
    notes: notesFor(domain, qmp, cls.keyRules, dm.kind),
  };
}

/**
 * Replace the domid segments of a key by <g> / <dm> so the same key on different VMs
 * groups together: /local/domain/<id>/…, /libxl/<id>/…, device-model/<id>,
 * backend/<type>/<id>, libxl/<id> under a domain.
 */
export function keyPattern(key: string, domid: number, dmDomid: number | null): string {
  const segs = key.split("/");
  const g = String(domid);
  const dm = dmDomid === null ? null : String(dmDomid);
  const name = (s: string) => (s === g ? "<g>" : s === dm ? "<dm>" : s);
  const out = [...segs];
  if (segs[0] === "" && segs[1] === "local" && segs[2] === "domain" && segs.length > 3) {
    out[3] = name(segs[3]);
    if ((segs[4] === "device-model" || segs[4] === "libxl") && segs.length > 5) out[5] = name(segs[5]);
    if (segs[4] === "backend" && segs.length > 6) out[6] = name(segs[6]);
  }
  if (segs[0] === "" && segs[1] === "libxl" && segs.length > 2) out[2] = name(segs[2]);
  return out.join("/");
}

function zeroRecord<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

const KINDS: DeviceModelKind[] = ["qemu-xen-dom0", "qemu-xen-stubdom", "qemu-xen-traditional", "none"];
const VERDICTS: DeprivVerdict[] = ["deprivileged", "partial", "privileged", "unknown", "n/a"];

export function summarizeFleet(vms: readonly VmAnalysis[]): FleetSummary {
  const fleet = vms.filter((v) => v.role === "guest");
  const kinds = zeroRecord(KINDS);
  const deprivVerdicts = zeroRecord(VERDICTS);
  const blockers = new Map<string, BlockerSummary>();
  const topics: Partial<Record<TopicSlug, number>> = {};
  const unclassified = new Map<string, UnclassifiedGroup>();

  for (const vm of fleet) {
    kinds[vm.deviceModel.kind]++;
    if (vm.deviceModel.kind !== "none") deprivVerdicts[vm.depriv.verdict]++;
    const vmTopics = new Set<TopicSlug>();
    for (const dep of vm.dependencies) {
      if (dep.severity !== "blocker") continue;
      vmTopics.add(dep.topic);
      const b = blockers.get(dep.ruleId) ?? { ruleId: dep.ruleId, dependency: dep.dependency, topic: dep.topic, vmCount: 0, domids: [] };
      b.vmCount++;
      b.domids.push(vm.domid);
      blockers.set(dep.ruleId, b);
    }
    for (const t of vmTopics) topics[t] = (topics[t] ?? 0) + 1;
    const dmDomid = vm.deviceModel.dmDomid;
    const seen = new Set<string>();
    for (const key of vm.unclassified) {
      const pattern = keyPattern(key, vm.domid, dmDomid);
      if (seen.has(pattern)) continue;
      seen.add(pattern);
      const u = unclassified.get(pattern) ?? { pattern, vmCount: 0, domids: [] };
      u.vmCount++;
      u.domids.push(vm.domid);
      unclassified.set(pattern, u);
    }
  }

  const withDeviceModel = fleet.filter((v) => v.deviceModel.kind !== "none").length;
  const deprivileged = deprivVerdicts.deprivileged;
  const rank = <T extends { vmCount: number }>(a: T, b: T, ka: string, kb: string) => b.vmCount - a.vmCount || (ka < kb ? -1 : ka > kb ? 1 : 0);
  return {
    vmCount: fleet.length,
    stubdomCount: vms.filter((v) => v.role === "stubdom").length,
    withDeviceModel,
    deprivileged,
    deprivilegedShare: withDeviceModel === 0 ? null : deprivileged / withDeviceModel,
    deprivVerdicts,
    kinds,
    blockers: [...blockers.values()].sort((a, b) => rank(a, b, a.ruleId, b.ruleId)),
    topics,
    unclassified: [...unclassified.values()].sort((a, b) => rank(a, b, a.pattern, b.pattern)),
  };
}

/** Compiled once per rule set: analyzeHost is called on every snapshot with the same rules. */
const compiledCache = new WeakMap<readonly XsRule[], CompiledRules>();
function compiledFor(rules: readonly XsRule[]): CompiledRules {
  let c = compiledCache.get(rules);
  if (!c) {
    c = compileRules(rules);
    compiledCache.set(rules, c);
  }
  return c;
}

/**
 * Analyze every domain of a snapshot. Accepts raw rules (compiled and cached per array
 * identity) or already compiled rules.
 */
export function analyzeHost(snapshot: HostSnapshot, rules: readonly XsRule[] | CompiledRules = DEFAULT_XS_RULES): HostAnalysis {
  const compiled = "byId" in rules ? rules : compiledFor(rules);
  // A domain another guest's device model runs in is that guest's stub domain, not a VM.
  const stubdoms = new Set<number>();
  for (const d of snapshot.domains) if (d.dmDomid !== null && d.dmDomid !== 0 && d.dmDomid !== d.domid) stubdoms.add(d.dmDomid);
  const vms = snapshot.domains.map((d) => analyzeDomain(d, compiled, d.domid === 0 ? "dom0" : stubdoms.has(d.domid) ? "stubdom" : "guest"));
  return {
    takenAt: snapshot.takenAt,
    xenstoreOk: snapshot.xenstore.ok,
    ruleCount: compiled.rules.length,
    vms,
    summary: summarizeFleet(vms),
  };
}
