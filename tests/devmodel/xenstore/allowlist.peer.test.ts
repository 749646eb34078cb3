/**
 * The client is read-only because every request passes the allowlist before a byte is written,
 * not merely because no method writes (issue 10, item 8).
 */
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { XS, XS_READ_ONLY_TYPES, XenStoreClient, XenStoreRefusedError, isReadOnlyType, joinStrings, pathAndValue, toPeerError } from "@/lib/devmodel/xenstore";
import { startServer, tempSocketDir, waitFor } from "./helpers";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What the client would send if a method (or a cast) asked for a write-type request. */
type Requester = { request(type: number, payload: Buffer, path: string | undefined): Promise<Buffer> };
const raw = (c: XenStoreClient) => c as unknown as Requester;

const WRITE_TYPES: Array<[keyof typeof XS, Buffer]> = [
  ["WRITE", pathAndValue("/local/domain/1/name", Buffer.from("pwned"))],
  ["MKDIR", joinStrings(["/local/domain/1/x"])],
  ["RM", joinStrings(["/local/domain/1"])],
  ["SET_PERMS", joinStrings(["/local/domain/1", "b0"])],
  ["INTRODUCE", joinStrings(["7", "12345", "3"])],
  ["RELEASE", joinStrings(["1"])],
  ["RESUME", joinStrings(["1"])],
  ["SET_TARGET", joinStrings(["1", "2"])],
  ["RESET_WATCHES", joinStrings([""])],
  ["CONTROL", joinStrings(["log", "on"])],
  ["SET_FEATURE", joinStrings(["1", "0"])],
  ["SET_QUOTA", joinStrings(["1", "0"])],
];

describe("XenStore allowlist", () => {
  it("lists only the reads the client needs; every write-type message is off it", () => {
    for (const [name] of WRITE_TYPES) expect(isReadOnlyType(XS[name]), name).toBe(false);
    for (const t of [XS.READ, XS.DIRECTORY, XS.DIRECTORY_PART, XS.GET_PERMS, XS.WATCH, XS.UNWATCH]) expect(isReadOnlyType(t)).toBe(true);
    for (const v of [undefined, null, "2", 2.5, -1, 99, NaN]) expect(isReadOnlyType(v)).toBe(false);
    expect(XS_READ_ONLY_TYPES).not.toContain(XS.WRITE);
  });

  it("refuses a write-type request before any byte reaches the socket", async () => {
    // A peer that only counts what it receives.
    const t = tempSocketDir();
    cleanups.push(t.cleanup);
    let received = 0;
    const sockets: net.Socket[] = [];
    const srv = net.createServer((s) => {
      sockets.push(s);
      s.on("data", (b) => (received += b.length));
    });
    await new Promise<void>((r) => srv.listen(t.sock, r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          srv.close(() => r());
        }),
    );
    const client = await XenStoreClient.connect({ path: t.sock, timeoutMs: 500 });
    cleanups.push(() => client.close());

    for (const [name, payload] of WRITE_TYPES) {
      const err = await raw(client)
        .request(XS[name], payload, "/local/domain/1")
        .catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(XenStoreRefusedError);
      expect(err).toMatchObject({ kind: "refused", op: name });
    }
    await new Promise((r) => setTimeout(r, 30)); // the writes are batched per tick: let any flush happen
    expect(received).toBe(0);
    expect(client.inFlight).toBe(0);
    expect(toPeerError(new XenStoreRefusedError("WRITE", "/x"))).toMatchObject({ kind: "error" });

    // Control: a read does go out.
    void client.read("/x").catch(() => undefined);
    await waitFor(() => received > 0);
  });

  it("leaves the simulated store untouched and the connection usable", async () => {
    const s = await startServer();
    cleanups.push(s.stop);
    s.server.store.write("/local/domain/1/name", "vm-1");
    const client = await XenStoreClient.connect({ path: s.sock, timeoutMs: 2000 });
    cleanups.push(() => client.close());
    const before = s.server.store.size;
    for (const [name, payload] of WRITE_TYPES) {
      await expect(raw(client).request(XS[name], payload, "/local/domain/1"), name).rejects.toBeInstanceOf(XenStoreRefusedError);
    }
    expect(await client.read("/local/domain/1/name")).toBe("vm-1");
    expect(s.server.store.size).toBe(before);
    expect(s.server.store.read("/local/domain/1/x")).toBeNull();
  });
});
