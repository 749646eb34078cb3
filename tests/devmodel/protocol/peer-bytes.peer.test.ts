/**
 * Bytes from a misconfigured peer — another service behind the configured socket — never reach
 * the messages viewers read; the messages say what the bytes look like, and the bytes go to the
 * server log (issue 10, item 13).
 */
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { describePeerBytes, escapePeerBytes, setPeerBytesLog, type PeerBytesRecord } from "@/lib/devmodel/protocol";
import { QmpClient, QmpProtocolError, queryQmpFacts } from "@/lib/devmodel/qmp";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { XS, XenStoreClient, XenStoreError, XenStoreProtocolError, encodeFrame, FrameDecoder } from "@/lib/devmodel/xenstore";
import { tempDir } from "../qmp/helpers";

const SECRET = "hunter2-0xC0FFEE";
const SSH_BANNER = `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3 ${SECRET}\r\n`;
const HTTP_REPLY = `HTTP/1.1 400 Bad Request\r\nSet-Cookie: session=${SECRET}\r\nContent-Length: 0\r\n\r\n`;

const tmp = tempDir();
const servers: net.Server[] = [];
let n = 0;
let logged: PeerBytesRecord[] = [];

/** A local service that is not what the host config says: it talks first, or answers anything. */
async function service(onConnect: (s: net.Socket) => void): Promise<string> {
  const p = path.join(tmp.dir, `svc${n++}.sock`);
  const srv = net.createServer((s) => {
    s.on("error", () => {});
    s.resume(); // whatever the client sends is read (and ignored unless onConnect listens)
    onConnect(s);
  });
  await new Promise<void>((r) => srv.listen(p, r));
  servers.push(srv);
  return p;
}

beforeEach(() => {
  logged = [];
  setPeerBytesLog((r) => logged.push(r));
});
afterEach(() => setPeerBytesLog(null));
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  tmp.cleanup();
});

const loggedText = () => logged.map((r) => Buffer.from(r.bytes).toString("latin1")).join("\n");

describe("describePeerBytes", () => {
  it("says what the bytes look like without quoting any", () => {
    expect(describePeerBytes(Buffer.from(SSH_BANNER))).toBe(`${Buffer.byteLength(SSH_BANNER)} bytes that look like an SSH banner`);
    expect(describePeerBytes(Buffer.from(HTTP_REPLY))).toMatch(/that look like an HTTP response$/);
    expect(describePeerBytes(Buffer.from([0, 1, 2]))).toBe("3 bytes of binary data");
    expect(describePeerBytes(Buffer.from("hello"))).toBe("5 bytes of text");
    expect(describePeerBytes(Buffer.alloc(0))).toBe("nothing");
    expect(describePeerBytes(Buffer.from("x".repeat(512)), true)).toBe("more than 512 bytes of text");
    expect(escapePeerBytes(Buffer.from("a\\b\x00\n"))).toBe("a\\x5cb\\x00\\x0a");
  });
});

describe("QMP against a socket that is not QEMU", () => {
  it("an SSH server: the message names an SSH banner, the log has the bytes", async () => {
    const p = await service((s) => s.write(SSH_BANNER));
    const facts = await queryQmpFacts({ path: p }, { timeoutMs: 1000 });
    expect(facts.status).toBe("protocol");
    const msg = facts.status === "ok" ? "" : facts.error;
    expect(msg).toContain("SSH banner");
    expect(msg).not.toContain(SECRET);
    expect(msg).not.toContain("OpenSSH");
    expect(loggedText()).toContain(SECRET);
    expect(logged[0]).toMatchObject({ protocol: "qmp", peer: p });
  });

  it("a JSON service that is not QMP: no field of it in the message", async () => {
    const p = await service((s) => s.write(JSON.stringify({ jsonrpc: "2.0", result: { token: SECRET } }) + "\r\n"));
    const err = await QmpClient.connect({ path: p }, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpProtocolError);
    expect((err as Error).message).toMatch(/not a QMP greeting: \d+ bytes that look like JSON/);
    expect((err as Error).message).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain(SECRET);
    expect(loggedText()).toContain(SECRET);
  });
});

describe("XenStore against a socket that is not xenstored", () => {
  it("an HTTP server: the read fails with a summary, and the snapshot shows only that", async () => {
    const p = await service((s) => s.once("data", () => s.write(HTTP_REPLY)));
    const c = await XenStoreClient.connect({ path: p, timeoutMs: 1000 });
    const err = await c.read("/local/domain/0/name").catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(XenStoreProtocolError);
    expect((err as Error).message).toContain("HTTP response");
    expect((err as Error).message).not.toContain(SECRET);
    expect(loggedText()).toContain(SECRET);

    const snap = await takeSnapshot({ xenstored: p, qmpDir: tmp.dir, procRoot: tmp.dir, timeoutMs: 1000 });
    expect(snap.xenstore.ok).toBe(false);
    expect(JSON.stringify(snap)).not.toContain(SECRET);
    if (!snap.xenstore.ok) expect(snap.xenstore.error).toMatchObject({ kind: "protocol" });
  });

  it("a peer that frames its replies but fills them with its own text", async () => {
    // Speaks the framing, not the semantics: every error reply carries arbitrary text, every
    // TRANSACTION_START answer is not an id, every GET_PERMS answer is not permissions.
    const p = await service((s) => {
      const d = new FrameDecoder();
      s.on("data", (b: Buffer) => {
        for (const f of d.push(b).frames) {
          const reply =
            f.type === XS.READ
              ? encodeFrame(XS.ERROR, f.reqId, 0, Buffer.from(`Authorization: Bearer ${SECRET}\0`))
              : encodeFrame(f.type, f.reqId, 0, Buffer.from(`${SECRET}\0`));
          s.write(reply);
        }
      });
    });
    const c = await XenStoreClient.connect({ path: p, timeoutMs: 1000 });
    try {
      const e1 = await c.read("/x").catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(XenStoreError);
      expect(e1).toMatchObject({ errno: "EUNKNOWN" });
      const e2 = await c.transactionStart().catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(XenStoreProtocolError);
      const e3 = await c.getPerms("/x").catch((e: unknown) => e);
      expect(e3).toBeInstanceOf(XenStoreProtocolError);
      for (const e of [e1, e2, e3]) {
        expect((e as Error).message).not.toContain(SECRET);
        expect((e as Error).message).not.toContain("Bearer");
      }
      expect(loggedText()).toContain(SECRET);
    } finally {
      await c.close();
    }
  });
});
