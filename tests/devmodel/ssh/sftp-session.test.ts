/**
 * The SFTP client of lib/devmodel/ssh (sftp-wire.ts, sftp-session.ts) against a scripted server
 * on an in-process stream: replies framed whatever the chunking, matched by id, statuses as
 * errnos, and — what it exists for — every request of one turn sent in one write (one SSH packet).
 */
import type { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { SftpSession } from "@/lib/devmodel/ssh/sftp-session";
import { SFTP_MAX_MESSAGE, SftpDecoder, SSH_FXP } from "@/lib/devmodel/ssh/sftp-wire";
import { duplexPair } from "@/lib/devmodel/transport";

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (s: string | Buffer) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);
const msg = (type: number, ...body: Buffer[]) => {
  const payload = Buffer.concat([Buffer.from([type]), ...body]);
  return Buffer.concat([u32(payload.length), payload]);
};
const status = (id: number, code: number) => msg(SSH_FXP.STATUS, u32(id), u32(code), str("msg"), str(""));
const data = (id: number, bytes: string) => msg(SSH_FXP.DATA, u32(id), str(bytes));
/** ATTRS with size and permissions. */
const attrs = (id: number, size: number, mode: number) => msg(SSH_FXP.ATTRS, u32(id), u32(0x1 | 0x4), Buffer.alloc(4), u32(size), u32(mode));

/** Requests in a chunk: [type, id] of each. */
function requestsIn(chunk: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < chunk.length;) {
    const len = chunk.readUInt32BE(p);
    out.push([chunk[p + 4], chunk.readUInt32BE(p + 5)]);
    p += 4 + len;
  }
  return out;
}

/** A session whose server end records each chunk it receives and answers with `answer`. */
async function session(answer: (server: Duplex, reqs: [number, number][]) => void): Promise<{ s: SftpSession; chunks: Buffer[]; server: Duplex }> {
  const [client, server] = duplexPair();
  const chunks: Buffer[] = [];
  server.on("data", (c: Buffer) => {
    if (c[4] === SSH_FXP.INIT) return server.write(msg(SSH_FXP.VERSION, u32(3)));
    chunks.push(c);
    answer(server, requestsIn(c));
  });
  return { s: await SftpSession.start(client, "test", 5_000), chunks, server };
}

describe("SFTP replies", () => {
  it("are framed across chunk boundaries and several to a chunk", () => {
    const d = new SftpDecoder();
    const all = Buffer.concat([data(1, "hello"), status(2, 1), data(3, "x")]);
    const a = d.push(all.subarray(0, 7));
    const b = d.push(all.subarray(7, all.length - 2));
    const c = d.push(all.subarray(all.length - 2));
    expect(a.frames).toEqual([]);
    expect([...b.frames, ...c.frames].map((f) => [f.type, "id" in f ? f.id : null])).toEqual([
      [SSH_FXP.DATA, 1],
      [SSH_FXP.STATUS, 2],
      [SSH_FXP.DATA, 3],
    ]);
    expect(d.end()).toBeNull();
  });

  it("refuse an oversized or truncated message", () => {
    expect(new SftpDecoder().push(u32(SFTP_MAX_MESSAGE + 1)).error).toBeInstanceOf(Error);
    // A DATA whose string claims more bytes than the message holds.
    expect(new SftpDecoder().push(msg(SSH_FXP.DATA, u32(1), u32(100), Buffer.from("ab"))).error).toBeInstanceOf(Error);
    const d = new SftpDecoder();
    d.push(data(1, "hello").subarray(0, 6));
    expect(d.end()).toBeInstanceOf(Error);
  });
});

describe("an SFTP session", () => {
  it("sends the requests of one turn in one write and matches replies by id, in any order", async () => {
    const { s, chunks } = await session((server, reqs) => {
      // Answer in reverse order.
      for (const [type, id] of [...reqs].reverse()) {
        if (type === SSH_FXP.STAT) server.write(attrs(id, id * 10, 0o100644));
        else if (type === SSH_FXP.READLINK) server.write(msg(SSH_FXP.NAME, u32(id), u32(1), str(`target-${id}`), str(""), u32(0)));
      }
    });
    const [a, b, link] = await Promise.all([s.stat("/a"), s.stat("/b"), s.readlink("/l")]);
    expect(chunks).toHaveLength(1);
    expect(requestsIn(chunks[0]).map(([t]) => t)).toEqual([SSH_FXP.STAT, SSH_FXP.STAT, SSH_FXP.READLINK]);
    expect([a.size, b.size]).toEqual([10, 20]);
    expect(a.mode).toBe(0o100644);
    expect(link).toBe("target-3");
    expect(s.requests).toBe(3);
    await s.close();
  });

  it("reports a status as an errno, EOF of a read as no bytes, and fails what waits when the channel ends", async () => {
    let hangUp = false;
    const { s, server } = await session((srv, reqs) => {
      for (const [type, id] of reqs) {
        if (hangUp) continue;
        if (type === SSH_FXP.STAT) srv.write(status(id, 2));
        else if (type === SSH_FXP.READ) srv.write(status(id, 1));
      }
    });
    await expect(s.stat("/missing")).rejects.toMatchObject({ code: "ENOENT" });
    expect((await s.read(Buffer.from("h"), 0, 10)).length).toBe(0);
    hangUp = true;
    const waiting = s.lstat("/never");
    await new Promise((r) => setImmediate(r));
    server.destroy();
    await expect(waiting).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(s.open).toBe(false);
    await expect(s.stat("/after")).rejects.toMatchObject({ code: "ECONNRESET" });
  });

  it("gives up on a server that never answers INIT", async () => {
    const [client] = duplexPair();
    await expect(SftpSession.start(client, "test", 50)).rejects.toMatchObject({ code: "ETIMEDOUT" });
    expect(client.destroyed).toBe(true);
  });

  it("refuses a read answer longer than asked", async () => {
    const { s } = await session((srv, reqs) => {
      for (const [, id] of reqs) srv.write(data(id, "0123456789"));
    });
    await expect(s.read(Buffer.from("h"), 0, 4)).rejects.toMatchObject({ code: "EPROTO" });
    await s.close();
  });
});
