/** The simulated xenstored driven with raw frames through an in-process session. */
import { describe, expect, it } from "vitest";
import { FrameDecoder, XS, encodeFrame, joinStrings, splitStrings, type XsFrame } from "@/lib/devmodel/xenstore";
import { XenStoreServer, XsStore, type XenStoreSession } from "@/lib/devmodel/sim/xenstored";

function client(session: XenStoreSession) {
  let reqId = 0;
  const send = (type: number, payload: Buffer | string[], txId = 0): XsFrame[] => {
    const d = new FrameDecoder();
    const body = Array.isArray(payload) ? joinStrings(payload) : payload;
    return d.push(session.push(encodeFrame(type, ++reqId, txId, body))).frames;
  };
  /** One request → its reply as [type, strings]; error replies give ["ERROR", errno]. */
  const call = (type: number, payload: Buffer | string[], txId = 0): string[] => {
    const frames = send(type, payload, txId).filter((f) => f.type !== XS.WATCH_EVENT);
    expect(frames).toHaveLength(1);
    expect(frames[0].reqId).toBe(reqId);
    expect(frames[0].txId).toBe(txId);
    // The payload is the frame's range of the bytes it came in.
    expect(frames[0].payload.equals(frames[0].chunk.subarray(frames[0].start, frames[0].end))).toBe(true);
    if (frames[0].type === XS.ERROR) return ["ERROR", ...splitStrings(frames[0].payload)];
    expect(frames[0].type).toBe(type);
    return splitStrings(frames[0].payload);
  };
  return { send, call };
}

