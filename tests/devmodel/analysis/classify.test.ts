import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyKeys, compileRules, contextFor, DEFAULT_XS_RULES, matchPath } from "@/lib/devmodel/analysis";
import { deprivGuest, domain, privilegedGuest, pvQemuBackends, tradGuest, unknownKeysGuest } from "./fixtures";

const rules = compileRules(DEFAULT_XS_RULES);

describe("classifyKeys", () => {
  it("groups a privileged guest's keys into blockers and info", () => {
    const c = classifyKeys(privilegedGuest(6), rules);
    const byRule = Object.fromEntries(c.dependencies.map((d) => [d.ruleId, d]));
    expect(byRule["dm-state"]).toMatchObject({ severity: "blocker", topic: "xenstore-removal", keys: ["/local/domain/0/device-model/6/state"] });
    expect(byRule["physmap"].keys).toEqual([
      "/local/domain/0/device-model/6/physmap",
      "/local/domain/0/device-model/6/physmap/f0000000",
      "/local/domain/0/device-model/6/physmap/f0000000/name",
      "/local/domain/0/device-model/6/physmap/f0000000/size",
      "/local/domain/0/device-model/6/physmap/f0000000/start_addr",
    ]);
    expect(byRule["control-shutdown"].severity).toBe("info");
    expect(c.unclassified).toEqual([]);
    // /local/domain/6/control is an unmatched directory whose children are classified
    expect(c.directories).toEqual(["/local/domain/6/control"]);
    expect(c.keyRules["/local/domain/6/control"]).toBeNull();
    // dependencies come in rule order
    const order = DEFAULT_XS_RULES.map((r) => r.id);
    const ids = c.dependencies.map((d) => d.ruleId);
    expect([...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))).toEqual(ids);
  });

  it("classifies qemu-trad protocol keys", () => {
    const ids = classifyKeys(tradGuest(7), rules).dependencies.map((d) => [d.ruleId, d.topic, d.keys.length]);
    expect(ids).toEqual(
      expect.arrayContaining([
        ["trad-command", "xenstore-removal", 1],
        ["trad-parameter", "emulated-hotplug", 1],
        ["trad-logdirty", "log-dirty", 3],
      ]),
    );
  });

  it("PV backends served by QEMU are info, the PV part that stays", () => {
    const c = classifyKeys(pvQemuBackends(10), rules);
    const pv = c.dependencies.find((d) => d.ruleId === "pv-backend-qemu");
    expect(pv?.severity).toBe("info");
    expect(pv?.keys).toHaveLength(6);
    expect(c.dependencies.filter((d) => d.severity === "blocker")).toEqual([]);
  });

  it("reports keys no rule matches as unclassified, but not their parent directory", () => {
    const c = classifyKeys(unknownKeysGuest(12), rules);
    expect(c.unclassified).toEqual(["/local/domain/0/device-model/12/mystery", "/local/domain/12/data/xs-agent-version"]);
    // image/ is a directory too: unmatched itself, its children classified
    expect(c.directories).toEqual(["/local/domain/12/data", "/local/domain/12/image"]);
    expect(c.keyRules["/local/domain/0/device-model/12/mystery"]).toBeNull();
    expect(c.keyRules["/local/domain/12/image/device-model-kill-uid"]).toBe("image-dm-kill-uid");
  });

  it("an empty leaf directory with no children is unclassified", () => {
    const c = classifyKeys(domain(3, { keys: { "/local/domain/3/data": "" } }), rules);
    expect(c.unclassified).toEqual(["/local/domain/3/data"]);
    expect(c.directories).toEqual([]);
  });

  it("does not take another guest's keys for this guest's", () => {
    const d = deprivGuest(5);
    d.keys["/local/domain/0/device-model/50/state"] = "running";
    d.keys["/local/domain/0/backend/qdisk/55/51712/state"] = "4";
    const c = classifyKeys(d, rules);
    expect(c.unclassified).toEqual(["/local/domain/0/backend/qdisk/55/51712/state", "/local/domain/0/device-model/50/state"]);
    expect(c.dependencies.some((x) => x.ruleId === "dm-state")).toBe(false);
  });
});

describe("classification property", () => {
  const segment = fc.oneof(
    fc.constantFrom(
      "local",
      "domain",
      "0",
      "5",
      "7",
      "device-model",
      "state",
      "physmap",
      "backend",
      "qdisk",
      "control",
      "shutdown",
      "data",
      "libxl",
      "image",
      "console",
      "tty",
      "**",
      "*",
      "<g>",
    ),
    fc.string({ maxLength: 6 }),
  );
  const path = fc.oneof(
    fc.array(segment, { maxLength: 8 }).map((s) => "/" + s.join("/")),
    fc.string({ maxLength: 40 }),
  );
  const snapshotArb = fc.record({
    domid: fc.integer({ min: 0, max: 9 }),
    dmDomid: fc.option(fc.integer({ min: 0, max: 9 }), { nil: null }),
    paths: fc.array(path, { maxLength: 25 }),
  });

  it("is total: every key is classified by exactly the first matching rule, unclassified, or a covered directory; never throws", () => {
    fc.assert(
      fc.property(snapshotArb, ({ domid, dmDomid, paths }) => {
        const d = domain(domid, { dmDomid, keys: Object.fromEntries(paths.map((p) => [p, ""])) });
        const c = classifyKeys(d, rules);
        const ctx = contextFor(d);
        const keys = Object.keys(d.keys);
        expect(Object.keys(c.keyRules).sort()).toEqual([...keys].sort());
        const unclassified = new Set(c.unclassified);
        const dirs = new Set(c.directories);
        const grouped = new Map<string, string>();
        for (const dep of c.dependencies)
          for (const k of dep.keys) {
            expect(grouped.has(k)).toBe(false);
            grouped.set(k, dep.ruleId);
          }
        for (const k of keys) {
          const first = rules.rules.find((r) => matchPath(r.compiled, k, ctx));
          expect(c.keyRules[k]).toBe(first ? first.id : null);
          if (first) {
            expect(grouped.get(k)).toBe(first.id);
            expect(unclassified.has(k) || dirs.has(k)).toBe(false);
          } else {
            // exactly one of: reported, or a directory with keys below it
            expect(unclassified.has(k) !== dirs.has(k)).toBe(true);
            // a directory is a non-empty key with another key below it ("" is no path's parent)
            expect(dirs.has(k)).toBe(k !== "" && keys.some((o) => o.startsWith(k + "/")));
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
