import { describe, expect, it } from "vitest";
import { stripChrome } from "@/lib/minutes/chrome";
import { parseMinutes } from "@/lib/minutes/parse";
import { parseReview } from "@/lib/minutes/reviews";
import type { DecodedMessage } from "@/lib/minutes/types";
import { fixture, parseOne } from "./helpers";

function msg(text: string, extra: Partial<DecodedMessage> = {}): DecodedMessage {
  return { index: 0, source: "text", messageId: null, subject: null, date: null, from: null, text, ...extra };
}

describe("fixtures", () => {
  it("'Attendance' with one name a line; un-bulleted action items; a body-only action item", async () => {
    const m = await parseOne(fixture("attendance-one-per-line.txt"));
    expect(m.attendees).toEqual(["Paul Durrant", "Andrew Cooper", "Ian Jackson", "Roger Pau Monné"]);
    expect(m.attendees).not.toContain("Jenny Herbert"); // apologies are not attendance
    expect(m.reviews.map((r) => [r.status, r.statusWords, r.note])).toEqual([
      ["done", "Done", "Two sub ops needed fixing; patches posted."],
      ["in_progress", "In progress", "first half posted as RFC."],
      ["carried_over", "Carried over", ""],
      ["dropped", "Dropped", "the dashboard replaces it."],
    ]);
    expect(m.actionItems.map((a) => [a.text, a.ownerNames, a.source])).toEqual([
      ["Paul to post v2 of the ioreq server series.", ["Paul"], "list"],
      ["Ian to rebase the xs-restrict queue on the physmap work.", ["Ian"], "list"],
      ["Andrew and Roger to review the new mem map function.", ["Andrew", "Roger"], "list"],
      ["Roger to check the PVH dm-op whitelist against the new sub ops.", ["Roger"], "discussion"],
    ]);
    expect(m.warnings.some((w) => w.includes("taken from the discussion") && w.includes("PVH dm-op whitelist"))).toBe(true);
    expect(m.warnings.some((w) => /Ignored 2 line/.test(w))).toBe(true); // "Thanks, / Paul"
    expect(m.date).toBe("2017-06-07");
    expect(m.dateSource).toBe("heading");
    expect(m.discussion).toBe(
      "The physmap keys patches were reviewed on the list. Most comments were about naming.\n\nRoger to check the PVH dm-op whitelist against the new sub ops.",
    );
  });

  it("a single 'Present: A, B and C' line, 'Previous action points:' and 'Actions:'", async () => {
    const m = await parseOne(fixture("present-line.txt"));
    expect(m.attendees).toEqual(["Paul Durrant", "Ian Jackson", "Anthony Perard"]);
    expect(m.reviews.map((r) => r.status)).toEqual(["done", "no_progress"]);
    expect(m.actionItems.map((a) => a.text)).toEqual(["Anthony to send the qdisk backend series upstream."]);
    expect(m.series).toBe("Device model working group");
    expect(m.subject).toBe("Xen device model WG minutes, 21 June 2017");
    expect(m.date).toBe("2017-06-21");
    expect(m.warnings).toEqual([]);
    expect(m.discussion).toBe("Anthony explained the QEMU side of the qdisk backend changes.");
  });
});

describe("parseReview", () => {
  const cases: [string, string, string, string, string][] = [
    // input, status, text, statusWords, note
    ["Paul to carry on with Xen device model work. - Done.", "done", "Paul to carry on with Xen device model work.", "Done", ""],
    ["Ian - No progress with X, due to feature freeze on 4.8.9.", "no_progress", "Ian", "No progress", "with X, due to feature freeze on 4.8.9."],
    ["Andrew to look over it.  - No.", "no_progress", "Andrew to look over it.", "No", ""],
    [
      "Jenny – XenServer is continuing to make slow progress. Work done.",
      "in_progress",
      "Jenny",
      "continuing",
      "XenServer is continuing to make slow progress. Work done.",
    ],
    ["Jenny — Dropped: no longer needed", "dropped", "Jenny", "Dropped", "no longer needed"],
    ["Ian to fix the no-op path - Carried over to next time", "carried_over", "Ian to fix the no-op path", "Carried over", "to next time"],
    ["Paul to post v2. Done.", "done", "Paul to post v2.", "Done", ""],
    ["Paul to post v2 (in progress)", "in_progress", "Paul to post v2", "in progress", ""],
    ["DONE: Paul to post v2", "done", "Paul to post v2", "DONE", ""],
    ["Paul to look at A - B mapping - Done.", "done", "Paul to look at A - B mapping", "Done", ""],
    ["Paul to post v2", "unknown", "Paul to post v2", "", ""],
  ];
  it.each(cases)("%s", (input, status, text, words, note) => {
    const r = parseReview(input);
    expect([r.status, r.text, r.statusWords, r.note]).toEqual([status, text, words, note]);
  });

  it("multi-owner points", () => {
    expect(parseReview("Andrew and Ian to review it - Done.").ownerNames).toEqual(["Andrew", "Ian"]);
    expect(parseReview("Paul Durrant, Ian and Jenny Herbert to sync - No.").ownerNames).toEqual(["Paul Durrant", "Ian", "Jenny Herbert"]);
    expect(parseReview("The patch series - Done.").ownerNames).toEqual([]);
  });
});

