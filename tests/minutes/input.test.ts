import { describe, expect, it } from "vitest";
import { decodeInput, isInputError, MAX_INPUT_BYTES, splitMbox } from "@/lib/minutes/input";
import { parseMinutes } from "@/lib/minutes/parse";
import { decodeAll, fixture, parseOne } from "./helpers";

describe("decodeInput: single messages", () => {
  it("reads pasted text as one text message", async () => {
    const [m] = await decodeAll("Attendees:\n* Paul Durrant\n");
    expect(m).toMatchObject({ index: 0, source: "text", messageId: null, subject: null, date: null, from: null });
    expect(m.text).toBe("Attendees:\n* Paul Durrant\n");
  });

  it("normalises CRLF and drops a UTF-8 BOM", async () => {
    const [m] = await decodeAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a\r\nb\r\n")]));
    expect(m.text).toBe("a\nb\n");
  });

  it("decodes a base64 .eml (headers, encoded-word subject, UTF-8 body)", async () => {
    const [m] = await decodeAll(fixture("base64.eml"), "base64.eml");
    expect(m.source).toBe("eml");
    expect(m.messageId).toBe("<b64-minutes-1@example.com>");
    expect(m.subject).toBe("[Xen-devel] QEMU XenServer/XenProject Working group meeting 10th May 2017");
    expect(m.from).toBe("Jenny Herbert <jenny.herbert@example.com>");
    expect(m.date?.toISOString()).toBe("2017-05-10T15:12:03.000Z");
    expect(m.text).toContain("* Jürgen Groß");
    expect(m.text).toContain("Jenny – XenServer");
  });

  it("decodes a quoted-printable .eml (soft line breaks joined, =E2=80=93 decoded)", async () => {
    const [m] = await decodeAll(fixture("quoted-printable.eml"));
    expect(m.source).toBe("eml");
    expect(m.from).toBe("Jürgen Groß <jgross@example.com>");
    expect(m.text).toContain("XenStore – nobody objected.");
    expect(m.text).not.toMatch(/nob=\n|=3D|=C3|=E2/);
    expect(m.text).toContain("=".repeat(61));
  });

  it("parses both .eml fixtures into the same minutes as each other", async () => {
    const a = await parseOne(fixture("base64.eml"));
    const b = await parseOne(fixture("quoted-printable.eml"));
    expect(a.attendees).toEqual(["Paul Durrant", "Jürgen Groß", "Jenny Herbert"]);
    expect(b.attendees).toEqual(a.attendees);
    expect(b.actionItems.map((x) => x.text)).toEqual(["Jürgen to write up the physmap proposal."]);
    expect(a.mailDate).toBe("2017-05-10");
    expect(b.mailDate).toBe("2017-05-11");
    expect(a.date).toBe("2017-05-10");
    expect(b.date).toBe("2017-05-10");
  });

  it("does not take a text starting with 'Attendees:' for a mail header", async () => {
    const [m] = await decodeAll("Attendees: Paul, Ian\n\nAction Items\n* Paul to do it\n");
    expect(m.source).toBe("text");
  });
});

