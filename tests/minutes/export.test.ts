import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatLongDate } from "@/lib/minutes/dates";
import { exportMinutesMarkdown, exportMinutesText, type ExportableMeeting } from "@/lib/minutes/export";
import { joinOwners } from "@/lib/minutes/owners";
import { parseMinutes } from "@/lib/minutes/parse";
import { width } from "@/lib/minutes/text";
import type { ParsedMinutes, ReviewStatus } from "@/lib/minutes/types";
import { REAL_POST, decodeAll, parseOne } from "./helpers";

async function roundTrip(m: ExportableMeeting): Promise<ParsedMinutes> {
  const [msg] = await decodeAll(exportMinutesText(m));
  const p = parseMinutes(msg);
  if (p.kind !== "minutes") throw new Error(`exported minutes not recognised: ${p.reason}`);
  return p;
}

function checkLines(text: string) {
  const lines = text.split("\n");
  for (const l of lines) expect(width(l), l).toBeLessThanOrEqual(72);
  for (let i = 1; i < lines.length; i++) {
    if (/^[=-]+$/.test(lines[i])) expect(lines[i].length, `underline of "${lines[i - 1]}"`).toBe(width(lines[i - 1]));
  }
  expect(lines.some((l) => /\s$/.test(l))).toBe(false);
}

const sample: ExportableMeeting = {
  series: "QEMU XenServer/XenProject Working group",
  date: "2017-05-10",
  attendees: ["Paul Durrant", "Jürgen Groß"],
  reviews: [
    { text: "Paul to carry on with Xen device model work.", ownerNames: ["Paul"], status: "done", note: "" },
    {
      text: "Ian",
      ownerNames: ["Ian"],
      status: "no_progress",
      note: "with re factoring libxl split, XenStore restrictions or using and FD for QMP cd insert and emulated hotplug, due to feature freeze.",
    },
    { text: "review the physmap series", ownerNames: ["Jürgen"], status: "in_progress", note: "Half done." },
  ],
  discussion: "First paragraph.\n\n- a point\n- another point",
  actionItems: [
    { text: "Andrew to double check dm-op sub ops for continuation support", ownerNames: ["Andrew"] },
    { text: "Implement the new phymap mechanism in QEMU and post patches to create the new mem map function", ownerNames: ["Igor", "Paul Durrant"] },
  ],
};

describe("exportMinutesText", () => {
  const text = exportMinutesText(sample);

  it("writes the group's form", () => {
    expect(text).toBe(
      [
        "QEMU XenServer/XenProject Working group meeting 10th May 2017",
        "=============================================================",
        "",
        "Attendees:",
        "* Paul Durrant",
        "* Jürgen Groß",
        "",
        "Reviewed previous action points",
        "",
        "* Paul to carry on with Xen device model work. - Done.",
        "* Ian - No progress with re factoring libxl split, XenStore restrictions",
        "  or using and FD for QMP cd insert and emulated hotplug, due to feature",
        "  freeze.",
        "* Jürgen to review the physmap series - In progress. Half done.",
        "",
        "First paragraph.",
        "",
        "* a point",
        "* another point",
        "",
        "Action Items",
        "------------",
        "",
        "* Andrew to double check dm-op sub ops for continuation support",
        "* Igor and Paul Durrant to implement the new phymap mechanism in QEMU",
        "  and post patches to create the new mem map function",
        "",
      ].join("\n"),
    );
    checkLines(text);
  });

  it("is read back by the parser (owners canonicalised into the text)", async () => {
    const p = await roundTrip(sample);
    expect(p.reviews[2]).toMatchObject({ text: "Jürgen to review the physmap series", ownerNames: ["Jürgen"], status: "in_progress", note: "Half done." });
    expect(p.actionItems[1]).toMatchObject({ ownerNames: ["Igor", "Paul Durrant"] });
    expect(p.discussion).toBe("First paragraph.\n\n- a point\n- another point");
  });

  it("re-exports the real post within 72 columns and reads it back the same", async () => {
    const real = await parseOne(readFileSync(REAL_POST));
    const m: ExportableMeeting = { ...real, series: real.series as string, date: real.date as string, title: undefined };
    const out = exportMinutesText(m);
    checkLines(out);
    const back = await roundTrip(m);
    expect(back.attendees).toEqual(real.attendees);
    expect(back.reviews.map(({ statusWords: _s, ...r }) => r)).toEqual(real.reviews.map(({ statusWords: _s, ...r }) => r));
    expect(back.actionItems.map((a) => [a.text, a.ownerNames])).toEqual(real.actionItems.map((a) => [a.text, a.ownerNames]));
    expect(back.discussion).toBe(real.discussion);
    expect(back.date).toBe("2017-05-10");
    expect(back.fingerprint).toBe(real.fingerprint);
  });

  it("exports Markdown", () => {
    const md = exportMinutesMarkdown(sample);
    expect(md.startsWith("# QEMU XenServer/XenProject Working group meeting 10th May 2017\n")).toBe(true);
    expect(md).toContain("- Paul to carry on with Xen device model work. — **Done**");
    expect(md).toContain("- [ ] Igor and Paul Durrant to implement the new phymap mechanism");
    expect(md).toContain("## Discussion\n\nFirst paragraph.");
  });
});

