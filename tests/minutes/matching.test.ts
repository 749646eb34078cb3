/** Issue 13: reviewed points matched by owner + subject words, "…: done", duplicate new items, notes kept. */
import { describe, expect, it } from "vitest";
import { buildImportPreview, decodeInput, exportMinutesText, parseMinutes, parseReview, type PersonRef } from "@/lib/minutes";
import { splitItemSuffix } from "@/lib/minutes/actions";
import type { DecodedMessage } from "@/lib/minutes/types";
import { draftFromPreview, keptNote, type MinutesPreviewMessage } from "@/lib/minutes/draft";
import { findDuplicateItem, matchReviewToItems } from "@/lib/minutes/people";

const people: PersonRef[] = [
  { id: "p-igor", displayName: "Igor Druzhinin", aliases: [] },
  { id: "p-andrew", displayName: "Andrew Cooper", aliases: [] },
  { id: "p-paul", displayName: "Paul Durrant", aliases: [] },
];
const openItems = [
  {
    id: "ai-igor",
    text: "Igor to implement and post patches to create new mem map function, and to implement the new physmap mechanism in QEMU.",
    ownerNames: ["Igor Druzhinin"],
  },
  { id: "ai-igor-2", text: "Igor to look at the xenstore watch leak", ownerNames: ["Igor Druzhinin"] },
  { id: "ai-andrew", text: "Andrew to double check dm-op sub ops for continuation support.", ownerNames: ["Andrew Cooper"] },
  { id: "ai-paul", text: "Paul to carry on with Xen device model work", ownerNames: ["Paul Durrant"] },
];

const MINUTES = `QEMU XenServer/XenProject Working group meeting 24th May 2017
=============================================================

Attendees:
* Igor Druzhinin
* Andrew Cooper
* Paul Durrant

Reviewed previous action points

* Igor's physmap patches posted, under review
* Andrew to double check dm-op sub ops for continuation support: done

Discussion went on.

Action Items
------------

* Paul to carry on with Xen device model work
* Andrew to write the xs-restrict RFC
`;

describe("reviewed points (issue 13)", () => {
  it("reads the owner of a possessive point and '…: done' as done", () => {
    expect(parseReview("Igor's physmap patches posted, under review")).toMatchObject({ ownerNames: ["Igor"], status: "unknown" });
    expect(parseReview("Andrew to double check dm-op sub ops for continuation support: done")).toMatchObject({
      text: "Andrew to double check dm-op sub ops for continuation support",
      ownerNames: ["Andrew"],
      status: "done",
      note: "",
    });
    expect(parseReview("Paul to carry on: No progress, due to feature freeze")).toMatchObject({ status: "no_progress", note: "due to feature freeze" });
    // A colon that is not followed by status words changes nothing.
    expect(parseReview("Paul to fix it: the tricky part")).toMatchObject({ text: "Paul to fix it: the tricky part", status: "unknown" });
  });

  it("matches a point to the owner's open item by subject words", () => {
    expect(matchReviewToItems(parseReview("Igor's physmap patches posted, under review"), openItems)).toMatchObject({ itemId: "ai-igor", ownerMatched: true });
    expect(matchReviewToItems(parseReview("Igor's watch leak fix: done"), openItems)).toMatchObject({ itemId: "ai-igor-2" });
    // Another owner's subject is not enough.
    expect(matchReviewToItems(parseReview("Paul's physmap patches posted"), openItems)?.itemId).not.toBe("ai-igor");
  });

  it("flags a new item identical to an open one, with a warning; keeps a matched point's words as its note", async () => {
    expect(findDuplicateItem({ text: "Paul to carry on with Xen device model work.", ownerNames: ["Paul"] }, openItems)).toEqual({
      itemId: "ai-paul",
      itemText: "Paul to carry on with Xen device model work",
    });
    expect(findDuplicateItem({ text: "Andrew to write the xs-restrict RFC", ownerNames: ["Andrew"] }, openItems)).toBeNull();
    expect(findDuplicateItem({ text: "Igor to carry on with Xen device model work", ownerNames: ["Igor"] }, openItems)).toBeNull();

    const preview = buildImportPreview(await decodeInput(MINUTES), { people, openItems });
    const msg = preview.messages[0] as MinutesPreviewMessage;
    expect(msg.minutes.reviews.map((r) => [r.match?.itemId ?? null, r.status])).toEqual([
      ["ai-igor", "unknown"],
      ["ai-andrew", "done"],
    ]);
    expect(msg.minutes.actionItems.map((a) => a.duplicateOf?.itemId ?? null)).toEqual(["ai-paul", null]);
    expect(msg.minutes.warnings.some((w) => w.includes("looks like a duplicate of the open item “Paul to carry on with Xen device model work”"))).toBe(true);

    const draft = draftFromPreview(msg, "s1");
    expect(draft.reviews.map((r) => [r.itemId, r.outcome, r.note])).toEqual([
      ["ai-igor", "carried_over", "Igor's physmap patches posted, under review"],
      ["ai-andrew", "done", ""],
    ]);
    expect(keptNote({ text: "Paul to carry on with Xen device model work", note: "", status: "unknown" }, "Paul to carry on with Xen device model work.")).toBe(
      "",
    );
    expect(keptNote({ text: "x y z", note: "said", status: "unknown" }, "a b c")).toBe("said");
  });
});

describe("targets and links in the text minutes (issue 13)", () => {
  it("the text export writes an item's target and links, and the parser reads them back as such", async () => {
    const text = exportMinutesText({
      series: "QEMU XenServer/XenProject Working group",
      date: "2031-02-04",
      attendees: ["Igor Druzhinin"],
      reviews: [{ text: "Igor to rebase", ownerNames: ["Igor"], status: "done", note: "" }],
      discussion: "The group met.",
      actionItems: [
        {
          text: "Igor to post the physmap series",
          ownerNames: ["Igor"],
          target: "Xen 4.10",
          links: [{ url: "https://lists.xenproject.org/archives/html/xen-devel/2031-01/msg00001.html", title: "v1" }],
        },
        { text: "Igor to review it", ownerNames: ["Igor"], target: "2031-03-01" },
      ],
    });
    expect(text).toContain("* Igor to post the physmap series Target: Xen 4.10. Links:");
    expect(text).toContain("https://lists.xenproject.org/archives/html/xen-devel/2031-01/msg00001.html");
    const parsed = parseMinutes(((await decodeInput(text)) as DecodedMessage[])[0]);
    if (parsed.kind !== "minutes") throw new Error("expected minutes");
    expect(parsed.actionItems.map((a) => [a.text, a.target, a.links])).toEqual([
      ["Igor to post the physmap series", "Xen 4.10", ["https://lists.xenproject.org/archives/html/xen-devel/2031-01/msg00001.html"]],
      ["Igor to review it", "2031-03-01", undefined],
    ]);
    expect(splitItemSuffix("Paul to fix the Target: field")).toEqual({ text: "Paul to fix the Target: field" });
  });
});
