/**
 * Every wait of the XenStore client is bounded, and nothing fails silently (issue 10, item 12):
 * opening the connection has a deadline, and a watch that cannot be registered again after a
 * reconnect says so and is retried until it is.
 */
import type { Duplex } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { XenStoreServer, XsStore } from "@/lib/devmodel/sim/xenstored";
import { duplexPair, type StreamTransport } from "@/lib/devmodel/transport";
import { XS, XenStoreClient, XenStoreError, XenStoreTimeoutError, toPeerError, type XsWatch } from "@/lib/devmodel/xenstore";
import { nextEvent, sleep, tempSocketDir, waitFor } from "./helpers";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("connect timeout", () => {
  it("a transport that never opens fails the connect within connectTimeoutMs, and is told to stop", async () => {
    let signal: AbortSignal | null = null;
    const never: StreamTransport = {
      address: "ssh://dom0.example.org/var/run/xenstored/socket",
      open: ({ signal: s }) => {
        signal = s;
        return new Promise<Duplex>(() => {});
      },
    };
    const err = await XenStoreClient.connect({ transport: never, connectTimeoutMs: 100, timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XenStoreTimeoutError);
    expect(err).toMatchObject({ op: "connect", timeoutMs: 100 });
    expect((err as Error).message).toContain("ssh://dom0.example.org");
    expect(toPeerError(err).kind).toBe("timeout");
    expect(signal!.aborted).toBe(true);
  });

  it("a stream that arrives after the deadline is destroyed, not leaked", async () => {
    let late: Duplex | null = null;
    const slow: StreamTransport = {
      address: "slow",
      open: () =>
        new Promise<Duplex>((resolve) =>
          setTimeout(() => {
            late = duplexPair()[0];
            resolve(late);
          }, 150),
        ),
    };
    await expect(XenStoreClient.connect({ transport: slow, timeoutMs: 50 })).rejects.toBeInstanceOf(XenStoreTimeoutError);
    await waitFor(() => late !== null);
    expect(late!.destroyed).toBe(true);
  });

  it("refuses timeouts that would mean no timeout", async () => {
    for (const bad of [0, -1, Infinity, NaN]) {
      await expect(XenStoreClient.connect({ path: "/nonexistent", timeoutMs: bad }), String(bad)).rejects.toBeInstanceOf(RangeError);
      await expect(XenStoreClient.connect({ path: "/nonexistent", connectTimeoutMs: bad }), String(bad)).rejects.toBeInstanceOf(RangeError);
    }
  });
});

describe("watches after a reconnect", () => {
  it("a watch the server refuses to take back is shown unregistered, retried, and fires once it is back", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const store = new XsStore();
    store.write("/vm", "");
    const server = new XenStoreServer({ store });
    await server.listen(t.sock);
    cleanups.push(() => server.close());
    // xenstored refuses WATCH when a connection is over its watch quota (ENOSPC): make it do so on demand.
    let refuseWatch = false;
    let refused = 0;
    const hooked = server as unknown as { dispatch: (c: unknown, f: { type: number }) => Buffer };
    const orig = hooked.dispatch.bind(server);
    hooked.dispatch = (c, f) => {
      if (refuseWatch && f.type === XS.WATCH) {
        refused++;
        throw new XenStoreError("ENOSPC", "WATCH");
      }
      return orig(c, f);
    };

    const client = await XenStoreClient.connect({ path: t.sock, timeoutMs: 2000, reconnect: { initialDelayMs: 20, maxDelayMs: 60 } });
    cleanups.push(() => client.close());
    const states: Array<{ registered: boolean; error: string | null }> = [];
    client.onWatchState((w) => states.push({ registered: w.registered, error: w.registrationError?.message ?? null }));
    const w: XsWatch = await client.watch("/vm", "vm");
    expect(w.registered).toBe(true);
    await nextEvent(w);

    refuseWatch = true;
    server.dropConnections();
    await waitFor(() => client.reconnects === 1);
    await waitFor(() => w.registrationError !== null);
    expect(w.registered).toBe(false);
    expect(w.registrationError).toMatchObject({ errno: "ENOSPC" });
    expect(states.some((s) => !s.registered && s.error === null)).toBe(true); // while reconnecting
    expect(states.some((s) => !s.registered && s.error?.includes("ENOSPC"))).toBe(true);
    // Retried with backoff, not given up after one try.
    await waitFor(() => refused >= 3);
    expect(w.closed).toBe(false);

    refuseWatch = false;
    await waitFor(() => w.registered);
    expect(w.registrationError).toBeNull();
    expect(states.at(-1)).toEqual({ registered: true, error: null });
    // It fires again: once on registration, then on a change.
    expect((await nextEvent(w)).path).toBe("/vm");
    store.write("/vm/1", "x");
    expect((await nextEvent(w)).path).toBe("/vm/1");
    const n = refused;
    await sleep(150);
    expect(refused).toBe(n); // no retries once registered
  });

  it("closing a watch stops its retries", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const server = new XenStoreServer();
    await server.listen(t.sock);
    cleanups.push(() => server.close());
    let watches = 0;
    const hooked = server as unknown as { dispatch: (c: unknown, f: { type: number }) => Buffer };
    const orig = hooked.dispatch.bind(server);
    hooked.dispatch = (c, f) => {
      if (f.type === XS.WATCH && watches++ > 0) throw new XenStoreError("EACCES", "WATCH");
      return orig(c, f);
    };
    const client = await XenStoreClient.connect({ path: t.sock, reconnect: { initialDelayMs: 10, maxDelayMs: 20 } });
    cleanups.push(() => client.close());
    const w = await client.watch("/x");
    server.dropConnections();
    await waitFor(() => w.registrationError !== null);
    await w.close();
    const n = watches;
    await sleep(100);
    expect(watches).toBe(n);
  });
});
