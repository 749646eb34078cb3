import { describe, expect, it } from "vitest";
import { classifyDeviceModel, qmpSummary } from "@/lib/devmodel/analysis";
import { deprivGuest, domain, privilegedGuest, pvNoQemu, pvQemuBackends, qmpOk, QMP_ABSENT, stubdomGuest, stubdomItself, tradGuest } from "./fixtures";

describe("classifyDeviceModel", () => {
  it("qemu-xen in dom0", () => {
    const r = classifyDeviceModel(deprivGuest(5));
    expect(r.kind).toBe("qemu-xen-dom0");
    expect(r.evidence[0]).toBe("upstream QEMU (qemu-xen) in dom0");
    expect(r.evidence).toContain("image/device-model-pid = 4005");
    expect(classifyDeviceModel(privilegedGuest(6)).kind).toBe("qemu-xen-dom0");
  });

  it("qemu-xen-traditional from dm-version or from its protocol keys", () => {
    expect(classifyDeviceModel(tradGuest(7)).kind).toBe("qemu-xen-traditional");
    const byKeys = tradGuest(7);
    byKeys.dmVersion = null;
    const r = classifyDeviceModel(byKeys);
    expect(r.kind).toBe("qemu-xen-traditional");
    expect(r.evidence.join(" ")).toMatch(/device-model\/7\/command/);
    const byVersion = domain(3, { dmVersion: "qemu_xen_traditional" });
    expect(classifyDeviceModel(byVersion).kind).toBe("qemu-xen-traditional");
  });

  it("stub domain when dmDomid ≠ 0", () => {
    const r = classifyDeviceModel(stubdomGuest(8, 9));
    expect(r.kind).toBe("qemu-xen-stubdom");
    expect(r.evidence[0]).toMatch(/stub domain 9/);
    expect(r.evidence).toContain("/local/domain/8/image/device-model-domid = 9");
  });

  it("PV guest with QEMU-served backends has a device model in dom0", () => {
    const r = classifyDeviceModel(pvQemuBackends(10));
    expect(r.kind).toBe("qemu-xen-dom0");
    expect(r.evidence).toContain("PV backends served by QEMU: qdisk, vkbd");
  });

  it("none for a PV guest without QEMU, or a guest without any device-model evidence", () => {
    expect(classifyDeviceModel(pvNoQemu(11)).kind).toBe("none");
    expect(classifyDeviceModel(stubdomItself(9)).kind).toBe("none");
    // dm-version alone is not a QEMU
    expect(classifyDeviceModel(domain(4, { dmVersion: "qemu_xen" })).kind).toBe("none");
    // a QMP that answers is
    expect(classifyDeviceModel(domain(4, { qmp: qmpOk() })).kind).toBe("qemu-xen-dom0");
  });

  it("another guest's device-model keys are not evidence", () => {
    const d = domain(4, { keys: { "/local/domain/0/device-model/40/state": "running" } });
    expect(classifyDeviceModel(d).kind).toBe("none");
  });
});

describe("qmpSummary", () => {
  it("summarizes a reachable QEMU with its Xen commands and facts", () => {
    const s = qmpSummary(qmpOk());
    expect(s).toMatchObject({ reachable: true, version: "8.2.0 (Debian 1:8.2+dfsg-1)", runState: "running", running: true });
    expect(s.xenCommands).toEqual(["xen-save-devices-state", "xen-load-devices-state", "xen-set-global-dirty-log"]);
    const ids = s.notes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(["log-dirty-qmp", "startup-qmp", "save-by-fd", "cd-insert-fd", "hotplug-qmp"]));
    expect(s.notes.find((n) => n.id === "log-dirty-qmp")?.topic).toBe("log-dirty");
    expect(ids).not.toContain("no-xen-save");
  });

  it("notes what is missing or unusual", () => {
    const s = qmpSummary(qmpOk({ commands: ["query-status", "xen-event-list", "xen-set-replication"], runState: "prelaunch", running: false }));
    expect(s.xenCommands).toEqual(["xen-set-replication", "xen-event-list"]);
    const ids = s.notes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(["no-xen-save", "xen-on-kvm", "colo", "prelaunch"]));
    expect(ids).not.toContain("log-dirty-qmp");
  });

  it("unreachable QMP carries the error", () => {
    expect(qmpSummary({ status: "timeout", socket: "/var/run/xen/qmp-libxl-5", error: "no answer in 2000 ms" })).toEqual({
      reachable: false,
      status: "timeout",
      error: "no answer in 2000 ms",
      version: null,
      runState: null,
      running: null,
      xenCommands: [],
      commandCount: 0,
      notes: [],
    });
    expect(qmpSummary(QMP_ABSENT).reachable).toBe(false);
  });
});
