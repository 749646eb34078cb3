/**
 * Every wait of the QMP client is bounded (issue 10, item 12): a timeout of 0 or Infinity is
 * refused, never taken to mean "no timeout", and the transport's open is bounded too.
 */
import path from "node:path";
import type { Duplex } from "node:stream";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { QmpClient, QmpRefusedError, QmpTimeoutError, queryQmpFacts } from "@/lib/devmodel/qmp";
import type { StreamTransport } from "@/lib/devmodel/transport";
import { FakePeer } from "./fake-peer";
import { tempDir } from "./helpers";

const tmp = tempDir();
const peers: FakePeer[] = [];
const clients: QmpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  tmp.cleanup();
});

/** A QEMU that negotiates and then never answers a command (a stopped or wedged main loop). */
async function silentAfterNegotiation(name: string): Promise<FakePeer> {
  const p = new FakePeer(path.join(tmp.dir, name));
  p.onLine = (s, line) => {
    const req = JSON.parse(line) as { execute: string; id: number };
    if (req.execute === "qmp_capabilities") s.write(JSON.stringify({ return: {}, id: req.id }) + "\r\n");
  };
  await p.listen();
  peers.push(p);
  return p;
}

describe("QMP timeouts", () => {
  it("execute refuses a timeout of 0, Infinity, NaN or below zero, before writing", async () => {
    const p = await silentAfterNegotiation("a.sock");
    const c = await QmpClient.connect({ path: p.path }, { timeoutMs: 2_000 });
    clients.push(c);
    const before = p.bytes;
    for (const timeoutMs of [0, Infinity, -Infinity, NaN, -5, 2 ** 31]) {
      const err = await c.execute("query-status", undefined, { timeoutMs }).catch((e: unknown) => e);
      expect(err, String(timeoutMs)).toBeInstanceOf(QmpRefusedError);
      expect((err as Error).message).toMatch(/timeoutMs must be a positive, finite number/);
    }
    expect(p.bytes).toBe(before);
    expect(c.inFlight).toBe(0);
    // Control: a usable bound is obeyed against the silent peer.
    await expect(c.execute("query-status", undefined, { timeoutMs: 50 })).rejects.toBeInstanceOf(QmpTimeoutError);
  });

  it("connect and queryQmpFacts refuse an unbounded timeout too", async () => {
    const p = await silentAfterNegotiation("b.sock");
    for (const timeoutMs of [0, Infinity, NaN]) {
      await expect(QmpClient.connect({ path: p.path }, { timeoutMs }), String(timeoutMs)).rejects.toBeInstanceOf(RangeError);
    }
    const facts = await queryQmpFacts({ path: p.path }, { timeoutMs: Infinity });
    expect(facts).toMatchObject({ status: "error" });
  });

  it("a transport that never opens is a connect timeout", async () => {
    const never: StreamTransport = { address: "ssh://dom0/var/run/xen/qmp-libxl-3", open: () => new Promise<Duplex>(() => {}) };
    const err = await QmpClient.connect(never, { timeoutMs: 80 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect(err).toMatchObject({ phase: "connect" });
    expect(await queryQmpFacts(never, { timeoutMs: 80 })).toMatchObject({ status: "timeout", socket: "ssh://dom0/var/run/xen/qmp-libxl-3" });
  });
});