// ---- Round-trip property over generated meetings -------------------------------------------

const FIRST = [
  "Paul",
  "Andrew",
  "Ian",
  "Jenny",
  "Igor",
  "Simon",
  "Marcus",
  "Roger",
  "Jürgen",
  "Anthony",
  "Wei",
  "Julien",
  "Stefano",
  "Élodie",
  "Zoë",
  "Marek",
  "Olaf",
  "George",
];
const LAST = [
  "Durrant",
  "Cooper",
  "Jackson",
  "Herbert",
  "Druzhinin",
  "Crow",
  "Granado",
  "Pau Monné",
  "Groß",
  "Perard",
  "Liu",
  "Grall",
  "Stabellini",
  "Marczykowski-Górecki",
  "Hering",
  "Dunlap",
  "O'Neill",
];
const VERBS = [
  "look at",
  "implement",
  "post patches for",
  "review",
  "double check",
  "write up",
  "rebase",
  "test",
  "benchmark",
  "document",
  "send upstream",
  "investigate",
  "prototype",
];
const OBJECTS = [
  "the dm-op sub ops",
  "the physmap keys",
  "the xs-restrict patch queue",
  "QMP cd insert",
  "emulated hotplug",
  "the ioreq server series",
  "the confluence page",
  "the libxl split",
  "XenStore restrictions",
  "the new mem map function",
  "QEMU depriv",
  "the qdisk backend",
  "the 4.9 release notes",
  "vram access in QXL",
  "the shutdown keys",
];
const TAILS = [
  "",
  "for continuation support",
  "before the feature freeze",
  "with Igor",
  "in QEMU",
  "on xen-devel",
  "and report back",
  "for 4.10",
  "using a shared page",
  "in XenServer",
];
const NOTES = [
  "Patches posted",
  "waiting for review",
  "blocked on the feature freeze",
  "first half posted as RFC",
  "see the thread on xen-devel",
  "XenServer is continuing to make slow progress",
  "due to other work",
  "with help from Andrew",
  "Needs a rebase on staging",
  "about half of it",
];
const DISCUSS = [
  "The group discussed {o} {t}.",
  "{n} explained how {o} works {t}.",
  "It was agreed that {o} needs removing.",
  "{n} suggested looking at {o} {t}.",
  "Concerns were raised about {o}, but nobody objected.",
  "There is little use of {o} in the hvm case.",
  "A new library call could be written for {o}.",
];
const STATUSES: ReviewStatus[] = ["done", "in_progress", "no_progress", "carried_over", "dropped", "unknown"];
const SERIES = ["QEMU XenServer/XenProject Working group", "Xen device model working group", "Device model WG", "XenServer QEMU upstreaming sync"];

