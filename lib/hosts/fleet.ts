/**
 * The fleet as pages and the read API see it: rows across hosts from the collector's
 * in-memory state, filtered, sorted and paginated. Never touches a socket.
 */
import { z } from "zod";
import { parseQueryLenient, type RawQuery } from "@/lib/api/query";
import { emptyToUndefined } from "@/lib/forms/fields";
import type { DeprivVerdict, DeviceModelKind, VmAnalysis } from "@/lib/devmodel/analysis";
import type { HostState, HostStatus } from "./types";

export interface VmRow {
  hostId: string;
  hostName: string;
  hostStatus: HostStatus;
  domid: number;
  name: string | null;
  role: VmAnalysis["role"];
  guestType: string | null;
  deviceModel: DeviceModelKind;
  qmpStatus: VmAnalysis["qmp"]["status"];
  qmpVersion: string | null;
  runState: string | null;
  verdict: DeprivVerdict;
  missing: string[];
  dependencyCount: number;
  unclassifiedCount: number;
  /** Rule ids of the blocker dependencies present. */
  dependencies: string[];
  /** Topics of those dependencies. */
  topics: string[];
}

export const SORT_KEYS = ["host", "domid", "name", "deviceModel", "qmp", "verdict", "dependencies", "unclassified"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const opt = <T extends z.ZodType>(s: T) => z.preprocess(emptyToUndefined, s.optional());

export const vmQuerySchema = z.object({
  host: opt(z.string().max(200)),
  verdict: opt(z.enum(["deprivileged", "partial", "privileged", "unknown", "n/a"])),
  dm: opt(z.enum(["qemu-xen-dom0", "qemu-xen-stubdom", "qemu-xen-traditional", "none"])),
  dep: opt(z.string().max(64)),
  /** VMs with a blocker dependency in this topic. */
  topic: opt(z.string().max(64)),
  qmp: opt(z.enum(["ok", "timeout", "unreachable", "protocol", "absent", "error"])),
  q: opt(z.string().max(200)),
  /** "guests" (default): VMs only; "all": dom0 and stub domains too. */
  role: opt(z.enum(["guests", "all"])),
  sort: opt(z.enum(SORT_KEYS)),
  dir: opt(z.enum(["asc", "desc"])),
  page: opt(z.coerce.number().int().min(1).max(100_000)),
  pageSize: opt(z.coerce.number().int().min(1).max(500)),
});
export type VmQuery = z.output<typeof vmQuerySchema>;

/** The VMs page's query, parsed as every page parses one: an invalid field is dropped (lib/api/query). */
export function parseVmQuery(input: URLSearchParams | Record<string, string | string[] | undefined> | RawQuery): VmQuery {
  const { value } = parseQueryLenient(vmQuerySchema, input);
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as VmQuery;
}

const rowCache = new WeakMap<object, VmRow[]>();

function rowsOf(s: HostState): VmRow[] {
  const a = s.analysis;
  if (!a) return [];
  const cached = rowCache.get(a);
  const rows =
    cached ??
    a.vms.map((v) => ({
      hostId: s.host.id,
      hostName: s.host.name,
      hostStatus: s.status,
      domid: v.domid,
      name: v.name,
      role: v.role,
      guestType: v.guestType,
      deviceModel: v.deviceModel.kind,
      qmpStatus: v.qmp.status,
      qmpVersion: v.qmp.version,
      runState: v.qmp.runState,
      verdict: v.depriv.verdict,
      missing: v.depriv.missing,
      dependencyCount: v.dependencyCount,
      unclassifiedCount: v.unclassifiedCount,
      dependencies: v.dependencies.filter((d) => d.severity === "blocker").map((d) => d.ruleId),
      topics: [...new Set(v.dependencies.filter((d) => d.severity === "blocker").map((d) => d.topic))],
    }));
  if (!cached) rowCache.set(a, rows);
  // Host name and status change without a new analysis: patch them on the way out.
  if (rows.length && (rows[0].hostStatus !== s.status || rows[0].hostName !== s.host.name))
    return rows.map((r) => ({ ...r, hostStatus: s.status, hostName: s.host.name }));
  return rows;
}

const VERDICT_ORDER: Record<DeprivVerdict, number> = { privileged: 0, partial: 1, unknown: 2, deprivileged: 3, "n/a": 4 };

function compare(key: SortKey): (a: VmRow, b: VmRow) => number {
  const str = (x: string | null, y: string | null) => (x ?? "").localeCompare(y ?? "");
  switch (key) {
    case "host":
      return (a, b) => str(a.hostName, b.hostName) || a.domid - b.domid;
    case "domid":
      return (a, b) => a.domid - b.domid || str(a.hostName, b.hostName);
    case "name":
      return (a, b) => str(a.name, b.name) || a.domid - b.domid;
    case "deviceModel":
      return (a, b) => str(a.deviceModel, b.deviceModel) || a.domid - b.domid;
    case "qmp":
      return (a, b) => str(a.qmpStatus, b.qmpStatus) || a.domid - b.domid;
    case "verdict":
      return (a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.domid - b.domid;
    case "dependencies":
      return (a, b) => a.dependencyCount - b.dependencyCount || a.domid - b.domid;
    case "unclassified":
      return (a, b) => a.unclassifiedCount - b.unclassifiedCount || a.domid - b.domid;
  }
}

export interface VmPage {
  rows: VmRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  query: VmQuery;
  /** Counts over the whole fleet (before filtering) for the filter controls. */
  facets: { hosts: { id: string; name: string; count: number }[]; dependencies: { ruleId: string; count: number }[] };
}

export function listVms(states: readonly HostState[], query: VmQuery = {}): VmPage {
  const pageSize = query.pageSize ?? 50;
  const all = states.flatMap(rowsOf);
  const q = query.q?.trim().toLowerCase();
  const guestsOnly = (query.role ?? "guests") === "guests";
  const depCounts = new Map<string, number>();
  for (const r of all) if (r.role === "guest") for (const d of r.dependencies) depCounts.set(d, (depCounts.get(d) ?? 0) + 1);
  const filtered = all.filter(
    (r) =>
      (!guestsOnly || r.role === "guest") &&
      (!query.host || r.hostId === query.host || r.hostName === query.host) &&
      (!query.verdict || r.verdict === query.verdict) &&
      (!query.dm || r.deviceModel === query.dm) &&
      (!query.qmp || r.qmpStatus === query.qmp) &&
      (!query.topic || r.topics.includes(query.topic)) &&
      (!query.dep || (query.dep === "any" ? r.dependencyCount > 0 : query.dep === "none" ? r.dependencyCount === 0 : r.dependencies.includes(query.dep))) &&
      (!q || (r.name ?? "").toLowerCase().includes(q) || String(r.domid) === q || r.hostName.toLowerCase().includes(q)),
  );
  const cmp = compare(query.sort ?? "host");
  filtered.sort(query.dir === "desc" ? (a, b) => cmp(b, a) : cmp);
  const pageCount = Math.max(1, Math.ceil(filtered.length / pageSize));
  const page = Math.min(query.page ?? 1, pageCount);
  return {
    rows: filtered.slice((page - 1) * pageSize, page * pageSize),
    total: filtered.length,
    page,
    pageSize,
    pageCount,
    query,
    facets: {
      hosts: states.map((s) => ({ id: s.host.id, name: s.host.name, count: s.analysis?.summary.vmCount ?? 0 })),
      dependencies: [...depCounts.entries()]
        .map(([ruleId, count]) => ({ ruleId, count }))
        .sort((a, b) => b.count - a.count || a.ruleId.localeCompare(b.ruleId)),
    },
  };
}

/** Find a host by id or name. */
export function findHost(states: readonly HostState[], key: string): HostState | undefined {
  return states.find((s) => s.host.id === key) ?? states.find((s) => s.host.name === key);
}

/** Fleet-wide summary over every host's latest analysis. */
export interface FleetOverview {
  vmCount: number;
  withDeviceModel: number;
  deprivileged: number;
  deprivilegedShare: number | null;
  verdicts: Record<DeprivVerdict, number>;
  blockers: { ruleId: string; dependency: string; topic: string; vmCount: number; vms: { hostId: string; hostName: string; domid: number }[] }[];
  unclassified: { pattern: string; vmCount: number; vms: { hostId: string; hostName: string; domid: number }[] }[];
  topicUse: Record<string, number>;
  hosts: { id: string; name: string; status: HostStatus; lastGoodAt: string | null; error: string | null }[];
}

export function fleetOverview(states: readonly HostState[]): FleetOverview {
  const verdicts: Record<DeprivVerdict, number> = { deprivileged: 0, partial: 0, privileged: 0, unknown: 0, "n/a": 0 };
  const blockers = new Map<string, FleetOverview["blockers"][number]>();
  const unclassified = new Map<string, FleetOverview["unclassified"][number]>();
  const topicUse: Record<string, number> = {};
  let vmCount = 0;
  let withDeviceModel = 0;
  let deprivileged = 0;
  for (const s of states) {
    const a = s.analysis;
    if (!a) continue;
    const sum = a.summary;
    vmCount += sum.vmCount;
    withDeviceModel += sum.withDeviceModel;
    deprivileged += sum.deprivileged;
    for (const [k, n] of Object.entries(sum.deprivVerdicts)) verdicts[k as DeprivVerdict] += n;
    for (const [t, n] of Object.entries(sum.topics)) topicUse[t] = (topicUse[t] ?? 0) + (n ?? 0);
    for (const b of sum.blockers) {
      const e = blockers.get(b.ruleId) ?? { ruleId: b.ruleId, dependency: b.dependency, topic: b.topic, vmCount: 0, vms: [] };
      e.vmCount += b.vmCount;
      for (const d of b.domids) e.vms.push({ hostId: s.host.id, hostName: s.host.name, domid: d });
      blockers.set(b.ruleId, e);
    }
    for (const u of sum.unclassified) {
      const e = unclassified.get(u.pattern) ?? { pattern: u.pattern, vmCount: 0, vms: [] };
      e.vmCount += u.vmCount;
      for (const d of u.domids) e.vms.push({ hostId: s.host.id, hostName: s.host.name, domid: d });
      unclassified.set(u.pattern, e);
    }
  }
  const rank = <T extends { vmCount: number }>(a: T, b: T, x: string, y: string) => b.vmCount - a.vmCount || x.localeCompare(y);
  return {
    vmCount,
    withDeviceModel,
    deprivileged,
    deprivilegedShare: withDeviceModel ? deprivileged / withDeviceModel : null,
    verdicts,
    blockers: [...blockers.values()].sort((a, b) => rank(a, b, a.ruleId, b.ruleId)),
    unclassified: [...unclassified.values()].sort((a, b) => rank(a, b, a.pattern, b.pattern)),
    topicUse,
    hosts: states.map((s) => ({ id: s.host.id, name: s.host.name, status: s.status, lastGoodAt: s.lastGoodAt, error: s.error })),
  };
}

/** A VM with everything its page shows from memory. */
export function vmDetail(states: readonly HostState[], hostKey: string, domid: number) {
  const s = findHost(states, hostKey);
  if (!s?.analysis || !s.snapshot) return null;
  const vm = s.analysis.vms.find((v) => v.domid === domid);
  const dom = s.snapshot.domains.find((d) => d.domid === domid);
  if (!vm || !dom) return null;
  return { host: s, vm, domain: dom };
}
