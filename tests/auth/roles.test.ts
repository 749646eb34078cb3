import { describe, expect, it } from "vitest";
import { isRole, roleAtLeast } from "@/lib/auth/roles";
import { safeNext } from "@/lib/auth/safe-next";
import { formDataToObject } from "@/lib/auth/guard";

describe("roles", () => {
  it("orders viewer < editor < admin", () => {
    expect(roleAtLeast("admin", "editor")).toBe(true);
    expect(roleAtLeast("editor", "editor")).toBe(true);
    expect(roleAtLeast("viewer", "editor")).toBe(false);
    expect(roleAtLeast("editor", "admin")).toBe(false);
  });
  it("grants nothing to unknown roles", () => {
    expect(roleAtLeast("root", "viewer")).toBe(false);
    expect(roleAtLeast(undefined, "viewer")).toBe(false);
    expect(isRole("Admin")).toBe(false);
  });
});

describe("sign-in redirect target", () => {
  it("keeps same-site paths and refuses everything else", () => {
    expect(safeNext("/meetings?x=1")).toBe("/meetings?x=1");
    expect(safeNext("//evil.example/")).toBe("/");
    expect(safeNext("https://evil.example/")).toBe("/");
    expect(safeNext("/\\evil.example")).toBe("/");
    expect(safeNext(undefined)).toBe("/");
  });

  it("resolves next as a browser would: tabs, newlines and backslashes cannot make it leave the origin (issue 10)", () => {
    // "/%09/evil.example" and "/%0A/" as the page receives them, decoded.
    expect(safeNext("/\t/evil.example")).toBe("/");
    expect(safeNext("/\n/evil.example")).toBe("/");
    expect(safeNext("/\r\n/evil.example")).toBe("/");
    expect(safeNext("/\\/evil.example")).toBe("/");
    expect(safeNext("/\t\\evil.example")).toBe("/");
    expect(safeNext("javascript:alert(1)")).toBe("/");
    // A stray control character inside a path stays a path, encoded (a valid Location header).
    expect(safeNext("/meetings\n")).toBe("/meetings");
    expect(safeNext("/a b/ü")).toBe("/a%20b/%C3%BC");
    expect(safeNext("/items?status=open#top")).toBe("/items?status=open#top");
  });
});

describe("form data", () => {
  it("turns repeated and [] keys into arrays and drops Next's own fields", () => {
    const f = new FormData();
    f.append("title", "t");
    f.append("attendees[]", "a");
    f.append("topic", "x");
    f.append("topic", "y");
    f.append("$ACTION_ID_abc", "");
    expect(formDataToObject(f)).toEqual({ title: "t", attendees: ["a"], topic: ["x", "y"] });
  });
});
