import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildImportPreview, decodeInput, type ImportPreview, type PersonRef } from "@/lib/minutes";
import { REAL_POST, fixture } from "./helpers";

const people: PersonRef[] = [
  { id: "p-paul", displayName: "Paul Durrant", aliases: [] },
  { id: "p-andrew", displayName: "Andrew Cooper", aliases: [] },
  { id: "p-ian", displayName: "Ian Jackson", aliases: [] },
  { id: "p-jenny", displayName: "Jenny Herbert", aliases: [] },
  { id: "p-igor", displayName: "Igor Druzhinin", aliases: [] },
  { id: "p-marcus", displayName: "Marcus Granado", aliases: [] },
];
const openItems = [
  { id: "ai-1", text: "Paul to carry on with Xen device model work", ownerNames: ["Paul"] },
  { id: "ai-2", text: "Andrew to look over Ian's patch series to see how bad extra XenStore permission would be", ownerNames: ["Andrew"] },
  { id: "ai-3", text: "Ian to look at re factoring libxl split and XenStore restrictions", ownerNames: ["Ian"] },
];

describe("buildImportPreview", () => {
  it("previews the real post: names resolved or flagged, reviews matched, JSON-serializable", async () => {
    const preview = buildImportPreview(await decodeInput(readFileSync(REAL_POST)), { people, openItems });
    const roundTripped = JSON.parse(JSON.stringify(preview)) as ImportPreview;
    expect(roundTripped).toEqual(preview);
    expect(preview.ok).toBe(true);
    expect(preview.counts).toEqual({ messages: 1, minutes: 1, skipped: 0, errors: 0, duplicates: 0 });
    const msg = preview.messages[0];
    if (msg.status !== "minutes") throw new Error("expected minutes");
    expect(msg.unmatchedNames).toEqual(["Simon Crow"]);
    expect(msg.minutes.attendees.find((a) => a.name === "Simon Crow")).toMatchObject({ unmatched: true, personId: null });
    expect(msg.minutes.reviews.map((r) => r.owners[0].personId)).toEqual(["p-paul", "p-ian", "p-andrew", "p-jenny"]);
    expect(msg.minutes.reviews.map((r) => r.match?.itemId ?? null)).toEqual(["ai-1", "ai-3", "ai-2", null]);
    expect(msg.minutes.actionItems.map((a) => a.owners[0].matchedBy)).toEqual(["first-name", "first-name", "first-name", "first-name"]);
    expect(msg.minutes.date).toBe("2017-05-10");
    expect(msg.minutes.warnings.length).toBeGreaterThan(0);
  });

  it("previews an mbox: minutes, a skipped reply with its reason, an error entry, duplicates", async () => {
    const mbox = fixture("several.mbox").toString("latin1");
    // The same minutes twice (another copy of the first message) must be flagged as a duplicate.
    const doubled = mbox + mbox.slice(0, mbox.indexOf("From MAILER-DAEMON"));
    const preview = buildImportPreview(await decodeInput(Buffer.from(doubled, "latin1")), { people, openItems: [], knownFingerprints: [] });
    expect(preview.messages.map((m) => m.status)).toEqual(["minutes", "error", "skipped", "minutes", "minutes"]);
    expect(preview.counts).toEqual({ messages: 5, minutes: 3, skipped: 1, errors: 1, duplicates: 1 });
    const skipped = preview.messages[2];
    expect(skipped.status === "skipped" && skipped.reason).toMatch(/Not meeting minutes/);
    const dup = preview.messages[4];
    expect(dup.status === "minutes" && dup.duplicateOf).toBe(0);
    const err = preview.messages[1];
    expect(err.status === "error" && err.error.code).toBe("malformed");
  });

  it("flags minutes already imported by fingerprint", async () => {
    const decoded = await decodeInput(fixture("present-line.txt"));
    const first = buildImportPreview(decoded, { people, openItems: [] });
    const m = first.messages[0];
    if (m.status !== "minutes") throw new Error("expected minutes");
    expect(m.alreadyImported).toBe(false);
    const again = buildImportPreview(decoded, { people, openItems: [], knownFingerprints: [m.minutes.fingerprint] });
    expect(again.messages[0].status === "minutes" && again.messages[0].alreadyImported).toBe(true);
  });

  it("reports a refused input", async () => {
    const preview = buildImportPreview(await decodeInput(""), { people, openItems });
    expect(preview).toMatchObject({ ok: false, error: { code: "empty" }, messages: [] });
  });
});
