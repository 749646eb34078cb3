import { describe, expect, it } from "vitest";
import { assessDepriv, explainProcErrors, type DeprivReport } from "@/lib/devmodel/analysis";
import { deprivGuest, noProcessGuest, partialGuest, privilegedGuest, proc, pvNoQemu, stubdomGuest, tradGuest } from "./fixtures";

const verdicts = (r: DeprivReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]));

describe("assessDepriv", () => {
  it("fully deprivileged qemu-xen with the range-base uid", () => {
    const r = assessDepriv(deprivGuest(5));
    expect(r.verdict).toBe("deprivileged");
    expect(r.missing).toEqual([]);
    expect(r.uidMode).toBe("range-base");
    expect(verdicts(r)).toEqual({ "domid-restrict": "pass", "non-root-uid": "pass", chroot: "pass", namespaces: "pass", rlimits: "pass", "kill-uid": "pass" });
    expect(r.checks.find((c) => c.id === "non-root-uid")?.evidence).toMatch(/range-base uid 131072 \+ domid 5/);
    expect(r.checks.find((c) => c.id === "chroot")?.evidence).toMatch(/qemu-root-5/);
  });

  it("root QEMU without restrictions is privileged", () => {
    const r = assessDepriv(privilegedGuest(6));
    expect(r.verdict).toBe("privileged");
    expect(r.missing).toEqual(["domid-restrict", "non-root-uid", "chroot", "namespaces", "rlimits", "kill-uid"]);
    expect(r.checks.find((c) => c.id === "rlimits")?.evidence).toMatch(/Max file size unlimited\/unlimited/);
    expect(assessDepriv(tradGuest(7)).verdict).toBe("privileged");
  });

  it("uid switched and restricted but no chroot: partial, chroot missing", () => {
    const r = assessDepriv(partialGuest(14));
    expect(r.verdict).toBe("partial");
    expect(r.missing).toEqual(["chroot", "namespaces", "rlimits"]);
    expect(r.reason).toBe("missing chroot, namespaces, rlimits");
    expect(r.checks.find((c) => c.id === "non-root-uid")?.evidence).toMatch(/user 131086:131072 on the command line/);
  });

  it("process facts missing: unknown with the reason", () => {
    const r = assessDepriv(noProcessGuest(13));
    expect(r.verdict).toBe("unknown");
    expect(r.reason).toBe("device-model process facts missing: denied: no permission to read /proc/4013 (run the collector as root)");
    expect(verdicts(r)["domid-restrict"]).toBe("unknown");
    // decidable from XenStore alone
    expect(verdicts(r)["kill-uid"]).toBe("fail");
    const noErr = { ...noProcessGuest(13), processError: null };
    expect(assessDepriv(noErr).reason).toMatch(/no process found/);
  });

  it("unreadable /proc entries: unknown, saying what could not be read", () => {
    const d = deprivGuest(5);
    d.process = proc(5, { root: null, errors: ["root: EACCES"] });
    const r = assessDepriv(d);
    expect(r.verdict).toBe("unknown");
    expect(r.reason).toBe("could not check chroot: no permission to read /proc/4005/root");
    expect(verdicts(r).chroot).toBe("unknown");
  });

  it("unreadable root without a chroot flag is a fail, since libxl only chroots via the flag", () => {
    const d = partialGuest(14);
    d.process = { ...d.process!, root: null, errors: ["root: EACCES"] };
    const r = assessDepriv(d);
    expect(verdicts(r).chroot).toBe("fail");
    expect(r.verdict).toBe("partial");
  });

  it("chroot flag given but root still / fails", () => {
    const d = deprivGuest(5);
    d.process = proc(5, { root: "/" });
    const r = assessDepriv(d);
    expect(r.verdict).toBe("partial");
    expect(r.missing).toEqual(["chroot"]);
  });

  it("accepts -run-with chroot=, and tells shared from per-domain uids", () => {
    const d = deprivGuest(5);
    d.process = proc(5, {
      cmdline: ["qemu", "-xen-domid", "5", "-xen-domid-restrict", "-run-with", "chroot=/run/xen/qemu-root-5,user=xen-qemuuser-shared"],
      root: "/run/xen/qemu-root-5",
      uid: { real: 998, effective: 998, saved: 998, fs: 998 },
    });
    delete d.keys["/local/domain/5/image/device-model-kill-uid"];
    const r = assessDepriv(d);
    expect(r.uidMode).toBe("shared-or-custom");
    expect(verdicts(r)).toMatchObject({ chroot: "pass", "non-root-uid": "pass", "kill-uid": "fail" });
    expect(r.checks.find((c) => c.id === "chroot")?.evidence).toMatch(/chroot \/run\/xen\/qemu-root-5 on the command line/);
    expect(r.verdict).toBe("partial");
    expect(r.missing).toEqual(["kill-uid"]);

    d.keys["/local/domain/5/image/device-model-kill-uid"] = "998";
    expect(assessDepriv(d).uidMode).toBe("per-domain");
  });

  it("a saved uid of 0 is still root", () => {
    const d = deprivGuest(5);
    d.process = proc(5, { uid: { real: 131077, effective: 131077, saved: 0, fs: 131077 } });
    const r = assessDepriv(d);
    expect(r.missing).toEqual(["non-root-uid"]);
  });

  it("looser rlimits fail; missing rlimit lines are unknown", () => {
    const d = deprivGuest(5);
    d.process = proc(5, { limits: { ...proc(5).limits!, "Max file size": { soft: 262144, hard: 1048576, unit: "bytes" } } });
    expect(assessDepriv(d).missing).toEqual(["rlimits"]);
    const { ["Max file locks"]: _, ...rest } = proc(5).limits!;
    d.process = proc(5, { limits: rest });
    const r = assessDepriv(d);
    expect(verdicts(r).rlimits).toBe("unknown");
    expect(r.verdict).toBe("unknown");
  });

  it("stub domains are deprivileged by construction; guests without QEMU are n/a", () => {
    const s = assessDepriv(stubdomGuest(8, 9));
    expect(s.verdict).toBe("deprivileged");
    expect(s.reason).toMatch(/stub domain 9/);
    expect(s.checks.every((c) => c.verdict === "n/a")).toBe(true);
    const n = assessDepriv(pvNoQemu(11));
    expect(n.verdict).toBe("n/a");
    expect(n.checks.every((c) => c.verdict === "n/a")).toBe(true);
  });
});

describe("explainProcErrors", () => {
  it("turns adapter error labels into sentences", () => {
    expect(explainProcErrors(proc(5, { errors: ["root: EACCES", "init ns/mnt: EPERM", "cmdline: ENOENT", "limits: unparsable", "odd"] }))).toEqual([
      "no permission to read /proc/4005/root",
      "no permission to read /proc/1/ns/mnt",
      "/proc/4005/cmdline is gone (process exited?)",
      "could not read /proc/4005/limits: unparsable",
      "odd",
    ]);
  });
});
