import { describe, expect, it } from "vitest";
import {
  FrameDecoder,
  HEADER_SIZE,
  XENSTORE_PAYLOAD_MAX,
  XS,
  XenStoreError,
  XenStoreProtocolError,
  XenStoreTimeoutError,
  XenStoreConnectionError,
  decodeHeader,
  encodeFrame,
  encodeHeader,
  firstString,
  formatPerms,
  isKnownType,
  joinStrings,
  parsePermEntry,
  parsePerms,
  accessFor,
  pathAndValue,
  resolveSocketPath,
  splitStrings,
  splitStringsIn,
  toPeerError,
  typeName,
} from "@/lib/devmodel/xenstore";
import { canonicalize, isValidAbsolute, parentOf } from "@/lib/devmodel/sim/xenstored";

describe("message types", () => {
  it("match xs_wire.h numbering", () => {
    expect(XS.DIRECTORY).toBe(1);
    expect(XS.READ).toBe(2);
    expect(XS.WATCH_EVENT).toBe(15);
    expect(XS.ERROR).toBe(16);
    expect(XS.RESET_WATCHES).toBe(21);
    expect(XS.DIRECTORY_PART).toBe(22);
    expect(isKnownType(20)).toBe(false); // removed XS_RESTRICT
    expect(isKnownType(27)).toBe(false);
    expect(typeName(2)).toBe("READ");
    expect(typeName(999)).toBe("TYPE_999");
  });
});

describe("header codec", () => {
  it("is four little-endian uint32", () => {
    const h = encodeHeader({ type: XS.READ, reqId: 0x01020304, txId: 7, len: 5 });
    expect([...h]).toEqual([2, 0, 0, 0, 4, 3, 2, 1, 7, 0, 0, 0, 5, 0, 0, 0]);
    expect(decodeHeader(h)).toEqual({ type: 2, reqId: 0x01020304, txId: 7, len: 5 });
  });

  it("refuses a short header with a protocol error", () => {
    expect(() => decodeHeader(Buffer.alloc(15))).toThrow(XenStoreProtocolError);
  });

  it("encodeFrame refuses payloads over 4096 before anything is written", () => {
    expect(encodeFrame(XS.READ, 1, 0, Buffer.alloc(XENSTORE_PAYLOAD_MAX)).length).toBe(HEADER_SIZE + 4096);
    let err: unknown;
    try {
      encodeFrame(XS.WRITE, 1, 0, Buffer.alloc(XENSTORE_PAYLOAD_MAX + 1), "/p");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XenStoreError);
    expect((err as XenStoreError).errno).toBe("E2BIG");
    expect((err as XenStoreError).op).toBe("WRITE");
    expect((err as XenStoreError).path).toBe("/p");
  });
});

describe("payload helpers", () => {
  it("join/split NUL-separated strings", () => {
    expect(joinStrings(["a", "bc"]).toString("latin1")).toBe("a\0bc\0");
    expect(splitStrings(Buffer.from("a\0b\0"))).toEqual(["a", "b"]);
    expect(splitStrings(Buffer.from(""))).toEqual([]);
    expect(splitStrings(Buffer.from("\0"))).toEqual([""]);
    expect(splitStrings(Buffer.from("a\0b"))).toEqual(["a", "b"]);
    // The same within a range of a larger buffer, without looking outside it.
    const buf = Buffer.from("x\0a\0b\0y\0");
    expect(splitStringsIn(buf, 2, 6)).toEqual(["a", "b"]);
    expect(splitStringsIn(buf, 2, 5)).toEqual(["a", "b"]);
    expect(splitStringsIn(buf, 2, 2)).toEqual([]);
    for (const s of ["", "\0", "a", "a\0b\0", "a\0\0b", "é\0ü"]) {
      const inner = Buffer.from(s);
      expect(splitStringsIn(Buffer.concat([Buffer.from("z\0"), inner, Buffer.from("q\0")]), 2, 2 + inner.length), JSON.stringify(s)).toEqual(
        splitStrings(inner),
      );
    }
    expect(firstString(Buffer.from("OK\0"))).toBe("OK");
    expect(firstString(Buffer.from("12"))).toBe("12");
    expect(pathAndValue("/x", Buffer.from([1, 0, 2])).toString("latin1")).toBe("/x\0\x01\0\x02");
  });
});

