import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  FrameDecoder,
  XS,
  XenStoreClient,
  XenStoreConnectionError,
  XenStoreError,
  XenStoreProtocolError,
  XenStoreTimeoutError,
  encodeFrame,
  encodeHeader,
  joinStrings,
  splitStrings,
} from "@/lib/devmodel/xenstore";
import { XenStoreServer, XsStore } from "@/lib/devmodel/sim/xenstored";
import { walkSubtree } from "@/lib/devmodel/snapshot-xenstore";
import { nextEvent, sleep, startServer, tempSocketDir, waitFor } from "./helpers";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: ConstructorParameters<typeof XenStoreServer>[0] = {}, clientOpts = {}) {
  const s = await startServer(opts);
  cleanups.push(s.stop);
  const client = await XenStoreClient.connect({ path: s.sock, timeoutMs: 2000, ...clientOpts });
  cleanups.push(() => client.close());
  return { ...s, client, store: s.server.store };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("client ↔ simulated xenstored: reads", () => {
  it("reads values (text and bytes) and reports ENOENT as a typed error", async () => {
    const { client, store } = await setup();
    store.write("/local/domain/1/name", "vm-1");
    store.write("/bin", Buffer.from([0, 1, 255]));
    expect(await client.read("/local/domain/1/name")).toBe("vm-1");
    expect([...(await client.readBuffer("/bin"))]).toEqual([0, 1, 255]);
    expect(await client.read("/local/domain/1")).toBe("");
    expect(await client.tryRead("/nope")).toBeNull();
    expect(await client.exists("/local")).toBe(true);
    expect(await client.exists("/nope")).toBe(false);
    const e = await rejection(client.read("/nope/x"));
    expect(e).toBeInstanceOf(XenStoreError);
    expect(e).toMatchObject({ errno: "ENOENT", op: "READ", path: "/nope/x" });
    expect((await rejection(client.read("bad//path"))) as XenStoreError).toMatchObject({ errno: "EINVAL" });
  });

  it("pipelines many requests and matches replies by req_id", async () => {
    const { client, store } = await setup();
    for (let i = 0; i < 300; i++) store.write(`/k/${i}`, `v${i}`);
    const vals = await Promise.all(Array.from({ length: 300 }, (_, i) => client.read(`/k/${i}`)));
    expect(vals).toEqual(Array.from({ length: 300 }, (_, i) => `v${i}`));
    expect(client.inFlight).toBe(0);
  });

  it("matches replies that arrive out of order", async () => {
    // A fake server that collects 20 READs and answers them in reverse order.
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const srv = net.createServer((s) => {
      const d = new FrameDecoder();
      const got: Array<{ reqId: number; path: string }> = [];
      s.on("data", (b) => {
        for (const f of d.push(b).frames) got.push({ reqId: f.reqId, path: splitStrings(f.payload)[0] });
        if (got.length === 20) {
          s.write(Buffer.concat(got.reverse().map((g) => encodeFrame(XS.READ, g.reqId, 0, Buffer.from(`value of ${g.path}`)))));
        }
      });
    });
    await new Promise<void>((r) => srv.listen(t.sock, r));
    cleanups.push(() => new Promise<void>((r) => srv.close(() => r())));
    const client = await XenStoreClient.connect({ path: t.sock, timeoutMs: 2000 });
    cleanups.push(() => client.close());
    const vals = await Promise.all(Array.from({ length: 20 }, (_, i) => client.read(`/p${i}`)));
    expect(vals).toEqual(Array.from({ length: 20 }, (_, i) => `value of /p${i}`));
  });

  it("fails to connect with XenStoreConnectionError", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    expect(await rejection(XenStoreClient.connect({ path: t.sock }))).toBeInstanceOf(XenStoreConnectionError);
  });

  it("gets perms, domain paths and introduction state", async () => {
    const { client, store } = await setup();
    store.write("/local/domain/3/device-model", "", ["n0", "r3"]);
    store.write("/local/domain/3/device-model/x", "1");
    expect(await client.getPerms("/local/domain/3/device-model")).toEqual({
      owner: 0,
      defaultAccess: "none",
      entries: [
        { domid: 0, access: "none" },
        { domid: 3, access: "read" },
      ],
    });
    // New nodes inherit the parent's perms.
    expect((await client.getPerms("/local/domain/3/device-model/x")).entries.map((e) => e.domid)).toEqual([0, 3]);
    expect(await client.getDomainPath(3)).toBe("/local/domain/3");
    expect(await client.isDomainIntroduced(0)).toBe(true);
    expect(await client.isDomainIntroduced(7)).toBe(false);
    store.introduceDomain(7);
    expect(await client.isDomainIntroduced(7)).toBe(true);
    await expect(client.getDomainPath(70000)).rejects.toBeInstanceOf(XenStoreError);
  });
});