const tidy = (s: string) => s.replace(/\s+/g, " ").trim();
const person = fc.tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST)).map(([f, l]) => `${f} ${l}`);
const ownerName = fc.oneof(fc.constantFrom(...FIRST), person);
const owners = fc.uniqueArray(ownerName, { minLength: 1, maxLength: 3, selector: (n) => n.split(" ")[0] });
const clause = fc.tuple(fc.constantFrom(...VERBS), fc.constantFrom(...OBJECTS), fc.constantFrom(...TAILS)).map(([v, o, t]) => tidy(`${v} ${o} ${t}`));
const task = fc.tuple(fc.array(clause, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([cs, dot]) => cs.join(", and to ") + (dot ? "." : ""));
const ownedText = fc.tuple(owners, task).map(([os, t]) => ({ text: `${joinOwners(os)} to ${t}`, ownerNames: os }));
const ownerless = fc
  .tuple(fc.constantFrom(...OBJECTS), fc.constantFrom(...TAILS))
  .map(([o, t]) => ({ text: tidy(`The ${o.replace(/^the /, "")} ${t}`), ownerNames: [] as string[] }));
const note = fc.oneof(
  { weight: 2, arbitrary: fc.constant("") },
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...NOTES), { minLength: 1, maxLength: 3 }).map((ns) => ns.join(", ") + ".") },
);
const review = fc.oneof(
  fc.tuple(ownedText, fc.constantFrom(...STATUSES), note).map(([t, status, n]) => ({ ...t, status, note: n })),
  // "Ian - No progress with …": the point is only the owner's name.
  fc.tuple(ownerName, fc.constantFrom(...STATUSES), note).map(([o, status, n]) => ({ text: o, ownerNames: [o], status, note: n })),
  fc.tuple(ownerless, fc.constantFrom(...STATUSES), note).map(([t, status, n]) => ({ ...t, status, note: n })),
);
const sentence = fc
  .tuple(fc.constantFrom(...DISCUSS), fc.constantFrom(...FIRST), fc.constantFrom(...OBJECTS), fc.constantFrom(...TAILS))
  .map(([d, n, o, t]) => tidy(d.replace("{n}", n).replace("{o}", o).replace("{t}", t)).replace(/ \./, ".").replace(/^the/, "The"));
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 6 }).map((ss) => ss.join(" "));
const isoDate = fc
  .date({ min: new Date("2010-01-01T00:00:00Z"), max: new Date("2035-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const meeting: fc.Arbitrary<ExportableMeeting> = fc.record({
  series: fc.constantFrom(...SERIES),
  date: isoDate,
  attendees: fc.uniqueArray(person, { minLength: 0, maxLength: 9 }),
  reviews: fc.array(review, { maxLength: 6 }),
  discussion: fc.array(paragraph, { maxLength: 4 }).map((ps) => ps.join("\n\n")),
  actionItems: fc.array(fc.oneof({ weight: 5, arbitrary: ownedText }, { weight: 1, arbitrary: ownerless }), { maxLength: 6 }),
});

describe("round trip: parseMinutes(decode(exportMinutesText(m)))", () => {
  it("reproduces attendees, reviews, action items, discussion, series and date (300 runs)", async () => {
    await fc.assert(
      fc.asyncProperty(meeting, async (m) => {
        const text = exportMinutesText(m);
        checkLines(text);
        const p = await roundTrip(m);
        expect(p.attendees).toEqual(m.attendees);
        expect(p.reviews.map((r) => ({ text: r.text, ownerNames: r.ownerNames, status: r.status, note: r.note }))).toEqual(m.reviews);
        expect(p.actionItems.map((a) => ({ text: a.text, ownerNames: a.ownerNames }))).toEqual(m.actionItems);
        expect(p.discussion).toBe(m.discussion);
        expect(p.series).toBe(m.series);
        expect(p.date).toBe(m.date);
        expect(p.title).toBe(`${m.series} meeting ${formatLongDate(m.date)}`);
      }),
      { numRuns: 300 },
    );
  });
});
