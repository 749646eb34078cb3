import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_MESSAGE_BYTES, QmpFrameDecoder, QmpProtocolError, type QmpFrame } from "@/lib/devmodel/qmp";

const enc = (s: string) => Buffer.from(s, "utf8");
const messages = (frames: QmpFrame[]) => frames.flatMap((f) => (f.kind === "message" ? [f.message] : []));
const errors = (frames: QmpFrame[]) => frames.flatMap((f) => (f.kind === "error" ? [f.error] : []));

/** Split `buf` at the given (sorted, deduplicated) offsets. */
function split(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe("QmpFrameDecoder", () => {
  it("decodes CRLF- and LF-terminated objects, across chunk boundaries", () => {
    const d = new QmpFrameDecoder();
    expect(d.push(enc('{"return": {}, "id": 1}\r\n{"event": "ST'))).toEqual([{ kind: "message", message: { return: {}, id: 1 } }]);
    expect(d.bufferedBytes).toBe(13);
    expect(d.push(enc('OP"}\n\r\n  \n{"a":"é"}\r'))).toEqual([{ kind: "message", message: { event: "STOP" } }]);
    expect(messages(d.push(enc("\n")))).toEqual([{ a: "é" }]);
    expect(d.bufferedBytes).toBe(0);
  });

  it("keeps a multi-byte UTF-8 character split between chunks intact", () => {
    const d = new QmpFrameDecoder();
    const b = enc('{"name": "gäst"}\r\n');
    const cut = b.indexOf(0xc3) + 1;
    expect(d.push(b.subarray(0, cut))).toEqual([]);
    expect(messages(d.push(b.subarray(cut)))).toEqual([{ name: "gäst" }]);
  });

  it("reports non-JSON and non-object lines as typed errors and recovers", () => {
    const d = new QmpFrameDecoder();
    const frames = d.push(enc('garbage\r\n[1,2]\r\n"str"\r\n{"ok": true}\r\n'));
    const errs = errors(frames);
    expect(errs.map((e) => e.reason)).toEqual(["json", "not-object", "not-object"]);
    expect(errs.every((e) => e instanceof QmpProtocolError)).toBe(true);
    expect(messages(frames)).toEqual([{ ok: true }]);
  });

  it("bounds a message's size: reports oversize once, skips the line, continues", () => {
    const d = new QmpFrameDecoder({ maxMessageBytes: 32 });
    const f1 = d.push(enc('{"x": "' + "a".repeat(40)));
    expect(errors(f1).map((e) => e.reason)).toEqual(["oversize"]);
    expect(d.bufferedBytes).toBe(0);
    expect(d.push(enc("b".repeat(10_000)))).toEqual([]);
    expect(d.bufferedBytes).toBe(0);
    expect(messages(d.push(enc('"}\r\n{"id": 2}\r\n')))).toEqual([{ id: 2 }]);
    // A complete line over the bound in one chunk is refused too.
    expect(errors(d.push(enc('{"y": "' + "c".repeat(40) + '"}\n'))).map((e) => e.reason)).toEqual(["oversize"]);
    // Exactly at the bound (CR counted) is fine.
    const exact = '{"z": "' + "d".repeat(32 - 10) + '"}\r';
    expect(Buffer.byteLength(exact)).toBe(32);
    expect(messages(d.push(enc(exact + "\n")))).toHaveLength(1);
  });

  it("defaults to libxl's 1 MiB bound", () => {
    expect(new QmpFrameDecoder().maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBe(1024 * 1024);
    expect(() => new QmpFrameDecoder({ maxMessageBytes: 0 })).toThrow(RangeError);
  });

  it("end() reports a truncated message, not trailing whitespace", () => {
    const d = new QmpFrameDecoder();
    d.push(enc('{"return": '));
    expect(errors(d.end()).map((e) => e.reason)).toEqual(["json"]);
    d.push(enc("  \r"));
    expect(d.end()).toEqual([]);
  });

  // --- property-based -------------------------------------------------------

  const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

  it("round-trips any objects, any terminator, any chunking (10,000 runs)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(jsonObject, fc.constantFrom("\r\n", "\n")), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (objs, cuts) => {
        const wire = enc(objs.map(([o, t]) => JSON.stringify(o) + t).join(""));
        const d = new QmpFrameDecoder();
        const frames = split(wire, cuts).flatMap((c) => d.push(c));
        expect(errors(frames)).toEqual([]);
        // JSON round trip normalises -0 and the like, as the wire does.
        expect(messages(frames)).toEqual(objs.map(([o]) => JSON.parse(JSON.stringify(o))));
        expect(d.bufferedBytes).toBe(0);
      }),
      { numRuns: 10_000 },
    );
  });

  it("never throws, never buffers past the bound, and yields only typed frames on garbage (10,000 runs)", () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.constantFrom(enc("\r\n"), enc("\n"), enc("{"), enc("}"), enc('{"return": {}}\r\n'), enc('"'), enc("\\")),
      fc.string({ maxLength: 40 }).map(enc),
      fc.nat({ max: 300 }).map((n) => Buffer.alloc(n, 0x61)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 128 }), fc.array(chunk, { maxLength: 20 }), (max, chunks) => {
        const d = new QmpFrameDecoder({ maxMessageBytes: max });
        for (const c of chunks) {
          const frames = d.push(c);
          for (const f of frames) {
            if (f.kind === "error") expect(f.error).toBeInstanceOf(QmpProtocolError);
            else expect(typeof f.message === "object" && f.message !== null && !Array.isArray(f.message)).toBe(true);
          }
          expect(d.bufferedBytes).toBeLessThanOrEqual(max);
        }
        for (const f of d.end()) expect(f.kind === "error" && f.error instanceof QmpProtocolError).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it("recovers after garbage and oversize lines: a following valid message is always decoded (10,000 runs)", () => {
    const badLine = fc.oneof(
      fc
        .string({ maxLength: 30 })
        .filter((s) => !s.includes("\n"))
        .map((s) => s + "x"),
      fc.nat({ max: 200 }).map((n) => "{" + "z".repeat(n + 70)),
    );
    fc.assert(
      fc.property(badLine, jsonObject, fc.array(fc.nat(), { maxLength: 5 }), (bad, good, cuts) => {
        const goodText = JSON.stringify(good);
        fc.pre(Buffer.byteLength(goodText) < 64);
        const d = new QmpFrameDecoder({ maxMessageBytes: 64 });
        const frames = split(enc(bad + "\r\n" + goodText + "\r\n"), cuts).flatMap((c) => d.push(c));
        expect(errors(frames).length).toBeLessThanOrEqual(1);
        expect(messages(frames).at(-1)).toEqual(JSON.parse(goodText));
      }),
      { numRuns: 10_000 },
    );
  });
});
