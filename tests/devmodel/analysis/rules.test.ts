import { describe, expect, it } from "vitest";
import {
  compileRules,
  DEFAULT_XS_RULES,
  firstMatchingRule,
  TOPIC_SLUGS,
  validatePattern,
  xsRuleSchema,
  xsRulesSchema,
  type XsRule,
} from "@/lib/devmodel/analysis";

const ok: XsRule = {
  id: "my-rule",
  pattern: "/local/domain/<g>/data/foo",
  dependency: "something",
  topic: "xenstore-removal",
  description: "because",
  severity: "blocker",
};

describe("default rules", () => {
  it("are valid, uniquely named, use known topics and cite the reference", () => {
    expect(xsRulesSchema.safeParse(DEFAULT_XS_RULES).success).toBe(true);
    for (const r of DEFAULT_XS_RULES) {
      expect(validatePattern(r.pattern), r.id).toEqual([]);
      expect(TOPIC_SLUGS).toContain(r.topic);
      expect(r.description, r.id).toMatch(/§\d/);
    }
    expect(() => compileRules(DEFAULT_XS_RULES)).not.toThrow();
  });

  it("classify the keys the brief names to the expected rule", () => {
    const c = compileRules(DEFAULT_XS_RULES);
    const ctx = { g: "5", dm: "0" };
    const expected: [string, string | null][] = [
      ["/local/domain/0/device-model/5", "dm-dir"],
      ["/local/domain/0/device-model/5/state", "dm-state"],
      ["/local/domain/0/device-model/5/physmap/f0000000/start_addr", "physmap"],
      ["/local/domain/0/device-model/5/command", "trad-command"],
      ["/local/domain/0/device-model/5/parameter", "trad-parameter"],
      ["/local/domain/0/device-model/5/logdirty/cmd", "trad-logdirty"],
      ["/local/domain/0/device-model/5/backends/qdisk", "dm-backends"],
      ["/local/domain/0/backend/qdisk/5/51712/state", "pv-backend-qemu"],
      ["/local/domain/0/backend/9pfs/5/0", "pv-backend-qemu"],
      ["/local/domain/0/backend/vbd/5/51712/state", null], // blkback, not QEMU
      ["/local/domain/5/console/tty", "console-tty"],
      ["/local/domain/5/device/console/1/tty", "device-console-tty"],
      ["/local/domain/5/data/set_clipboard", "vnc-clipboard"],
      ["/local/domain/5/data/report_clipboard", "vnc-clipboard"],
      ["/local/domain/5/control/shutdown", "control-shutdown"],
      ["/local/domain/5/control/feature-s3", "control-features"],
      ["/local/domain/5/image/device-model-pid", "image-dm-pid"],
      ["/local/domain/5/image/device-model-kill-uid", "image-dm-kill-uid"],
      ["/local/domain/5/image/device-model-domid", "image-dm-domid"],
      ["/libxl/5/dm-version", "libxl-guest"],
      ["/local/domain/0/libxl/5/qdisk-backend-pid", "libxl-dm-guest"],
      ["/local/domain/0/device-model/6/state", null], // another guest's key
      ["/libxl/6/dm-version", null],
    ];
    for (const [path, id] of expected) expect(firstMatchingRule(c, path, ctx)?.id ?? null, path).toBe(id);
  });

  it("mark blockers and bookkeeping as the brief asks", () => {
    const sev = Object.fromEntries(DEFAULT_XS_RULES.map((r) => [r.id, [r.severity, r.dependency, r.topic]]));
    expect(sev["dm-state"]).toEqual(["blocker", expect.any(String), "xenstore-removal"]);
    expect(sev["physmap"]).toEqual(["blocker", expect.any(String), "physmap-keys"]);
    expect(sev["trad-logdirty"]).toEqual(["blocker", expect.any(String), "log-dirty"]);
    expect(sev["trad-parameter"]).toEqual(["blocker", expect.any(String), "emulated-hotplug"]);
    expect(sev["pv-backend-qemu"][0]).toBe("info");
    expect(sev["console-tty"][0]).toBe("info");
    for (const id of ["image-dm-pid", "image-dm-kill-uid", "image-dm-domid", "libxl-guest", "dm-dir"])
      expect(sev[id].slice(0, 2), id).toEqual(["info", "none"]);
  });
});

