import { describe, expect, it } from "vitest";
import { safeImage, selfUpdateProblem } from "@/lib/auth/self-service";

describe("what a user may change about themselves", () => {
  it("only a sensible name", () => {
    expect(selfUpdateProblem({ name: "Jürgen Groß" })).toBeNull();
    expect(selfUpdateProblem({})).toBeNull();
    expect(selfUpdateProblem({ image: "javascript:alert(1)" })).toMatch(/image cannot/);
    expect(selfUpdateProblem({ name: "x", role: "admin", emailVerified: true })).toBe("Only your name can be changed here; role, emailVerified cannot.");
    expect(selfUpdateProblem({ name: " " })).toMatch(/1 to 100/);
    expect(selfUpdateProblem({ name: "a".repeat(101) })).toMatch(/1 to 100/);
    expect(selfUpdateProblem({ name: "Eve\nAdmin" })).toMatch(/control characters/);
    expect(selfUpdateProblem({ name: "Eve\u202enimda" })).toMatch(/control characters/);
    expect(selfUpdateProblem(["name"])).toMatch(/object/);
  });

  it("stores only http(s) avatar URLs", () => {
    expect(safeImage("https://sso.example.org/avatar/42.png")).toBe("https://sso.example.org/avatar/42.png");
    expect(safeImage("javascript:alert(1)")).toBeNull();
    expect(safeImage(" JavaScript:alert(1)")).toBeNull();
    expect(safeImage("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(safeImage("/relative.png")).toBeNull();
    expect(safeImage(null)).toBeNull();
  });
});
