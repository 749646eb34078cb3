import { describe, expect, it } from "vitest";
import { analyzeDomain, analyzeHost, benchAnalysis, compileRules, DEFAULT_XS_RULES, keyPattern, type XsRule } from "@/lib/devmodel/analysis";
import {
  deprivGuest,
  dom0,
  host,
  noProcessGuest,
  partialGuest,
  privilegedGuest,
  pvNoQemu,
  pvQemuBackends,
  stubdomGuest,
  stubdomItself,
  tradGuest,
  unknownKeysGuest,
} from "./fixtures";

const rules = compileRules(DEFAULT_XS_RULES);

describe("analyzeDomain", () => {
  it("combines kind, QMP, dependencies and depriv with counts", () => {
    const a = analyzeDomain(privilegedGuest(6), rules);
    expect(a.role).toBe("guest");
    expect(a.deviceModel.kind).toBe("qemu-xen-dom0");
    expect(a.depriv.verdict).toBe("privileged");
    expect(a.qmp.reachable).toBe(true);
    // blockers: dm-state, physmap (control/shutdown is the guest's PV protocol: info)
    expect(a.dependencyCount).toBe(2);
    // info: dm-dir, control-shutdown, control-features, image-dm-pid
    expect(a.infoCount).toBe(4);
    expect(a.unclassifiedCount).toBe(0);
    expect(a.keyCount).toBe(11);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("notes a missing state key while QMP says running (reference §4.6 item 8)", () => {
    const a = analyzeDomain(deprivGuest(5), rules);
    expect(a.dependencyCount).toBe(0);
    expect(a.notes.join(" ")).toMatch(/state key absent while QMP reports running/);
    expect(analyzeDomain(privilegedGuest(6), rules).notes).toEqual([]);
  });

  it("counts unclassified keys", () => {
    const a = analyzeDomain(unknownKeysGuest(12), rules);
    expect(a.unclassifiedCount).toBe(2);
    expect(a.unclassified).toContain("/local/domain/0/device-model/12/mystery");
  });
});

describe("keyPattern", () => {
  it("replaces the domid segments only", () => {
    expect(keyPattern("/local/domain/0/device-model/12/mystery", 12, 0)).toBe("/local/domain/<dm>/device-model/<g>/mystery");
    expect(keyPattern("/local/domain/12/data/0/12", 12, 0)).toBe("/local/domain/<g>/data/0/12");
    expect(keyPattern("/local/domain/0/backend/vbd/12/51712", 12, 0)).toBe("/local/domain/<dm>/backend/vbd/<g>/51712");
    expect(keyPattern("/libxl/12/foo", 12, null)).toBe("/libxl/<g>/foo");
    expect(keyPattern("/local/domain/0/device-model/12/x", 12, null)).toBe("/local/domain/0/device-model/<g>/x");
  });
});

describe("analyzeHost", () => {
  const snapshot = host([
    dom0(),
    deprivGuest(5),
    privilegedGuest(6),
    tradGuest(7),
    stubdomGuest(8, 9),
    stubdomItself(9),
    pvQemuBackends(10),
    pvNoQemu(11),
    unknownKeysGuest(12),
    noProcessGuest(13),
    partialGuest(14),
    unknownKeysGuest(15),
  ]);
  const a = analyzeHost(snapshot);

  it("lists every domain, dom0 and the stub domain with their role", () => {
    expect(a.vms.map((v) => v.domid)).toEqual([0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(a.vms[0].role).toBe("dom0");
    expect(a.vms.find((v) => v.domid === 9)?.role).toBe("stubdom");
    expect(a.ruleCount).toBe(DEFAULT_XS_RULES.length);
  });

  it("fleet summary excludes dom0 and stub domains", () => {
    const s = a.summary;
    expect(s.vmCount).toBe(10);
    expect(s.stubdomCount).toBe(1);
    expect(s.kinds).toEqual({ "qemu-xen-dom0": 7, "qemu-xen-stubdom": 1, "qemu-xen-traditional": 1, none: 1 });
    expect(s.withDeviceModel).toBe(9);
    // deprivileged: 5, 8 (stubdom), 12, 15; partial: 14 and 10 (restricted qdisk QEMU, but no kill-uid key)
    expect(s.deprivileged).toBe(4);
    expect(s.deprivilegedShare).toBeCloseTo(4 / 9);
    expect(s.deprivVerdicts).toEqual({ deprivileged: 4, partial: 2, privileged: 2, unknown: 1, "n/a": 0 });
    expect(a.vms.find((v) => v.domid === 10)?.depriv.missing).toEqual(["kill-uid"]);
  });

  it("ranks blockers by the number of VMs they affect", () => {
    const b = a.summary.blockers.map((x) => [x.ruleId, x.vmCount, x.topic]);
    // dm-state: 6, 7, 8; others 1 each, ties by rule id (control-shutdown is info, not a blocker)
    expect(b).toEqual([
      ["dm-state", 3, "xenstore-removal"],
      ["physmap", 1, "physmap-keys"],
      ["trad-command", 1, "xenstore-removal"],
      ["trad-logdirty", 1, "log-dirty"],
      ["trad-parameter", 1, "emulated-hotplug"],
    ]);
    expect(a.summary.blockers[0].domids).toEqual([6, 7, 8]);
    expect(a.summary.topics).toEqual({ "xenstore-removal": 3, "physmap-keys": 1, "log-dirty": 1, "emulated-hotplug": 1 });
  });

  it("aggregates unclassified keys by pattern across VMs", () => {
    expect(a.summary.unclassified).toEqual([
      { pattern: "/local/domain/<dm>/device-model/<g>/mystery", vmCount: 2, domids: [12, 15] },
      { pattern: "/local/domain/<g>/data/xs-agent-version", vmCount: 2, domids: [12, 15] },
    ]);
  });

  it("accepts custom rules, and a host with no device models has no share", () => {
    const custom: XsRule[] = [
      ...DEFAULT_XS_RULES,
      {
        id: "agent-version",
        pattern: "/local/domain/<g>/data/xs-agent-version",
        dependency: "none",
        topic: "xenstore-removal",
        description: "guest agent",
        severity: "info",
      },
    ];
    const c = analyzeHost(snapshot, custom);
    expect(c.summary.unclassified.map((u) => u.pattern)).toEqual(["/local/domain/<dm>/device-model/<g>/mystery"]);
    const empty = analyzeHost(host([dom0(), pvNoQemu(11)]));
    expect(empty.summary.withDeviceModel).toBe(0);
    expect(empty.summary.deprivilegedShare).toBeNull();
    expect(empty.summary.vmCount).toBe(1);
  });
});

describe("benchAnalysis", () => {
  it("runs over a synthetic fleet and reports sizes", () => {
    const r = benchAnalysis({ vms: 20, keysPerVm: 30 });
    expect(r).toMatchObject({ vms: 20, keys: 600, rules: DEFAULT_XS_RULES.length });
    expect(r.classifyMs).toBeGreaterThanOrEqual(0);
  });
});
