import { describe, expect, it } from "vitest";
import { plural } from "@/components/ui/format";

describe("plural", () => {
  it("one is singular, every other count plural", () => {
    expect(plural(1, "item")).toBe("1 item");
    expect(plural(0, "item")).toBe("0 items");
    expect(plural(2, "VM")).toBe("2 VMs");
    expect(plural(1, "entry", "entries")).toBe("1 entry");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});