describe("simulated xenstored request handling", () => {
  it("implements READ/WRITE/MKDIR/RM/DIRECTORY with xenstored's errors", () => {
    const server = new XenStoreServer();
    const { call } = client(server.openSession());
    expect(call(XS.WRITE, Buffer.from("/a/b/c\0hello"))).toEqual(["OK"]);
    expect(call(XS.READ, ["/a/b/c"])).toEqual(["hello"]);
    expect(call(XS.READ, ["/a/b"])).toEqual([]); // created parent, empty value
    expect(call(XS.DIRECTORY, ["/a"])).toEqual(["b"]);
    expect(call(XS.MKDIR, ["/a/m"])).toEqual(["OK"]);
    expect(call(XS.MKDIR, ["/a/m"])).toEqual(["OK"]);
    expect(call(XS.DIRECTORY, ["/a"])).toEqual(["b", "m"]);
    expect(call(XS.RM, ["/nope/x"])).toEqual(["ERROR", "ENOENT"]); // parent missing
    expect(call(XS.RM, ["/a/nope"])).toEqual(["OK"]); // absent is fine
    expect(call(XS.RM, ["/a"])).toEqual(["OK"]); // recursive
    expect(server.store.exists("/a/b/c")).toBe(false);
    expect(call(XS.READ, ["/a"])).toEqual(["ERROR", "ENOENT"]);
    expect(call(XS.READ, ["/bad//path"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.READ, ["/bad path"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.READ, Buffer.from("/no-nul"))).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.READ, Buffer.from("/a\0/b\0"))).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.RM, ["/"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.WRITE, Buffer.from("/no-separator"))).toEqual(["ERROR", "EINVAL"]);
  });

  it("answers ENOSYS for unimplemented or unknown types", () => {
    const { call } = client(new XenStoreServer().openSession());
    for (const t of [XS.CONTROL, XS.RESUME, XS.SET_TARGET, XS.GET_FEATURE, 20, 99, 0xffff]) {
      expect(call(t, [""]), `type ${t}`).toEqual(["ERROR", "ENOSYS"]);
    }
    const { call: call2 } = client(new XenStoreServer({ directoryPart: false }).openSession());
    expect(call2(XS.DIRECTORY_PART, ["/", "0"])).toEqual(["ERROR", "ENOSYS"]);
  });

  it("resolves relative paths against /local/domain/0 for socket clients", () => {
    const server = new XenStoreServer();
    const { call } = client(server.openSession());
    expect(call(XS.WRITE, Buffer.from("name\0Domain-0"))).toEqual(["OK"]);
    expect(server.store.read("/local/domain/0/name")).toBe("Domain-0");
    expect(call(XS.GET_DOMAIN_PATH, ["12"])).toEqual(["/local/domain/12"]);
    expect(call(XS.GET_DOMAIN_PATH, ["x"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.IS_DOMAIN_INTRODUCED, ["0"])).toEqual(["T"]);
    expect(call(XS.IS_DOMAIN_INTRODUCED, ["9"])).toEqual(["F"]);
    expect(call(XS.INTRODUCE, ["9", "1234", "5"])).toEqual(["OK"]);
    expect(call(XS.IS_DOMAIN_INTRODUCED, ["9"])).toEqual(["T"]);
    expect(call(XS.RELEASE, ["9"])).toEqual(["OK"]);
    expect(call(XS.IS_DOMAIN_INTRODUCED, ["9"])).toEqual(["F"]);
  });

  it("stores and serves permissions, refusing malformed ones", () => {
    const server = new XenStoreServer();
    const { call } = client(server.openSession());
    call(XS.WRITE, Buffer.from("/p/q\0v"));
    expect(call(XS.GET_PERMS, ["/p/q"])).toEqual(["n0"]);
    expect(call(XS.SET_PERMS, ["/p", "b3", "r4"])).toEqual(["OK"]);
    expect(call(XS.GET_PERMS, ["/p"])).toEqual(["b3", "r4"]);
    call(XS.WRITE, Buffer.from("/p/new\0v"));
    expect(call(XS.GET_PERMS, ["/p/new"])).toEqual(["b3", "r4"]); // inherited
    expect(call(XS.SET_PERMS, ["/p", "b"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.SET_PERMS, ["/p"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.SET_PERMS, ["/missing", "n0"])).toEqual(["ERROR", "ENOENT"]);
    expect(call(XS.SET_PERMS, ["@releaseDomain", "n0", "r5"])).toEqual(["OK"]);
    expect(call(XS.GET_PERMS, ["@releaseDomain"])).toEqual(["n0", "r5"]);
  });

  it("answers E2BIG when a DIRECTORY reply would exceed 4096 bytes; DIRECTORY_PART chunks it", () => {
    const server = new XenStoreServer();
    for (let i = 0; i < 500; i++) server.store.write(`/big/name-number-${i}`, "");
    const { call } = client(server.openSession());
    expect(call(XS.DIRECTORY, ["/big"])).toEqual(["ERROR", "E2BIG"]);
    const names: string[] = [];
    let off = 0;
    let gen: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { send } = client(server.openSession());
      const [f] = send(XS.DIRECTORY_PART, ["/big", String(off)]);
      expect(f.payload.length).toBeLessThanOrEqual(4096);
      const parts = splitStrings(f.payload);
      gen ??= parts[0];
      expect(parts[0]).toBe(gen);
      const last = f.payload[f.payload.length - 2] === 0;
      const chunk = last ? parts.slice(1, -1) : parts.slice(1);
      names.push(...chunk);
      off += Buffer.byteLength(joinStrings(chunk));
      if (last) break;
    }
    expect(names).toEqual(server.store.list("/big"));
    expect(call(XS.DIRECTORY_PART, ["/big", String(off + 1)])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.DIRECTORY_PART, ["/big"])).toEqual(["ERROR", "EINVAL"]);
    // Exactly two NUL-terminated strings, the second digits only (core.c).
    expect(call(XS.DIRECTORY_PART, ["/big", "0", "0"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.DIRECTORY_PART, ["/big", ""])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.DIRECTORY_PART, ["/big", "-1"])).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.DIRECTORY_PART, Buffer.from("/big\u00000"))).toEqual(["ERROR", "EINVAL"]);
    expect(call(XS.DIRECTORY_PART, Buffer.alloc(0))).toEqual(["ERROR", "EINVAL"]);
  });

  it("isolates transactions, commits atomically, and fails conflicting commits with EAGAIN", () => {
    const server = new XenStoreServer();
    const a = client(server.openSession());
    const b = client(server.openSession());
    a.call(XS.WRITE, Buffer.from("/t/x\0" + "0"));
    const [tx] = a.call(XS.TRANSACTION_START, [""]);
    const t = Number(tx);
    expect(a.call(XS.WRITE, Buffer.from("/t/y\0new"), t)).toEqual(["OK"]);
    expect(a.call(XS.READ, ["/t/y"], t)).toEqual(["new"]);
    expect(b.call(XS.READ, ["/t/y"])).toEqual(["ERROR", "ENOENT"]);
    expect(a.call(XS.DIRECTORY, ["/t"], t)).toEqual(["x", "y"]);
    expect(b.call(XS.DIRECTORY, ["/t"])).toEqual(["x"]);
    expect(a.call(XS.TRANSACTION_END, ["T"], t)).toEqual(["OK"]);
    expect(b.call(XS.READ, ["/t/y"])).toEqual(["new"]);

    const t2 = Number(a.call(XS.TRANSACTION_START, [""])[0]);
    a.call(XS.READ, ["/t/x"], t2);
    a.call(XS.WRITE, Buffer.from("/t/z\0from-tx"), t2);
    b.call(XS.WRITE, Buffer.from("/t/x\0" + "changed"));
    expect(a.call(XS.TRANSACTION_END, ["T"], t2)).toEqual(["ERROR", "EAGAIN"]);
    expect(server.store.exists("/t/z")).toBe(false);

    expect(a.call(XS.READ, ["/t/x"], 12345)).toEqual(["ERROR", "ENOENT"]);
    expect(a.call(XS.TRANSACTION_END, ["T"], 12345)).toEqual(["ERROR", "ENOENT"]);
    const t3 = Number(a.call(XS.TRANSACTION_START, [""])[0]);
    expect(a.call(XS.TRANSACTION_END, ["X"], t3)).toEqual(["ERROR", "EINVAL"]);
    expect(a.call(XS.TRANSACTION_START, [""], t3)).toEqual(["ERROR", "EBUSY"]);
  });

  it("detects a node created and removed by others since the transaction started", () => {
    const server = new XenStoreServer();
    const a = client(server.openSession());
    a.call(XS.WRITE, Buffer.from("/r/gone\0" + "1"));
    const t = Number(a.call(XS.TRANSACTION_START, [""])[0]);
    expect(a.call(XS.READ, ["/r/new"], t)).toEqual(["ERROR", "ENOENT"]);
    server.store.write("/r/new", "1");
    expect(a.call(XS.TRANSACTION_END, ["T"], t)).toEqual(["ERROR", "EAGAIN"]);
    const t2 = Number(a.call(XS.TRANSACTION_START, [""])[0]);
    a.call(XS.READ, ["/r/gone"], t2);
    server.store.rm("/r/gone");
    expect(a.call(XS.TRANSACTION_END, ["T"], t2)).toEqual(["ERROR", "EAGAIN"]);
  });

  it("registers watches (EEXIST on duplicates), fires immediately, unwatches and resets", () => {
    const server = new XenStoreServer();
    const s = server.openSession();
    const { send, call } = client(s);
    const frames = send(XS.WATCH, ["/w", "t1"]);
    expect(frames.map((f) => f.type)).toEqual([XS.WATCH, XS.WATCH_EVENT]);
    expect(splitStrings(frames[1].payload)).toEqual(["/w", "t1"]);
    expect(frames[1].reqId).toBe(0);
    expect(call(XS.WATCH, ["/w", "t1"])).toEqual(["ERROR", "EEXIST"]);
    expect(call(XS.UNWATCH, ["/w", "nope"])).toEqual(["ERROR", "ENOENT"]);
    // Relative watch: events reported relative too.
    send(XS.WATCH, ["data", "rel"]);
    server.store.write("/local/domain/0/data/k", "1");
    const evs = send(XS.READ, ["/"]).filter((f) => f.type === XS.WATCH_EVENT);
    expect(evs.map((f) => splitStrings(f.payload))).toEqual([["data/k", "rel"]]);
    expect(call(XS.UNWATCH, ["/w", "t1"])).toEqual(["OK"]);
    expect(call(XS.RESET_WATCHES, [""])).toEqual(["OK"]);
    server.store.write("/local/domain/0/data/k", "2");
    server.store.write("/w/x", "2");
    expect(send(XS.READ, ["/"]).filter((f) => f.type === XS.WATCH_EVENT)).toEqual([]);
  });

  it("enforces permissions for an unprivileged client domain", () => {
    const store = new XsStore();
    store.write("/local/domain/5/secret", "s", ["n0"]);
    store.write("/local/domain/5/shared", "r", ["n0", "r5"]);
    store.mkdir("/local/domain/5/rw", ["n0", "b5"]);
    const server = new XenStoreServer({ store, clientDomid: 5 });
    const { call } = client(server.openSession());
    expect(call(XS.READ, ["/local/domain/5/secret"])).toEqual(["ERROR", "EACCES"]);
    expect(call(XS.READ, ["shared"])).toEqual(["r"]); // relative to /local/domain/5
    expect(call(XS.WRITE, Buffer.from("shared\0x"))).toEqual(["ERROR", "EACCES"]);
    expect(call(XS.WRITE, Buffer.from("rw/mine\0x"))).toEqual(["OK"]);
    expect(store.getPerms("/local/domain/5/rw/mine")?.owner).toBe(5); // creator owns it
    expect(call(XS.SET_PERMS, ["rw/mine", "n0"])).toEqual(["ERROR", "EPERM"]);
    expect(call(XS.INTRODUCE, ["9", "1", "1"])).toEqual(["ERROR", "EACCES"]);
  });

  it("closes a connection that sends an oversize frame, keeping only a bounded buffer", () => {
    const server = new XenStoreServer();
    const s = server.openSession();
    expect(s.push(Buffer.alloc(10)).length).toBe(0);
    expect(s.buffered).toBe(10);
    expect(s.closed).toBe(false);
    const h = Buffer.alloc(6);
    h.writeUInt32LE(4097, 2); // completes a header with len = 4097
    s.push(h);
    expect(s.closed).toBe(true);
    expect(server.connectionCount).toBe(0);
  });
});
