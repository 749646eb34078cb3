/**
 * Property-based fuzzing of both parsers: the client's frame decoder and the simulated server's
 * request handling (decoder + dispatch). Garbage must produce typed errors or a clean wait for
 * more bytes — never an untyped throw, a hang, or a buffer that grows past one frame.
 */
import net from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FrameDecoder,
  HEADER_SIZE,
  XENSTORE_PAYLOAD_MAX,
  XS,
  XenStoreClient,
  XenStoreProtocolError,
  encodeFrame,
  encodeHeader,
  isKnownType,
  isXenStoreFailure,
  joinStrings,
  splitStrings,
  type XsFrame,
} from "@/lib/devmodel/xenstore";
import { XenStoreServer, XsStore } from "@/lib/devmodel/sim/xenstored";
import { tempSocketDir } from "./helpers";

const RUNS = 10_000;

/** Cheap assertion for hot fuzz loops (expect() per byte-level check dominates the runtime). */
function check(cond: boolean, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}
const MAX_BUFFERED = HEADER_SIZE + XENSTORE_PAYLOAD_MAX;
const KNOWN_TYPES = Object.values(XS);

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const anyType = fc.oneof(fc.constantFrom(...KNOWN_TYPES), fc.integer({ min: 0, max: 40 }), u32);
const len = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(4095, 4096, 4097, 65536, 0xffffffff), u32);

/** A header with arbitrary fields, optionally followed by some payload bytes. */
const headerish = fc
  .record({ type: anyType, reqId: u32, txId: u32, len, body: fc.uint8Array({ maxLength: 80 }) })
  .map(({ type, reqId, txId, len, body }) => Buffer.concat([encodeHeader({ type, reqId, txId, len }), body]));
const validFrame = fc
  .record({ type: fc.constantFrom(...KNOWN_TYPES), reqId: u32, txId: u32, payload: fc.uint8Array({ maxLength: 120 }) })
  .map(({ type, reqId, txId, payload }) => encodeFrame(type, reqId, txId, Buffer.from(payload)));
const garbage = fc.uint8Array({ maxLength: 96 }).map((a) => Buffer.from(a));
/** Enough bytes to complete an oversize frame if the length check were missing. */
const bigGarbage = fc.record({ n: fc.integer({ min: 4000, max: 9000 }), fill: fc.integer({ min: 0, max: 255 }) }).map(({ n, fill }) => Buffer.alloc(n, fill));
const chunkStream = fc.array(
  fc.oneof({ arbitrary: garbage, weight: 4 }, { arbitrary: headerish, weight: 4 }, { arbitrary: validFrame, weight: 4 }, { arbitrary: bigGarbage, weight: 1 }),
  { maxLength: 12 },
);

