/** The generic layer under both clients: pending requests with deadlines, and the bounded event queue. */
import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { EventQueue, PendingRequests } from "@/lib/devmodel/protocol";
import { FramedStream } from "@/lib/devmodel/protocol/stream";

class Expired extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} after ${ms} ms`);
  }
}
const table = () => new PendingRequests<number, string>((ctx, ms) => new Expired(ctx, ms));
const outcome = (p: Promise<unknown>) =>
  p.then(
    (v) => ({ v }),
    (e: unknown) => ({ e }),
  );

describe("PendingRequests", () => {
  it("settles each request with its reply, its deadline, or the connection's end", async () => {
    const t = table();
    const a = outcome(t.add(1, "a", 5_000));
    const b = outcome(t.add(2, "b", 20));
    const c = outcome(t.add(3, "c", 60));
    const d = outcome(t.add(4, "d", 5_000));
    expect(t.size).toBe(4);
    expect(t.oldest()).toBe(1);
    expect(t.take(1)?.ctx).toBe("a");
    expect(t.take(1)).toBeUndefined();
    const b2 = await b;
    expect((b2 as { e: Expired }).e).toMatchObject({ what: "b", ms: 20 });
    expect(t.has(3)).toBe(true); // a later deadline is still waiting
    expect(await c).toMatchObject({ e: { what: "c", ms: 60 } });
    expect(t.resolve(4, "reply")).toBe(true);
    expect(await d).toEqual({ v: "reply" });
    void a; // taken: the caller settles it
    expect(t.size).toBe(0);
  });

  it("failAll rejects what `which` selects and keeps the rest", async () => {
    const t = table();
    const sent = outcome(t.add(1, "sent", 5_000));
    const queued = outcome(t.add(2, "queued", 5_000));
    t.failAll(new Error("lost"), (ctx) => ctx === "sent");
    expect(await sent).toMatchObject({ e: { message: "lost" } });
    expect(t.has(2)).toBe(true);
    t.failAll(new Error("closed"));
    expect(await queued).toMatchObject({ e: { message: "closed" } });
  });

  it("refuses a duplicate key and a request without a usable deadline", () => {
    const t = table();
    void t.add(1, "x", 1_000).catch(() => undefined);
    expect(() => t.add(1, "y", 1_000)).toThrow(/already pending/);
    for (const bad of [0, -1, Infinity, NaN]) expect(() => t.add(9, "z", bad)).toThrow(RangeError);
    t.failAll(new Error("done"));
  });
});

describe("EventQueue", () => {
  it("delivers in order, drops the oldest past its bound and counts them", async () => {
    const q = new EventQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    expect(q.queued).toBe(3);
    expect(q.dropped).toBe(2);
    expect([(await q.next()).value, (await q.next()).value, (await q.next()).value]).toEqual([3, 4, 5]);
    const waiting = q.next(); // nothing queued: waits for the next push
    q.push(6);
    expect((await waiting).value).toBe(6);
  });

  it("ends normally or with an error after the queued events; close tells the source once", async () => {
    const q = new EventQueue<string>(10);
    q.push("a");
    q.end(new Error("gone"));
    q.push("ignored");
    expect((await q.next()).value).toBe("a");
    await expect(q.next()).rejects.toThrow("gone");

    let closed = 0;
    const r = new EventQueue<number>(10, () => void closed++);
    r.push(1);
    r.push(2);
    const seen: number[] = [];
    for await (const v of r) {
      seen.push(v);
      break;
    }
    await r.close();
    expect(seen).toEqual([1]);
    expect(closed).toBe(1);
    expect(r.closed).toBe(true);
    expect(await r.next()).toEqual({ value: undefined, done: true });
    expect(() => new EventQueue(0)).toThrow(RangeError);
  });
});

describe("FramedStream writes", () => {
  /** A Duplex that records each write it is given. */
  function recorder() {
    const writes: Buffer[] = [];
    const stream = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        writes.push(Buffer.from(chunk));
        cb();
      },
    });
    const conn = new FramedStream(stream, { push: () => ({ frames: [], error: null }) }, { frame: () => {}, ended: () => {} });
    return { conn, writes };
  }
  const put = (conn: FramedStream<unknown>, text: string) => {
    const at = conn.reserve(text.length);
    conn.batch.write(text, at, "latin1");
  };

  it("bytes reserved in place and bytes written leave in the order given, in one write per turn", async () => {
    const { conn, writes } = recorder();
    put(conn, "a1");
    put(conn, "a2");
    conn.write(Buffer.from("B"));
    put(conn, "c");
    await new Promise((r) => setImmediate(r));
    expect(writes.map((w) => w.toString())).toEqual(["a1a2Bc"]);
    // Larger than a batch: reserved in a buffer of its own size, still in order.
    const big = "x".repeat(70_000);
    put(conn, "s");
    put(conn, big);
    put(conn, "e");
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(2);
    expect(writes[1].toString()).toBe(`s${big}e`);
    await conn.close();
    // After the end nothing is written, and reserving still gives room to encode into.
    put(conn, "late");
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(2);
  });
});