describe("directory listing", () => {
  const many = (store: XsStore, n: number) => {
    for (let i = 0; i < n; i++) store.write(`/big/child-with-a-long-name-${i}`, String(i));
  };

  it("uses DIRECTORY_PART over several chunks for a large directory", async () => {
    const { client, store } = await setup();
    many(store, 600); // ~20 KB of names: 5+ chunks
    const names = await client.directory("/big");
    expect(client.directoryPartSupported).toBe(true);
    expect(names).toEqual(store.list("/big"));
    expect(names).toHaveLength(600);
    expect(await client.directory("/big/child-with-a-long-name-0")).toEqual([]);
  });

  it("restarts when the generation count changes between chunks", async () => {
    const { client, store, server } = await setup();
    many(store, 300);
    const hooked = server as unknown as { directoryPartReply: (c: unknown, f: unknown) => Buffer };
    const orig = hooked.directoryPartReply.bind(server);
    let calls = 0;
    hooked.directoryPartReply = (c, f) => {
      const r = orig(c, f);
      if (calls++ === 0) store.write("/big/added-late", "x");
      return r;
    };
    const names = await client.directory("/big");
    expect(names).toHaveLength(301);
    expect(names).toContain("added-late");
    const chunks = Math.ceil(Buffer.byteLength(joinStrings(names)) / 4000);
    expect(calls).toBeGreaterThan(chunks); // the first chunk was fetched twice
  });

  it("falls back to DIRECTORY on ENOSYS and remembers it; DIRECTORY of a huge dir is E2BIG", async () => {
    const { client, store } = await setup({ directoryPart: false });
    store.write("/d/a", "1");
    store.write("/d/b", "2");
    expect(await client.directory("/d")).toEqual(["a", "b"]);
    expect(client.directoryPartSupported).toBe(false);
    many(store, 600);
    const e = await rejection(client.directory("/big"));
    expect(e).toMatchObject({ errno: "E2BIG", op: "DIRECTORY" });
  });
});

describe("transactions", () => {
  it("commit of a read-only transaction fails with EAGAIN when a read node changed", async () => {
    const { client, store } = await setup();
    store.write("/t/a", "1");
    const tx = await client.transactionStart();
    expect(await client.read("/t/a", tx)).toBe("1");
    store.write("/t/a", "2");
    expect(await rejection(client.transactionEnd(tx, true))).toMatchObject({ errno: "EAGAIN" });
    // Abort never conflicts.
    const tx2 = await client.transactionStart();
    await client.read("/t/a", tx2);
    store.write("/t/a", "3");
    await client.transactionEnd(tx2, false);
    // A transaction that read something untouched commits fine.
    const tx3 = await client.transactionStart();
    await client.directory("/t", tx3);
    store.write("/other", "x");
    await client.transactionEnd(tx3, true);
    // Ended transactions are gone.
    expect(await rejection(client.read("/t/a", tx3))).toMatchObject({ errno: "ENOENT" });
  });

  it("conflicts when a node is created under a listed directory", async () => {
    const { client, store } = await setup();
    store.write("/t/a", "1");
    const tx = await client.transactionStart();
    expect(await client.directory("/t", tx)).toEqual(["a"]);
    store.write("/t/b", "1");
    expect(await rejection(client.transactionEnd(tx, true))).toMatchObject({ errno: "EAGAIN" });
  });

  it("withTransaction ends with abort by default and re-runs on EAGAIN when validating", async () => {
    const { client, store } = await setup();
    store.write("/w", "0");
    let runs = 0;
    const v = await client.withTransaction(
      async (tx) => {
        runs++;
        const r = await client.read("/w", tx);
        if (runs === 1) store.write("/w", "changed");
        return r;
      },
      { validate: true },
    );
    expect(runs).toBe(2);
    expect(v).toBe("changed");
    runs = 0;
    await client.withTransaction(async (tx) => {
      runs++;
      await client.read("/w", tx);
      store.write("/w", `again${runs}`);
    });
    expect(runs).toBe(1);
  });

  it("the snapshot's walker inside one transaction returns the whole subtree", async () => {
    const { client, store } = await setup();
    for (let d = 1; d <= 20; d++) store.write(`/local/domain/${d}/name`, `vm${d}`);
    const t = await walkSubtree(client, "/local", { transaction: true });
    expect(t.size).toBe(2 + 40);
    expect(t.get("/local/domain/7/name")).toBe("vm7");
  });
});

