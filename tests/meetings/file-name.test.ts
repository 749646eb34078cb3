import { describe, expect, it } from "vitest";
import { exportFileName } from "@/lib/meetings/markdown";

describe("a meeting's download name", () => {
  it("keeps the whole title when it fits (the demo meeting's was cut to '…-10th-may-201')", () => {
    const m = { title: "QEMU XenServer/XenProject Working group meeting 10th May 2017", date: new Date("2017-05-10T00:00:00Z") };
    expect(exportFileName(m)).toBe("2017-05-10-qemu-xenserver-xenproject-working-group-meeting-10th-may-2017.md");
    expect(exportFileName({ ...m, date: "2017-05-10" }, "txt")).toBe("2017-05-10-qemu-xenserver-xenproject-working-group-meeting-10th-may-2017.txt");
  });

  it("cuts a long title at a word, never inside one", () => {
    const name = exportFileName({ title: `${"deprivileged ".repeat(12)}end`, date: "2017-05-10" });
    const slug = name.slice("2017-05-10-".length, -".md".length);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug.split("-").every((w) => w === "deprivileged")).toBe(true);
  });

  it("folds names as people's names are folded, and never comes out empty", () => {
    expect(exportFileName({ title: "Jürgen Groß & Łukasz: QEMU depriv", date: "2017-05-10" })).toBe("2017-05-10-jurgen-gross-lukasz-qemu-depriv.md");
    expect(exportFileName({ title: "—", date: "2017-05-10" })).toBe("2017-05-10-meeting.md");
  });
});
