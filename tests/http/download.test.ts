import { describe, expect, it } from "vitest";
import { downloadResponse } from "@/lib/http/download";

describe("a download (every export route)", () => {
  it("is saved under its name, typed, kept by no cache, not sniffed", async () => {
    const r = downloadResponse("day,open\n", { type: "text/csv", filename: "open-items-2026-12-01.csv" });
    expect(Object.fromEntries(r.headers)).toEqual({
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="open-items-2026-12-01.csv"',
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    expect(await r.text()).toBe("day,open\n");
  });
});