describe("watches", () => {
  it("fire once on registration, then on create, change and delete below the path", async () => {
    const { client, store } = await setup();
    store.mkdir("/vm");
    const w = await client.watch("/vm", "tok");
    expect(await nextEvent(w)).toEqual({ path: "/vm", token: "tok" });
    store.write("/vm/1/state", "running");
    expect(await nextEvent(w)).toEqual({ path: "/vm/1/state", token: "tok" });
    store.write("/vm/1/state", "paused");
    expect((await nextEvent(w)).path).toBe("/vm/1/state");
    store.rm("/vm/1");
    expect((await nextEvent(w)).path).toBe("/vm/1");
    store.write("/elsewhere", "x");
    await sleep(50);
    expect(w.queued).toBe(0);
    await w.close();
    store.write("/vm/2", "x");
    await sleep(50);
    expect(w.queued).toBe(0);
    expect((await w.next()).done).toBe(true);
  });

  it("reports the watched path when an ancestor is removed recursively", async () => {
    const { client, store } = await setup();
    store.write("/a/b/c/d", "1");
    const w = await client.watch("/a/b/c");
    await nextEvent(w);
    store.rm("/a");
    expect((await nextEvent(w)).path).toBe("/a/b/c");
  });

  it("fires special watches on introduce/release and unwatches on break", async () => {
    const { client, store } = await setup();
    const w = await client.watch("@introduceDomain");
    expect((await nextEvent(w)).path).toBe("@introduceDomain");
    const r = await client.watch("@releaseDomain");
    await nextEvent(r);
    store.introduceDomain(5);
    expect((await nextEvent(w)).path).toBe("@introduceDomain");
    store.releaseDomain(5);
    expect((await nextEvent(r)).path).toBe("@releaseDomain");
    expect(w.queued).toBe(0);
    const seen: string[] = [];
    store.introduceDomain(6);
    for await (const ev of w) {
      seen.push(ev.path);
      break;
    }
    expect(seen).toEqual(["@introduceDomain"]);
    expect(w.closed).toBe(true);
  });

  it("fires inside a transaction only on commit (writer on a second connection)", async () => {
    const { client, server } = await setup();
    const w = await client.watch("/tx");
    await nextEvent(w);
    const s = server.openSession();
    const req = (type: number, payload: Buffer, txId = 0) => {
      const d = new FrameDecoder();
      return d.push(s.push(encodeFrame(type, 1, txId, payload))).frames[0];
    };
    const txId = Number(splitStrings(req(XS.TRANSACTION_START, joinStrings([""])).payload)[0]);
    expect(req(XS.WRITE, Buffer.from("/tx/k\0v"), txId).type).toBe(XS.WRITE);
    expect(await client.exists("/tx/k")).toBe(false);
    await sleep(30);
    expect(w.queued).toBe(0);
    expect(req(XS.TRANSACTION_END, joinStrings(["T"]), txId).type).toBe(XS.TRANSACTION_END);
    expect((await nextEvent(w)).path).toBe("/tx/k");
    expect(await client.read("/tx/k")).toBe("v");
    s.close();
  });
});