describe("compileRules", () => {
  it("keeps order, so the first matching rule wins", () => {
    const c = compileRules([
      { ...ok, id: "specific", pattern: "/local/domain/<g>/data/foo" },
      { ...ok, id: "general", pattern: "/local/domain/<g>/data/**" },
    ]);
    expect(firstMatchingRule(c, "/local/domain/5/data/foo", { g: "5", dm: null })?.id).toBe("specific");
    expect(firstMatchingRule(c, "/local/domain/5/data/bar", { g: "5", dm: null })?.id).toBe("general");
    const rev = compileRules([
      { ...ok, id: "general", pattern: "/local/domain/<g>/data/**" },
      { ...ok, id: "specific", pattern: "/local/domain/<g>/data/foo" },
    ]);
    expect(firstMatchingRule(rev, "/local/domain/5/data/foo", { g: "5", dm: null })?.id).toBe("general");
  });

  it("keeps order across dispatch buckets (wild rules before literal ones)", () => {
    const c = compileRules([
      { ...ok, id: "wild", pattern: "/local/domain/<g>/*/foo" },
      { ...ok, id: "lit", pattern: "/local/domain/<g>/data/foo" },
    ]);
    expect(firstMatchingRule(c, "/local/domain/5/data/foo", { g: "5", dm: null })?.id).toBe("wild");
    expect(firstMatchingRule(c, "/local/domain/5/other/foo", { g: "5", dm: null })?.id).toBe("wild");
  });

  it("rejects invalid rules and duplicate ids", () => {
    expect(() => compileRules([{ ...ok, pattern: "data/foo" }])).toThrow(/invalid rule "my-rule".*absolute path/);
    expect(() => compileRules([ok, ok])).toThrow(/duplicate rule id "my-rule"/);
  });
});

describe("xsRuleSchema", () => {
  const issues = (r: unknown) => {
    const p = xsRuleSchema.safeParse(r);
    return p.success ? [] : p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("accepts a valid rule", () => {
    expect(issues(ok)).toEqual([]);
  });

  it("explains what is wrong with the pattern", () => {
    expect(issues({ ...ok, pattern: "local/x" })).toEqual(['pattern: pattern must be an absolute path starting with "/"']);
    expect(issues({ ...ok, pattern: "/local/<vm>/x" })[0]).toMatch(/^pattern: segment 2 .*only <g> and <dm>/);
    expect(issues({ ...ok, pattern: "/local/x y" })[0]).toMatch(/^pattern: .*only A-Z a-z 0-9 - _ @/);
  });

  it("explains bad ids, topics, severities and missing text", () => {
    expect(issues({ ...ok, id: "Bad Id" })[0]).toMatch(/^id: id must be lower-case/);
    expect(issues({ ...ok, topic: "physmap" })[0]).toMatch(/^topic: topic must be one of: xenstore-removal, physmap-keys/);
    expect(issues({ ...ok, severity: "warning" })[0]).toMatch(/^severity: severity must be "blocker" or "info"/);
    expect(issues({ ...ok, description: "  " })[0]).toMatch(/^description: description is required/);
    expect(issues({ ...ok, dependency: "" })[0]).toMatch(/^dependency: dependency is required/);
  });

  it("rejects duplicate ids in a rule list", () => {
    const p = xsRulesSchema.safeParse([ok, ok]);
    expect(p.success).toBe(false);
    expect(p.error?.issues[0]?.message).toBe('duplicate rule id "my-rule"');
  });
});