describe("client frame decoder (fuzz)", () => {
  it(`never throws, stays bounded and poisons itself on the first error (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(chunkStream, fc.boolean(), (chunks, strictTypes) => {
        const d = new FrameDecoder(strictTypes ? { acceptType: isKnownType } : {});
        let poisoned: XenStoreProtocolError | null = null;
        for (const c of chunks) {
          const r = d.push(c);
          if (poisoned) {
            check(r.error === poisoned && r.frames.length === 0, "decoder not poisoned");
            continue;
          }
          for (const f of r.frames) {
            check(f.payload.length <= XENSTORE_PAYLOAD_MAX, "oversize frame");
            if (strictTypes) check(isKnownType(f.type), `unknown type ${f.type}`);
          }
          if (r.error) {
            check(r.error instanceof XenStoreProtocolError, "untyped error");
            poisoned = r.error;
          }
          check(d.buffered < MAX_BUFFERED, `decoder buffers ${d.buffered} bytes`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`reassembles valid frames however the stream is cut (${RUNS} runs)`, () => {
    const frameArb = fc.record({
      type: fc.constantFrom(...KNOWN_TYPES),
      reqId: u32,
      txId: u32,
      payload: fc.oneof(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 4000, max: 4096 }).map((n) => new Uint8Array(n).fill(7)),
      ),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), (frames, cutSeeds) => {
        const bytes = Buffer.concat(frames.map((f) => encodeFrame(f.type, f.reqId, f.txId, Buffer.from(f.payload))));
        const cuts = [...new Set(cutSeeds.map((c) => (bytes.length ? c % bytes.length : 0)))].sort((a, b) => a - b);
        const d = new FrameDecoder({ acceptType: isKnownType });
        const out: XsFrame[] = [];
        let prev = 0;
        for (const cut of [...cuts, bytes.length]) {
          const r = d.push(bytes.subarray(prev, cut));
          check(r.error === null, String(r.error));
          out.push(...r.frames);
          prev = cut;
        }
        check(d.buffered === 0, "bytes left over");
        check(out.length === frames.length, `decoded ${out.length} of ${frames.length} frames`);
        out.forEach((f, i) => {
          const g = frames[i];
          check(f.type === g.type && f.reqId === g.reqId && f.txId === g.txId, `header ${i} differs`);
          check(f.payload.equals(Buffer.from(g.payload)), `payload ${i} differs`);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

/** Every node is listed by its parent and every listed child exists: the tree stayed a tree. */
function assertTreeConsistent(store: XsStore): void {
  for (const p of store.paths("/")) {
    for (const c of store.list(p)!) check(store.exists(p === "/" ? `/${c}` : `${p}/${c}`), `dangling child ${c} of ${p}`);
  }
  check(store.paths("/").length === store.size, "unreachable nodes in the store");
}

describe("simulated xenstored request parser (fuzz)", () => {
  it(`answers garbage with well-formed frames or drops the connection (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(chunkStream, (chunks) => {
        const server = new XenStoreServer();
        const s = server.openSession();
        const replies = new FrameDecoder({ acceptType: isKnownType });
        for (const c of chunks) {
          const wasClosed = s.closed;
          const out = s.push(c);
          if (wasClosed) check(out.length === 0, "answered after closing");
          const r = replies.push(out);
          check(r.error === null, String(r.error));
          for (const f of r.frames) {
            check(f.payload.length <= XENSTORE_PAYLOAD_MAX, "oversize reply");
            if (f.type === XS.ERROR) check(/^E[A-Z0-9]+$/.test(splitStrings(f.payload)[0] ?? ""), "bad errno");
          }
          check(s.buffered < MAX_BUFFERED, `server buffers ${s.buffered} bytes`);
        }
        check(replies.buffered === 0, "partial reply frame"); // replies are always whole frames
        assertTreeConsistent(server.store);
      }),
      { numRuns: RUNS },
    );
  });

  it(`answers every well-framed request exactly once, keeping the tree consistent (${RUNS} runs)`, () => {
    const seg = fc.constantFrom("local", "domain", "0", "1", "vm", "a", "b", "@introduceDomain", "x y", "");
    const pathArb = fc.array(seg, { minLength: 0, maxLength: 4 }).chain((segs) => fc.constantFrom("/" + segs.join("/"), segs.join("/"), "/" + segs.join("//")));
    const arg = fc.oneof(pathArb, fc.constantFrom("T", "F", "0", "5", "n0", "r1", "b", "tok", ""), fc.string({ maxLength: 8 }));
    const request = fc.record({
      type: fc.oneof(fc.constantFrom(...KNOWN_TYPES), u32),
      tx: fc.oneof(fc.constant("none" as const), fc.constant("last" as const), u32),
      args: fc.array(arg, { maxLength: 4 }),
      terminated: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 15 }), (reqs) => {
        const server = new XenStoreServer();
        const s = server.openSession();
        const d = new FrameDecoder({ acceptType: isKnownType });
        let lastTx = 0;
        reqs.forEach((q, i) => {
          const body = joinStrings(q.args);
          const payload = q.terminated ? body : body.subarray(0, Math.max(0, body.length - 1));
          const txId = q.tx === "none" ? 0 : q.tx === "last" ? lastTx : q.tx;
          const r = d.push(s.push(encodeFrame(q.type, i + 1, txId, payload)));
          check(r.error === null, String(r.error));
          const answers = r.frames.filter((f) => f.type !== XS.WATCH_EVENT);
          for (const ev of r.frames) if (ev.type === XS.WATCH_EVENT) check(ev.reqId === 0, "event with req_id");
          check(answers.length === 1, `request ${i}: ${answers.length} answers`);
          check(answers[0].reqId === i + 1, `request ${i}: answer has req_id ${answers[0].reqId}`);
          check(answers[0].type === q.type >>> 0 || answers[0].type === XS.ERROR, `request ${i}: answer type ${answers[0].type}`);
          if (q.type === XS.TRANSACTION_START && answers[0].type === q.type) {
            lastTx = Number(splitStrings(answers[0].payload)[0]);
          }
        });
        check(!s.closed, "well-framed requests must not drop the connection");
        assertTreeConsistent(server.store);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("client against a hostile server (fuzz over a socket)", () => {
  const t = tempSocketDir();
  let reply: (reqId: number) => Buffer = () => Buffer.alloc(0);
  let srv: net.Server;
  beforeAll(async () => {
    srv = net.createServer((s) => {
      s.on("error", () => undefined);
      const d = new FrameDecoder();
      s.on("data", (b) => {
        const f = d.push(b).frames[0];
        if (f) s.end(reply(f.reqId)); // answer the first request, then hang up
      });
    });
    await new Promise<void>((r) => srv.listen(t.sock, r));
  });
  afterAll(async () => {
    await new Promise<void>((r) => srv.close(() => r()));
    t.cleanup();
  });

  it("settles every request with a value or a typed XenStore error (300 runs)", async () => {
    const replyArb = fc.oneof(
      garbage.map((g) => () => g),
      headerish.map((h) => () => h),
      fc.record({ type: anyType, body: fc.uint8Array({ maxLength: 40 }), extra: garbage }).map(
        ({ type, body, extra }) =>
          (reqId: number) =>
            Buffer.concat([encodeHeader({ type, reqId, txId: 0, len: body.length }), Buffer.from(body), extra]),
      ),
    );
    await fc.assert(
      fc.asyncProperty(replyArb, async (mk) => {
        reply = mk;
        const client = await XenStoreClient.connect({ path: t.sock, timeoutMs: 2000 });
        try {
          const outcome = await client.read("/x").then(
            (v) => ({ ok: true as const, v }),
            (e: unknown) => ({ ok: false as const, e }),
          );
          if (!outcome.ok) expect(isXenStoreFailure(outcome.e)).toBe(true);
        } finally {
          await client.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
