import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ActionNotice } from "@/components/ui/ActionNotice";
import type { ActionState } from "@/lib/auth/guard";

const html = (props: Parameters<typeof ActionNotice<{ n: number }>>[0]) => renderToStaticMarkup(createElement(ActionNotice<{ n: number }>, props));
const refused: ActionState<{ n: number }> = { ok: false, code: "INVALID", message: "Fix the title.", fieldErrors: { title: ["Required"] } };
const saved: ActionState<{ n: number }> = { ok: true, data: { n: 2 } };

// Every form says its answer through this component (e2e/*.spec.ts find the answers by these roles).
describe("ActionNotice", () => {
  it("says nothing before the action answers", () => {
    expect(html({ state: null, ok: "Saved" })).toBe("");
  });
  it("says a refusal as an alert, with the server's message or the form's own words", () => {
    expect(html({ state: refused })).toMatch(/^<span class="[^"]*text-red-600[^"]*" role="alert">Fix the title\.<\/span>$/);
    expect(html({ state: refused, error: (f) => `${f.code}!`, as: "p" })).toMatch(/^<p class="[^"]*" role="alert">INVALID!<\/p>$/);
    expect(html({ state: refused, error: () => null })).toBe("");
  });
  it("says a success as a status only when the form has words for it", () => {
    expect(html({ state: saved })).toBe("");
    expect(html({ state: saved, ok: "Saved" })).toMatch(/^<span class="[^"]*text-green-700[^"]*" role="status">Saved<\/span>$/);
    expect(html({ state: saved, ok: (d) => `Changed ${d.n}.` })).toContain(">Changed 2.<");
  });
  it("live: the status region is there before the answer and holds either answer", () => {
    expect(html({ state: null, live: true })).toMatch(/^<span class="[^"]*" role="status"><\/span>$/);
    expect(html({ state: refused, live: true })).toMatch(/^<span class="[^"]*" role="status">Fix the title\.<\/span>$/);
    expect(html({ state: saved, live: true, ok: "Link added." })).toMatch(/^<span class="[^"]*" role="status">Link added\.<\/span>$/);
  });
});