describe("failure handling", () => {
  it("times out against a stalled server with XenStoreTimeoutError", async () => {
    const { client } = await setup({ stall: true }, { timeoutMs: 150 });
    const t0 = Date.now();
    const e = await rejection(client.read("/x"));
    expect(e).toBeInstanceOf(XenStoreTimeoutError);
    expect(e).toMatchObject({ op: "READ", path: "/x", timeoutMs: 150 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140); // not given up early
    expect(client.inFlight).toBe(0);
  });

  it("rejects an oversize request before writing and keeps the connection", async () => {
    const { client, store, server } = await setup();
    store.write("/ok", "1");
    const e = await rejection(client.read("/" + "a".repeat(5000)));
    expect(e).toMatchObject({ errno: "E2BIG" });
    expect(await client.read("/ok")).toBe("1");
    expect(server.connectionCount).toBe(1);
  });

  it("kills the connection on an oversize reply with a protocol error", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const srv = net.createServer((s) => {
      s.on("data", () => s.write(encodeHeader({ type: XS.READ, reqId: 1, txId: 0, len: 5000 })));
    });
    await new Promise<void>((r) => srv.listen(t.sock, r));
    cleanups.push(() => new Promise<void>((r) => srv.close(() => r())));
    const client = await XenStoreClient.connect({ path: t.sock, timeoutMs: 2000 });
    cleanups.push(() => client.close());
    expect(await rejection(client.read("/x"))).toBeInstanceOf(XenStoreProtocolError);
    await waitFor(() => !client.connected);
    expect(await rejection(client.read("/x"))).toBeInstanceOf(XenStoreConnectionError);
  });

  it("the server closes a connection that sends an oversize request", async () => {
    const { sock, server } = await setup();
    const s = net.createConnection(sock);
    cleanups.push(() => void s.destroy());
    await new Promise<void>((r) => s.once("connect", () => r()));
    await waitFor(() => server.connectionCount === 2);
    const closed = new Promise<void>((r) => s.once("close", () => r()));
    s.on("error", () => undefined);
    s.write(encodeHeader({ type: XS.WRITE, reqId: 1, txId: 0, len: 4097 }));
    await closed;
    await waitFor(() => server.connectionCount === 1);
  });

  it("fails pending requests and watches when the server goes away (no reconnect)", async () => {
    const { client, server, store } = await setup({ stall: true });
    store.write("/x", "1");
    const pending = client.read("/x");
    await sleep(20);
    server.dropConnections();
    expect(await rejection(pending)).toBeInstanceOf(XenStoreConnectionError);
    expect(await rejection(client.read("/x"))).toBeInstanceOf(XenStoreConnectionError);
  });

  it("reconnects with backoff after a restart and re-registers watches", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const store = new XsStore();
    store.write("/state", "a");
    let server = new XenStoreServer({ store });
    await server.listen(t.sock);
    cleanups.push(() => server.close());
    const client = await XenStoreClient.connect({
      path: t.sock,
      timeoutMs: 3000,
      reconnect: { initialDelayMs: 20, maxDelayMs: 80 },
    });
    cleanups.push(() => client.close());
    const w = await client.watch("/state", "s");
    await nextEvent(w);

    server.stall = true;
    const inFlight = client.read("/state");
    await sleep(20);
    await server.close(); // xenstored goes away
    expect(await rejection(inFlight)).toBeInstanceOf(XenStoreConnectionError);
    const duringOutage = client.read("/state"); // queued until reconnected
    await sleep(250); // several backoff attempts fail meanwhile
    expect(client.connected).toBe(false);
    server = new XenStoreServer({ store });
    await server.listen(t.sock);
    expect(await duringOutage).toBe("a");
    expect(client.reconnects).toBe(1);
    // Re-registered: fires again on registration, then on change.
    expect(await nextEvent(w)).toEqual({ path: "/state", token: "s" });
    store.write("/state", "b");
    expect(await nextEvent(w)).toEqual({ path: "/state", token: "s" });
  });

  it("close() fails requests queued while reconnecting", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const server = new XenStoreServer();
    await server.listen(t.sock);
    const client = await XenStoreClient.connect({ path: t.sock, timeoutMs: 5000, reconnect: { initialDelayMs: 50 } });
    await server.close();
    await waitFor(() => !client.connected);
    const queued = client.read("/x");
    await client.close();
    // A connection error, not the 5 s timeout: close() failed it at once.
    expect(await rejection(queued)).toBeInstanceOf(XenStoreConnectionError);
  });

  it("refuses a transaction from a lost connection", async () => {
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    const server = new XenStoreServer();
    await server.listen(t.sock);
    cleanups.push(() => server.close());
    const client = await XenStoreClient.connect({ path: t.sock, reconnect: { initialDelayMs: 10 } });
    cleanups.push(() => client.close());
    const tx = await client.transactionStart();
    server.dropConnections();
    await waitFor(() => client.reconnects === 1);
    expect(await rejection(client.read("/", tx))).toBeInstanceOf(XenStoreConnectionError);
  });
});

