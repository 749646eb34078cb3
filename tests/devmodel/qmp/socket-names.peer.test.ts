import { writeFileSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findQmpSocket, listQmpDomids, parseQmpSocketName, pickQmpSockets, scanQmpSockets } from "@/lib/devmodel/qmp";
import { tempDir } from "./helpers";

const tmp = tempDir();
const listeners: net.Server[] = [];

beforeAll(async () => {
  for (const name of ["qmp-libxl-3", "qmp-libxenstat-3", "qmp-libxl-5", "qmp-libxenstat-12", "qmp-libxl-07", "qmp-libxl-x", "qmp-libxl-32752"]) {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(path.join(tmp.dir, name), r));
    listeners.push(s);
  }
  writeFileSync(path.join(tmp.dir, "qmp-libxl-9"), "not a socket");
  mkdirSync(path.join(tmp.dir, "qmp-libxl-10"));
});
afterAll(async () => {
  await Promise.all(listeners.map((s) => new Promise((r) => s.close(r))));
  tmp.cleanup();
});

describe("QMP socket names", () => {
  it("parses libxl's names strictly", () => {
    expect(parseQmpSocketName("qmp-libxl-0")).toEqual({ domid: 0, kind: "libxl" });
    expect(parseQmpSocketName("qmp-libxenstat-32751")).toEqual({ domid: 32751, kind: "libxenstat" });
    for (const bad of ["qmp-libxl-", "qmp-libxl-01", "qmp-libxl-32752", "qmp-libxl-1.sock", "qmp-libxl--1", "xqmp-libxl-1", "qmp-libxl-1e3"]) {
      expect(parseQmpSocketName(bad), bad).toBeNull();
    }
  });

  it("prefers the libxenstat socket whatever the listing order", () => {
    const a = pickQmpSockets("/run/xen", ["qmp-libxenstat-4", "qmp-libxl-4"]).get(4);
    const b = pickQmpSockets("/run/xen", ["qmp-libxl-4", "qmp-libxenstat-4"]).get(4);
    expect(a).toEqual({ domid: 4, kind: "libxenstat", path: "/run/xen/qmp-libxenstat-4" });
    expect(b).toEqual(a);
  });

  it("finds sockets in a directory, ignoring files, directories and bad names", async () => {
    expect(await findQmpSocket(tmp.dir, 3)).toBe(path.join(tmp.dir, "qmp-libxenstat-3"));
    expect(await findQmpSocket(tmp.dir, 5)).toBe(path.join(tmp.dir, "qmp-libxl-5"));
    expect(await findQmpSocket(tmp.dir, 9)).toBeNull();
    expect(await findQmpSocket(tmp.dir, 10)).toBeNull();
    expect(await findQmpSocket(tmp.dir, 7)).toBeNull();
    expect(await listQmpDomids(tmp.dir)).toEqual([3, 5, 12]);
    expect((await scanQmpSockets(tmp.dir)).get(12)?.kind).toBe("libxenstat");
  });

  it("treats a missing directory as no sockets", async () => {
    expect(await listQmpDomids(path.join(tmp.dir, "absent"))).toEqual([]);
    expect(await findQmpSocket(path.join(tmp.dir, "absent"), 1)).toBeNull();
  });
});