describe("FrameDecoder", () => {
  const frame = (type: number, reqId: number, payload: string) => encodeFrame(type, reqId, 0, Buffer.from(payload));

  it("decodes several frames from one chunk and a frame split across chunks", () => {
    const d = new FrameDecoder();
    const bytes = Buffer.concat([frame(XS.READ, 1, "v1"), frame(XS.READ, 2, "v2"), frame(XS.READ, 3, "v3")]);
    const r1 = d.push(bytes.subarray(0, 40));
    expect(r1.error).toBeNull();
    expect(r1.frames.map((f) => f.reqId)).toEqual([1, 2]);
    expect(d.buffered).toBe(4);
    const r2 = d.push(bytes.subarray(40));
    expect(r2.frames.map((f) => f.payload.toString())).toEqual(["v3"]);
    expect(d.buffered).toBe(0);
  });

  it("waits on a partial header without error", () => {
    const d = new FrameDecoder();
    expect(d.push(Buffer.alloc(7))).toEqual({ frames: [], error: null });
    expect(d.buffered).toBe(7);
  });

  it("fails on oversize len as soon as the header is complete, then stays poisoned", () => {
    const d = new FrameDecoder();
    const h = encodeHeader({ type: XS.READ, reqId: 1, txId: 0, len: 4097 });
    const r = d.push(h);
    expect(r.error).toBeInstanceOf(XenStoreProtocolError);
    expect(d.buffered).toBe(0);
    expect(d.push(frame(XS.READ, 2, "ok")).error).toBe(r.error);
  });

  it("rejects unacceptable types when asked to", () => {
    const d = new FrameDecoder({ acceptType: isKnownType });
    expect(d.push(encodeHeader({ type: 20, reqId: 1, txId: 0, len: 0 })).error).toBeInstanceOf(XenStoreProtocolError);
    const ok = new FrameDecoder({ acceptType: isKnownType });
    expect(ok.push(encodeHeader({ type: 22, reqId: 1, txId: 0, len: 0 })).frames).toHaveLength(1);
  });
});

describe("permissions", () => {
  it("parses w|r|b|n<domid>, owner first", () => {
    expect(parsePerms(["n0", "r5", "b7", "w9"])).toEqual({
      owner: 0,
      defaultAccess: "none",
      entries: [
        { domid: 0, access: "none" },
        { domid: 5, access: "read" },
        { domid: 7, access: "both" },
        { domid: 9, access: "write" },
      ],
    });
    expect(parsePerms(["b3"]).defaultAccess).toBe("both");
  });

  it("refuses the letter alone, junk, bad letters and out-of-range domids", () => {
    for (const bad of ["b", "r", "x1", "r1a", "r-1", "R1", "r65536", " r1", ""]) {
      expect(parsePermEntry(bad), bad).toBeNull();
    }
    expect(() => parsePerms([])).toThrow(XenStoreProtocolError);
    expect(() => parsePerms(["n0", "q1"])).toThrow(XenStoreProtocolError);
  });

  it("formats back to the wire and computes access like xenstored", () => {
    const p = parsePerms(["n0", "r5"]);
    expect(formatPerms(p)).toEqual(["n0", "r5"]);
    expect(accessFor(p, 0)).toEqual({ read: true, write: true }); // owner
    expect(accessFor(p, 5)).toEqual({ read: true, write: false });
    expect(accessFor(p, 6)).toEqual({ read: false, write: false }); // default "n"
    expect(accessFor(parsePerms(["r2"]), 9)).toEqual({ read: true, write: false });
  });
});

describe("resolveSocketPath (libxenstore rules)", () => {
  it("prefers XENSTORED_PATH", () => {
    expect(resolveSocketPath({ XENSTORED_PATH: "/tmp/x.sock", XENSTORED_RUNDIR: "/r" })).toBe("/tmp/x.sock");
  });
  it("uses XENSTORED_RUNDIR/socket, else /var/run/xenstored/socket", () => {
    expect(resolveSocketPath({ XENSTORED_RUNDIR: "/run/xenstored" })).toBe("/run/xenstored/socket");
    expect(resolveSocketPath({})).toBe("/var/run/xenstored/socket");
  });
  it("treats a set-but-empty variable as set, as getenv() != NULL does", () => {
    expect(resolveSocketPath({ XENSTORED_PATH: "" })).toBe("");
    expect(resolveSocketPath({ XENSTORED_RUNDIR: "" })).toBe("/socket");
  });
});

describe("errors", () => {
  it("map to PeerError kinds", () => {
    expect(toPeerError(new XenStoreTimeoutError("READ", "/x", 5)).kind).toBe("timeout");
    expect(toPeerError(new XenStoreConnectionError("gone")).kind).toBe("unreachable");
    expect(toPeerError(new XenStoreProtocolError("bad")).kind).toBe("protocol");
    expect(toPeerError(new XenStoreError("EACCES", "READ", "/x")).kind).toBe("denied");
    expect(toPeerError(new XenStoreError("ENOENT", "READ", "/x")).kind).toBe("absent");
    expect(toPeerError(new XenStoreError("EINVAL", "READ", "/x")).kind).toBe("error");
    expect(new XenStoreError("ENOENT", "READ", "/x").message).toBe("READ /x: ENOENT");
  });
});

describe("path rules of the simulated xenstored", () => {
  it("validates like is_valid_nodename", () => {
    for (const ok of ["/", "/a", "/local/domain/0/name", "/a-b_c@d/1"]) expect(isValidAbsolute(ok), ok).toBe(true);
    for (const bad of ["", "a", "/a/", "//a", "/a//b", "/a b", "/a.b", "/é", "/" + "a".repeat(3072)]) {
      expect(isValidAbsolute(bad), bad).toBe(false);
    }
  });
  it("resolves relative paths against /local/domain/<domid>", () => {
    expect(canonicalize("name", 0)).toBe("/local/domain/0/name");
    expect(canonicalize("device/vbd", 3)).toBe("/local/domain/3/device/vbd");
    expect(canonicalize("", 0)).toBeNull();
    expect(parentOf("/a/b")).toBe("/a");
    expect(parentOf("/a")).toBe("/");
  });
});
