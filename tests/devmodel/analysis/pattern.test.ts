import { describe, expect, it } from "vitest";
import { compilePattern, matchPath, splitPath, validatePattern, type MatchContext } from "@/lib/devmodel/analysis";

const g5: MatchContext = { g: "5", dm: "0" };
const m = (pattern: string, path: string, ctx: MatchContext = g5) => matchPath(compilePattern(pattern), path, ctx);

describe("pattern language", () => {
  it("matches literals exactly", () => {
    expect(m("/local/domain/5/control/shutdown", "/local/domain/5/control/shutdown")).toBe(true);
    expect(m("/local/domain/5/control/shutdown", "/local/domain/5/control/shutdownx")).toBe(false);
    expect(m("/local/domain/5/control/shutdown", "/local/domain/5/control")).toBe(false);
    expect(m("/local/domain/5/control", "/local/domain/5/control/shutdown")).toBe(false);
  });

  it("<g> only matches the guest's own domid: a key of another guest does not match", () => {
    const p = "/local/domain/<dm>/device-model/<g>/state";
    expect(m(p, "/local/domain/0/device-model/5/state")).toBe(true);
    expect(m(p, "/local/domain/0/device-model/6/state")).toBe(false);
    expect(m(p, "/local/domain/0/device-model/05/state")).toBe(false);
    expect(m(p, "/local/domain/0/device-model/5/state", { g: "6", dm: "0" })).toBe(false);
  });

  it("<dm> matches the device-model domid, or any decimal domid when it is unknown", () => {
    const p = "/local/domain/<dm>/device-model/<g>";
    expect(m(p, "/local/domain/9/device-model/5", { g: "5", dm: "9" })).toBe(true);
    expect(m(p, "/local/domain/0/device-model/5", { g: "5", dm: "9" })).toBe(false);
    expect(m(p, "/local/domain/9/device-model/5", { g: "5", dm: null })).toBe(true);
    expect(m(p, "/local/domain/abc/device-model/5", { g: "5", dm: null })).toBe(false);
  });

  it("* matches exactly one segment", () => {
    expect(m("/local/domain/<g>/device/console/*/tty", "/local/domain/5/device/console/1/tty")).toBe(true);
    expect(m("/local/domain/<g>/device/console/*/tty", "/local/domain/5/device/console/tty")).toBe(false);
    expect(m("/local/domain/<g>/device/console/*/tty", "/local/domain/5/device/console/1/2/tty")).toBe(false);
  });

  it("** at the end matches zero or more segments", () => {
    const p = "/local/domain/<dm>/device-model/<g>/logdirty/**";
    expect(m(p, "/local/domain/0/device-model/5/logdirty")).toBe(true);
    expect(m(p, "/local/domain/0/device-model/5/logdirty/cmd")).toBe(true);
    expect(m(p, "/local/domain/0/device-model/5/logdirty/a/b/c")).toBe(true);
    expect(m(p, "/local/domain/0/device-model/5/logdirtyx")).toBe(false);
    expect(m(p, "/local/domain/0/device-model/5")).toBe(false);
  });

  it("** in the middle backtracks, and <g> is still checked after it", () => {
    const p = "/local/**/<g>/tty";
    expect(m(p, "/local/tty", { g: "x", dm: null })).toBe(false);
    expect(m(p, "/local/5/tty")).toBe(true);
    expect(m(p, "/local/domain/5/console/5/tty")).toBe(true);
    expect(m(p, "/local/domain/5/console/7/tty")).toBe(false);
    // several alignments, only the one binding <g> to the guest matches
    expect(m("/a/**/<g>/**", "/a/7/x/5/y", { g: "5", dm: null })).toBe(true);
    expect(m("/a/**/<g>/**", "/a/7/x/5/y", { g: "7", dm: null })).toBe(true);
    expect(m("/a/**/<g>/**", "/a/7/x/5/y", { g: "6", dm: null })).toBe(false);
  });

  it("{a,b} matches one of the alternatives", () => {
    const p = "/local/domain/<dm>/backend/{qdisk,vkbd}/<g>/**";
    expect(m(p, "/local/domain/0/backend/qdisk/5/51712/state")).toBe(true);
    expect(m(p, "/local/domain/0/backend/vkbd/5")).toBe(true);
    expect(m(p, "/local/domain/0/backend/vbd/5/51712/state")).toBe(false);
  });

  it("malformed paths never match and never throw", () => {
    const p = compilePattern("/**");
    for (const bad of ["", "/", "relative/path", "//x", "/x/", "/x//y"]) {
      expect(splitPath(bad)).toBeNull();
      expect(matchPath(p, bad, g5)).toBe(false);
    }
    expect(matchPath(p, "/x", g5)).toBe(true);
  });

  it("validates syntax with clear messages", () => {
    expect(validatePattern("/local/domain/<g>/data/**")).toEqual([]);
    expect(validatePattern("local/domain")).toEqual(['pattern must be an absolute path starting with "/"']);
    expect(validatePattern("")).toEqual(["pattern is empty"]);
    expect(validatePattern("/")[0]).toMatch(/at least one segment/);
    expect(validatePattern("/a//b")[0]).toMatch(/segment 2 .*empty segment/);
    expect(validatePattern("/a/")[0]).toMatch(/empty segment/);
    expect(validatePattern("/a/<guest>")[0]).toMatch(/unknown placeholder; only <g> and <dm>/);
    expect(validatePattern("/a/x<g>")[0]).toMatch(/<g> must be a whole segment/);
    expect(validatePattern("/a/foo*")[0]).toMatch(/"\*" and "\*\*" must be a whole segment/);
    expect(validatePattern("/a/b.c")[0]).toMatch(/only A-Z a-z 0-9 - _ @ are allowed/);
    expect(validatePattern("/a/{x,}")[0]).toMatch(/alternatives/);
    expect(validatePattern("/a/**/**")[0]).toMatch(/redundant/);
    expect(validatePattern("/" + "a".repeat(4000))[0]).toMatch(/longer than 3072/);
    expect(() => compilePattern("nope")).toThrow(/invalid pattern "nope"/);
  });
});
