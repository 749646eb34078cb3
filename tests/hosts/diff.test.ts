import { describe, expect, it } from "vitest";
import type { HostAnalysis, VmAnalysis } from "@/lib/devmodel/analysis";
import { changedDomids, diffAnalyses } from "@/lib/hosts/diff";

type Dep = { ruleId: string; severity?: "blocker" | "info" };
function vm(domid: number, o: { name?: string; deps?: Dep[]; verdict?: VmAnalysis["depriv"]["verdict"]; qmp?: VmAnalysis["qmp"]["status"] } = {}): VmAnalysis {
  return {
    domid,
    name: o.name ?? `vm${domid}`,
    role: domid === 0 ? "dom0" : "guest",
    deviceModel: { kind: "qemu-xen-dom0", evidence: [], dmDomid: 0, dmVersion: null },
    qmp: { status: o.qmp ?? "ok", error: null, runState: "running" },
    dependencies: (o.deps ?? []).map((d) => ({
      ruleId: d.ruleId,
      dependency: `dep ${d.ruleId}`,
      topic: "physmap-keys",
      severity: d.severity ?? "blocker",
      keys: [`/k/${d.ruleId}`],
    })),
    depriv: { verdict: o.verdict ?? "privileged", missing: [], uidMode: null, checks: [] },
    keyCount: 3,
    dependencyCount: (o.deps ?? []).filter((d) => d.severity !== "info").length,
    unclassifiedCount: 0,
  } as unknown as VmAnalysis;
}
const host = (vms: VmAnalysis[], ok = true) => ({ takenAt: "", xenstoreOk: ok, ruleCount: 1, vms, summary: {} }) as unknown as HostAnalysis;

describe("diffAnalyses", () => {
  it("nothing on a first read, or when either read failed", () => {
    const a = host([vm(0), vm(1)]);
    expect(diffAnalyses(null, a)).toEqual([]);
    expect(diffAnalyses(a, host([], false))).toEqual([]);
    expect(diffAnalyses(host([], false), a)).toEqual([]);
  });

  it("started and stopped VMs (never dom0)", () => {
    const ev = diffAnalyses(host([vm(0), vm(1), vm(2)]), host([vm(0), vm(2), vm(3, { name: "web-1" })]));
    expect(ev).toEqual([
      { domid: 3, kind: "vm-started", detail: "web-1 (domid 3) started (qemu-xen-dom0, depriv privileged)" },
      { domid: 1, kind: "vm-stopped", detail: "vm1 (domid 1) stopped" },
    ]);
  });

  it("a domid reused by another guest is a stop and a start", () => {
    const ev = diffAnalyses(host([vm(4, { name: "old" })]), host([vm(4, { name: "new" })]));
    expect(ev.map((e) => e.kind)).toEqual(["vm-stopped", "vm-started"]);
  });

  it("blocker dependencies appearing and going; info rules ignored", () => {
    const ev = diffAnalyses(
      host([vm(5, { deps: [{ ruleId: "physmap" }, { ruleId: "dm-backends", severity: "info" }] })]),
      host([vm(5, { deps: [{ ruleId: "dm-state" }, { ruleId: "libxl-guest", severity: "info" }] })]),
    );
    expect(ev).toEqual([
      { domid: 5, kind: "dependency-appeared", detail: "dm-state: dep dm-state (1 key)" },
      { domid: 5, kind: "dependency-gone", detail: "physmap: dep physmap" },
    ]);
  });

  it("depriv verdict and QMP status changes", () => {
    const ev = diffAnalyses(host([vm(6, { verdict: "privileged", qmp: "ok" })]), host([vm(6, { verdict: "deprivileged", qmp: "timeout" })]));
    expect(ev.map((e) => [e.kind, e.detail.split(":")[0]])).toEqual([
      ["depriv-changed", "depriv privileged → deprivileged"],
      ["qmp-changed", "QMP ok → timeout"],
    ]);
  });

  it("identical reads give no events", () => {
    const a = host([vm(0), vm(1, { deps: [{ ruleId: "physmap" }] })]);
    const b = host([vm(0), vm(1, { deps: [{ ruleId: "physmap" }] })]);
    expect(diffAnalyses(a, b)).toEqual([]);
    expect(changedDomids(a, b)).toEqual([]);
  });
});

describe("changedDomids", () => {
  it("lists VMs whose row changed, appeared or vanished", () => {
    const a = host([vm(0), vm(1), vm(2), vm(3)]);
    const b = host([vm(0), vm(1, { verdict: "partial" }), vm(3), vm(4)]);
    expect(changedDomids(a, b)).toEqual([1, 2, 4]);
  });
});
