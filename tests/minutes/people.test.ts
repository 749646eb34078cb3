import { describe, expect, it } from "vitest";
import { matchReviewToItems, resolvePerson, type PersonRef } from "@/lib/minutes/people";

const people: PersonRef[] = [
  { id: "p-paul", displayName: "Paul Durrant", aliases: ["pdurrant"] },
  { id: "p-andrew", displayName: "Andrew Cooper", aliases: ["andyhhp", "Andy Cooper"] },
  { id: "p-ian", displayName: "Ian Jackson", aliases: [] },
  { id: "p-ianc", displayName: "Ian Campbell", aliases: [] },
  { id: "p-jenny", displayName: "Jenny Herbert", aliases: [] },
  { id: "p-roger", displayName: "Roger Pau Monné", aliases: [] },
  { id: "p-juergen", displayName: "Jürgen Groß", aliases: ["Juergen Gross"] },
];
const attendees = ["Paul Durrant", "Andrew Cooper", "Ian Jackson", "Jenny Herbert"];

describe("resolvePerson", () => {
  it("exact, case/space/diacritics insensitive", () => {
    expect(resolvePerson("paul  durrant", people)).toEqual({ personId: "p-paul", candidates: ["p-paul"], matchedBy: "exact" });
    expect(resolvePerson("Roger Pau Monne", people).personId).toBe("p-roger");
    expect(resolvePerson("JURGEN GROSS", people).matchedBy).toBe("exact"); // ß folds to ss
  });

  it("alias", () => {
    expect(resolvePerson("andyhhp", people)).toEqual({ personId: "p-andrew", candidates: ["p-andrew"], matchedBy: "alias" });
    expect(resolvePerson("Juergen Gross", people).personId).toBe("p-juergen");
  });

  it("first name via the meeting's attendees", () => {
    expect(resolvePerson("Jenny", people, attendees)).toEqual({ personId: "p-jenny", candidates: ["p-jenny"], matchedBy: "first-name" });
    // Two Ians exist, but only Ian Jackson attended.
    expect(resolvePerson("Ian", people, attendees)).toEqual({ personId: "p-ian", candidates: ["p-ian"], matchedBy: "first-name" });
  });

  it("an ambiguous first name without attendees is not guessed", () => {
    const r = resolvePerson("Ian", people);
    expect(r.personId).toBeNull();
    expect(r.candidates.sort()).toEqual(["p-ian", "p-ianc"]);
    expect(resolvePerson("Jenny", people).matchedBy).toBe("first-name"); // unique without attendee list
  });

  it("a first name of someone who did not attend is offered, not resolved", () => {
    const r = resolvePerson("Roger", people, attendees);
    expect(r).toEqual({ personId: null, candidates: ["p-roger"], matchedBy: null });
  });

  it("small typos are fuzzy matches", () => {
    expect(resolvePerson("Paul Durrent", people)).toMatchObject({ personId: "p-paul", matchedBy: "fuzzy" });
    expect(resolvePerson("Andrew Coper", people, attendees)).toMatchObject({ personId: "p-andrew", matchedBy: "fuzzy" });
    expect(resolvePerson("Jeny", people, attendees)).toMatchObject({ personId: "p-jenny", matchedBy: "fuzzy" });
  });

  it("unmatched names", () => {
    expect(resolvePerson("Igor Druzhinin", people, attendees)).toEqual({ personId: null, candidates: [], matchedBy: null });
    expect(resolvePerson("Paul Smith", people)).toEqual({ personId: null, candidates: [], matchedBy: null });
    expect(resolvePerson("  ", people)).toEqual({ personId: null, candidates: [], matchedBy: null });
  });
});

describe("matchReviewToItems", () => {
  const open = [
    { id: "a1", text: "Andrew to double check dm-op sub ops for continuation support", ownerNames: ["Andrew"] },
    { id: "a2", text: "Igor to implement and post patches to create new mem map function", ownerNames: ["Igor"] },
    { id: "a3", text: "Ian to look at using an FD for QMP cd insert and emulated hotplug", ownerNames: ["Ian"] },
    { id: "a4", text: "Jenny to create internal jira tickets looking at removing other uses of XenStore in QEMU", ownerNames: ["Jenny"] },
  ];

  it("matches by owner and text", () => {
    const m = matchReviewToItems({ text: "Andrew to double check dm-op sub ops for continuation support.", ownerNames: ["Andrew"] }, open);
    expect(m?.itemId).toBe("a1");
    expect(m?.ownerMatched).toBe(true);
    expect(m?.score).toBeGreaterThan(0.9);
  });

  it("uses the note when the point is only a name", () => {
    const m = matchReviewToItems(
      { text: "Ian", ownerNames: ["Ian"], note: "with using an FD for QMP cd insert and emulated hotplug, due to feature freeze" },
      open,
    );
    expect(m?.itemId).toBe("a3");
  });

  it("first name matches a full-name owner", () => {
    const m = matchReviewToItems({ text: "Igor Druzhinin to post patches for the new mem map function", ownerNames: ["Igor Druzhinin"] }, open);
    expect(m?.itemId).toBe("a2");
  });

  it("returns null when nothing is similar or owners differ", () => {
    expect(matchReviewToItems({ text: "Paul to carry on with Xen device model work.", ownerNames: ["Paul"] }, open)).toBeNull();
    expect(matchReviewToItems({ text: "Paul to look at using an FD for QMP cd insert", ownerNames: ["Paul"] }, open)).toBeNull();
    expect(matchReviewToItems({ text: "Andrew to double check", ownerNames: ["Andrew"] }, [])).toBeNull();
  });
});