describe("action items from list and discussion", () => {
  const base = (body: string, list: string) =>
    `Device model meeting 1st March 2018\n===================================\n\nAttendees:\n* Paul Durrant\n* Ian Jackson\n\n${body}\n\nAction Items\n------------\n\n${list}\n`;

  it("merges a discussion sentence into the matching list item despite small wording differences", () => {
    const p = parseMinutes(msg(base("Ian to rebase the xs-restrict patch queue.", "* Ian to rebase xs-restrict patch queue")));
    expect(p.kind).toBe("minutes");
    if (p.kind !== "minutes") return;
    expect(p.actionItems).toHaveLength(1);
    expect(p.actionItems[0]).toMatchObject({ text: "Ian to rebase xs-restrict patch queue", source: "list", mentionedInDiscussion: true });
  });

  it("does not take non-attendees or sentence starters for owners", () => {
    const p = parseMinutes(msg(base("QEMU to gain a new QMP command. The plan to move is fine. Paul offers to help.", "* Paul to post v2")));
    if (p.kind !== "minutes") throw new Error(p.reason);
    expect(p.actionItems.map((a) => a.text)).toEqual(["Paul to post v2"]);
  });

  it("an item without owner is kept and flagged", () => {
    const p = parseMinutes(msg(base("Nothing else.", "* Update the wiki page")));
    if (p.kind !== "minutes") throw new Error(p.reason);
    expect(p.actionItems[0]).toMatchObject({ text: "Update the wiki page", ownerNames: [] });
    expect(p.warnings.some((w) => w.includes("without an owner"))).toBe(true);
  });
});

describe("dates", () => {
  const text = "WG meeting 5th May 2017\n=======================\n\nAttendees:\n* A B\n\nAction Items\n* A to do\n";
  it("prefers the date that fits the Date header", () => {
    const p = parseMinutes(msg(text, { subject: "WG meeting 20th June 2017", date: new Date("2017-05-06T10:00:00Z") }));
    if (p.kind !== "minutes") throw new Error(p.reason);
    expect([p.date, p.dateSource, p.headingDate, p.subjectDate, p.mailDate]).toEqual(["2017-05-05", "heading", "2017-05-05", "2017-06-20", "2017-05-06"]);
    expect(p.warnings.some((w) => /disagree/.test(w))).toBe(true);
  });
  it("falls back to the Date header with a warning", () => {
    const p = parseMinutes(
      msg(text.replace(" 5th May 2017", "").replace(/=+/, "=".repeat(10)), { subject: "WG meeting", date: new Date("2017-05-06T10:00:00Z") }),
    );
    if (p.kind !== "minutes") throw new Error(p.reason);
    expect([p.date, p.dateSource]).toEqual(["2017-05-06", "date-header"]);
    expect(p.warnings.some((w) => /Date header/.test(w))).toBe(true);
  });
});

describe("not minutes", () => {
  it.each([
    ["a plain reply", "Thanks, looks good to me.\n\nIan.\n"],
    ["a quoted reply", "> Attendees:\n> * Paul\n\nI was there too.\n"],
    ["only a heading", "Xen meeting 1st May 2017\n========================\n\nSee you next week.\n"],
  ])("%s", (_name, text) => {
    const p = parseMinutes(msg(text));
    expect(p.kind).toBe("not_minutes");
    expect(p.kind === "not_minutes" && p.reason).toMatch(/^Not meeting minutes: /);
  });
});

describe("stripChrome (other archives)", () => {
  it("pipermail", () => {
    const s = stripChrome(
      "[Xen-devel] WG minutes\nJenny Herbert jenny at example.com\n\nPrevious message: [Xen-devel] foo\nNext message: [Xen-devel] bar\nMessages sorted by: [ date ] [ thread ] [ subject ] [ author ]\n",
    );
    expect(s.subject).toBe("WG minutes");
    expect(s.text).not.toMatch(/Previous message|Messages sorted/);
  });
  it("header echoes and a hosting notice without footer", () => {
    const s = stripChrome(
      "To: xen-devel@x\nFrom: Paul\nDate: Wed, 10 May 2017 16:12:03 +0100\nSubject: [Xen-devel] Minutes\n\nBody text.\n\nArchive powered by MHonArc.\n",
    );
    expect(s.subject).toBe("Minutes");
    expect(s.dateText).toBe("Wed, 10 May 2017 16:12:03 +0100");
    expect(s.text).toBe("Body text.\n");
  });
  it("leaves a final action item alone even if it mentions hosting", () => {
    const s = stripChrome("Action Items\n\n* Paul to check the site hosted with RackSpace for support\n");
    expect(s.text).toContain("Paul to check the site");
  });
});