describe("decodeInput: mbox", () => {
  it("splits messages, un-escapes >From lines, isolates the malformed entry", async () => {
    const msgs = await decodeAll(fixture("several.mbox"), "several.mbox");
    expect(msgs.map((m) => m.source)).toEqual(["mbox", "mbox", "mbox", "mbox"]);
    expect(msgs.map((m) => m.index)).toEqual([0, 1, 2, 3]);
    expect(msgs[0].text).toContain("\nFrom the toolstack side nothing changes");
    expect(msgs[0].text).toContain("\n>From the archive, quoted twice");
    expect(msgs[1].error?.code).toBe("malformed");
    expect(msgs[1].error?.message).toMatch(/Message 2/);
    expect(msgs[0].error).toBeUndefined();
    expect(msgs[2].messageId).toBe("<mbox-3@example.com>");
    expect(msgs[3].text).toContain("Igor to post the physmap series."); // base64 body inside the mbox
  });

  it("parses the minutes and skips the reply with a reason", async () => {
    const msgs = await decodeAll(fixture("several.mbox"));
    const parsed = msgs.map(parseMinutes);
    expect(parsed.map((p) => p.kind)).toEqual(["minutes", "not_minutes", "not_minutes", "minutes"]);
    const reply = parsed[2];
    expect(reply.kind === "not_minutes" && reply.reason).toMatch(/no attendees.*no action items/);
    const last = parsed[3];
    expect(last.kind === "minutes" && last.date).toBe("2017-05-24");
  });

  it("only splits on separator lines at the start or after a blank line", () => {
    const raw =
      "From a@b Wed May 10 16:12:03 2017\nSubject: x\n\nbody\nFrom b@c Wed May 10 16:12:03 2017 in prose\n\nFrom c@d Thu May 11 10:00:00 2017\nSubject: y\n\nz\n";
    const parts = splitMbox(raw);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain("From b@c Wed May 10");
  });

  it("un-escapes mboxrd quoting by exactly one level", () => {
    const raw = "From a@b Wed May 10 16:12:03 2017\nSubject: x\n\n>From one\n>>From two\n>>>From three\n> From not-escaped\n";
    expect(splitMbox(raw)[0]).toBe("Subject: x\n\nFrom one\n>From two\n>>From three\n> From not-escaped");
  });
});

describe("decodeInput: refused inputs", () => {
  it("empty and whitespace-only", async () => {
    for (const input of ["", "   \n\n\t", Buffer.alloc(0)]) {
      const r = await decodeInput(input);
      expect(isInputError(r) && r.code).toBe("empty");
    }
  });

  it("binary: NUL bytes", async () => {
    const r = await decodeInput(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), "minutes.zip");
    expect(isInputError(r) && r.code).toBe("binary");
    expect(isInputError(r) && r.message).toMatch(/NUL/);
  });

  it("binary: mostly invalid UTF-8 without NULs", async () => {
    const bytes = Buffer.alloc(4000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = 0x80 + ((i * 37) % 0x7f);
    const r = await decodeInput(bytes);
    expect(isInputError(r) && r.code).toBe("binary");
  });

  it("accepts a few stray latin-1 bytes in otherwise text input", async () => {
    const r = await decodeInput(Buffer.concat([Buffer.from("Attendees:\n* Paul Durrant\n".repeat(20)), Buffer.from([0xe9])]));
    expect(Array.isArray(r)).toBe(true);
  });

  it("a 50 MB file is refused without being parsed", async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    // Refused on its size alone: any look at the content would throw.
    for (const read of ["subarray", "slice", "toString", "includes", "indexOf"] as const) {
      Object.defineProperty(big, read, {
        value: () => {
          throw new Error(`the content was read (${read})`);
        },
      });
    }
    const r = await decodeInput(big, "huge.mbox");
    expect(isInputError(r) && r.code).toBe("too_large");
    expect(isInputError(r) && r.message).toMatch(/50\.0 MB.*10\.0 MB/);
  });

  it("a string just over the limit is refused too, one at the limit is not", async () => {
    const over = await decodeInput("a".repeat(MAX_INPUT_BYTES + 1));
    expect(isInputError(over) && over.code).toBe("too_large");
    const multiByte = await decodeInput("é".repeat(MAX_INPUT_BYTES / 2 + 1)); // chars < limit, bytes > limit
    expect(isInputError(multiByte) && multiByte.code).toBe("too_large");
  });

  it("the whole-input error for a lone .eml that mailparser finds no text in", async () => {
    const r = await decodeInput("From: a@b.c\nSubject: x\nContent-Type: text/plain\n\n\n");
    expect(isInputError(r) && r.code).toBe("malformed");
  });
});