describe("the snapshot's tree walker", () => {
  it("walks a subtree into path → value", async () => {
    const { client, store } = await setup();
    for (let d = 1; d <= 30; d++) {
      store.write(`/local/domain/${d}/name`, `vm-${d}`, ["n0", `r${d}`]);
      store.write(`/local/domain/${d}/device/vbd/51712/state`, "4");
    }
    const expected: Record<string, string> = {};
    for (const p of store.paths("/local")) expected[p] = store.read(p)!;
    expect(Object.fromEntries(await walkSubtree(client, "/local"))).toEqual(expected);
    expect((await walkSubtree(client, "/local/nowhere")).size).toBe(0);
  });

  it("skips nodes removed while walking (ENOENT races)", async () => {
    const { client, store, server } = await setup();
    for (let d = 1; d <= 50; d++) store.write(`/local/domain/${d}/device/vif/0/state`, "4");
    // Remove a domain right after its parent directory was listed.
    const hooked = server as unknown as { dispatch: (c: unknown, f: { type: number; payload: Buffer }) => Buffer };
    const orig = hooked.dispatch.bind(server);
    hooked.dispatch = (c, f) => {
      const r = orig(c, f);
      if ((f.type === XS.DIRECTORY_PART || f.type === XS.DIRECTORY) && f.payload.toString().startsWith("/local/domain\0")) {
        store.rm("/local/domain/17");
        store.rm("/local/domain/33/device");
      }
      return r;
    };
    const values = Object.fromEntries(await walkSubtree(client, "/local"));
    expect(values["/local/domain/17"]).toBeUndefined();
    expect(Object.keys(values).some((p) => p.startsWith("/local/domain/17/"))).toBe(false);
    expect(values["/local/domain/33"]).toBe("");
    expect(values["/local/domain/33/device"]).toBeUndefined();
    expect(values["/local/domain/34/device/vif/0/state"]).toBe("4");
  });

  it("walks a server without DIRECTORY_PART (ENOSYS, then DIRECTORY) and a listing of several chunks", async () => {
    const { client, store } = await setup({ directoryPart: false });
    store.write("/w/a/x", "1");
    store.write("/w/b", "2");
    expect(Object.fromEntries(await walkSubtree(client, "/w"))).toEqual({ "/w": "", "/w/a": "", "/w/a/x": "1", "/w/b": "2" });
    expect(client.directoryPartSupported).toBe(false);

    const two = await setup();
    for (let i = 0; i < 300; i++) two.store.write(`/big/child-with-a-long-name-${i}`, String(i));
    const walked = await walkSubtree(two.client, "/big");
    expect(walked.size).toBe(301);
    expect(Buffer.byteLength(joinStrings([...walked.keys()].map((p) => p.slice("/big/".length)))) > 4096).toBe(true);
    expect(two.client.directoryPartSupported).toBe(true);
  });

  it("a walk fails with the connection's error when xenstored goes away mid-walk; the client takes no more requests", async () => {
    const { client, store, server } = await setup();
    for (let d = 1; d <= 40; d++) store.write(`/local/domain/${d}/device/vif/0/state`, "4");
    server.stall = true;
    const walking = walkSubtree(client, "/local");
    await new Promise((r) => setTimeout(r, 20));
    const closing = client.close();
    expect(await rejection(walking)).toMatchObject({ name: "XenStoreConnectionError" });
    await closing;
    expect(await rejection(walkSubtree(client, "/local"))).toMatchObject({ message: "client closed" });
  });
});
