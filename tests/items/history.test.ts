import { describe, expect, it } from "vitest";
import { toAuditEntry } from "@/lib/items/history";

const entry = (action: string, detail: unknown) =>
  toAuditEntry({ id: "e1", at: new Date("2017-05-24T10:00:00Z"), actorLabel: "editor@dmboard.local", action, detail: JSON.stringify(detail) });

describe("an item's history reads in labels, never stored values", () => {
  it("a review: its outcome and the status it led to", () => {
    expect(entry("review", { outcome: "carried_over", note: "" }).summary).toBe("reviewed: Carried over");
    expect(entry("review", { outcome: "progress", note: "RFC posted", status: { from: "open", to: "in_progress" } }).summary).toBe(
      "reviewed: Progress — “RFC posted”; status Open → In progress",
    );
  });

  it("a status change, alone, in bulk and among other changes", () => {
    expect(entry("status", { status: { from: "open", to: "blocked" }, bulk: true }).summary).toBe("status: Open → Blocked (bulk change)");
    expect(
      entry("update", {
        changes: { status: { from: "in_progress", to: "done" }, dueDate: { from: null, to: "2017-06-01" }, target: { from: "", to: "Xen 4.10" } },
      }).summary,
    ).toBe("status: In progress → Done; due date: — → 2017-06-01; target: — → Xen 4.10");
  });

  it("links by their kind's label; a value no list knows is shown as stored", () => {
    expect(entry("link.add", { kind: "thread", url: "https://lists.xenproject.org/x" }).summary).toBe(
      "link added: xen-devel thread https://lists.xenproject.org/x",
    );
    expect(entry("review", { outcome: "postponed" }).summary).toBe("reviewed: postponed");
    expect(entry("status", { status: { from: "open", to: "someday" } }).summary).toBe("status: Open → someday");
  });
});
