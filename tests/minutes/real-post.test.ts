import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { stripChrome } from "@/lib/minutes/chrome";
import type { ParsedMinutes } from "@/lib/minutes/types";
import { REAL_POST, parseOne } from "./helpers";

describe("the real 10 May 2017 post (archive .txt)", () => {
  let m: ParsedMinutes;
  beforeAll(async () => {
    m = await parseOne(readFileSync(REAL_POST), "2017-05-10.txt");
  });

  it("has the title and series", () => {
    expect(m.title).toBe("QEMU XenServer/XenProject Working group meeting 5th May 2017");
    expect(m.series).toBe("QEMU XenServer/XenProject Working group");
    expect(m.subject).toBe("QEMU XenServer/XenProject Working group meeting 10th May 2017");
  });

  it("lists exactly the 7 attendees", () => {
    expect(m.attendees).toEqual(["Paul Durrant", "Andrew Cooper", "Ian Jackson", "Jenny Herbert", "Igor Druzhinin", "Simon Crow", "Marcus Granado"]);
  });

  it("reads the 4 reviewed points with their statuses and notes", () => {
    expect(m.reviews.map((r) => r.status)).toEqual(["done", "no_progress", "no_progress", "in_progress"]);
    expect(m.reviews.map((r) => r.ownerNames)).toEqual([["Paul"], ["Ian"], ["Andrew"], ["Jenny"]]);
    expect(m.reviews[0].text).toBe("Paul to carry on with Xen device model work.");
    expect(m.reviews[1].note).toBe(
      "with re factoring libxl split, XenStore restrictions or using and FD for QMP cd insert and emulated hotplug, due to feature freeze on 4.8.9.",
    );
    expect(m.reviews[2].text).toBe("Andrew to look over Ian's patch series to see how bad extra XenStore permission would be.");
    expect(m.reviews[2].statusWords).toBe("No");
    expect(m.reviews[3].note).toMatch(/^XenServer is continuing to make slow progress\. .*Various other small bit of work done\.$/);
  });

  it("has exactly 4 new action items, the dm-op continuation item once and without the stray If", () => {
    expect(m.actionItems.map((a) => a.ownerNames)).toEqual([["Andrew"], ["Igor"], ["Ian"], ["Jenny"]]);
    const dmop = m.actionItems.filter((a) => /dm-op sub ops/.test(a.text));
    expect(dmop).toHaveLength(1);
    expect(dmop[0].text).toBe("Andrew to double check dm-op sub ops for continuation support");
    expect(dmop[0].mentionedInDiscussion).toBe(true);
    expect(dmop[0].fixes).toHaveLength(1);
    expect(m.actionItems[2].text).toBe("Ian to look a using and FD for QMP cd insert and emulated hotplug, as well as splitting two QEMUs.");
    expect(m.actionItems.every((a) => a.source === "list")).toBe(true);
  });

  it("reports both dates, picks the subject's and flags the disagreement", () => {
    expect(m.headingDate).toBe("2017-05-05");
    expect(m.subjectDate).toBe("2017-05-10");
    expect(m.mailDate).toBeNull();
    expect(m.date).toBe("2017-05-10");
    expect(m.dateSource).toBe("subject");
    expect(m.warnings.some((w) => /disagree/.test(w) && w.includes("2017-05-05") && w.includes("2017-05-10"))).toBe(true);
  });

  it("keeps the discussion as Markdown paragraphs with no chrome", () => {
    for (const bad of ["Date Prev", "Xen-devel mailing list", "Rackspace", "RackSpace", "lists.xen.org", "[Xen-devel]", "_____"]) {
      expect(m.discussion).not.toContain(bad);
    }
    const paras = m.discussion.split("\n\n");
    expect(paras.length).toBe(19);
    expect(paras.every((p) => !p.includes("\n"))).toBe(true);
    expect(paras[1]).toBe(
      "XenServer uses XenStore to communicate the VNC QEMU clipboard to the guest and back. It was concluded this isnt nice, as has caused veriose security problems in the past. New plan is to implement this using a shared page.",
    );
    expect(paras[paras.length - 1]).toMatch(/^Jenny has already created a confluence page .* related discussions\.$/);
  });

  it("has a stable sha256 fingerprint", async () => {
    expect(m.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const again = await parseOne(readFileSync(REAL_POST, "utf8"));
    expect(again.fingerprint).toBe(m.fingerprint);
  });
});

describe("stripChrome on the real post", () => {
  const s = stripChrome(readFileSync(REAL_POST, "utf8"));
  it("removes navigation, subject line, footer and hosting notice", () => {
    expect(s.subject).toBe("QEMU XenServer/XenProject Working group meeting 10th May 2017");
    expect(s.text.startsWith("QEMU XenServer/XenProject Working group meeting 5th May 2017\n====")).toBe(true);
    expect(s.text.trimEnd().endsWith("as well update the  confluence page.")).toBe(true);
    expect(s.text).not.toMatch(/Date Prev|mailing list|Rackspace|hosted with/i);
    expect(s.removed).toEqual(expect.arrayContaining(["archive navigation", "list subject line", "mailing list footer"]));
  });
});
