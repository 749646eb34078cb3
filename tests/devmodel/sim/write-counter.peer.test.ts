/**
 * The simulated xenstored counts write-type requests per connection and per socket, so a
 * test can tell what dmboard's readers sent from what a test wrote on purpose. Checked with
 * raw frames and with Debian's own C client tools.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { startSimHost } from "@/lib/devmodel/sim";
import { MAIN_LABEL, SESSION_LABEL, WRITER_LABEL, XenStoreServer } from "@/lib/devmodel/sim/xenstored";
import { XS, encodeFrame, joinStrings } from "@/lib/devmodel/xenstore/wire";
import { simPaths, simTmpDir } from "./tmp";

const run = promisify(execFile);
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe("write counter of the simulated xenstored", () => {
  it("counts every write-type request, failed ones included, per connection; reads are not writes", () => {
    const server = new XenStoreServer();
    const a = server.openSession();
    const b = server.openSession();
    let req = 0;
    const send = (s: typeof a, type: number, payload: Buffer | string[]) =>
      s.push(encodeFrame(type, ++req, 0, Array.isArray(payload) ? joinStrings(payload) : payload));

    send(a, XS.READ, ["/local"]);
    send(a, XS.DIRECTORY, ["/"]);
    send(a, XS.GET_PERMS, ["/"]);
    send(a, XS.WATCH, ["/local", "t"]);
    send(a, XS.TRANSACTION_START, [""]);
    expect(server.stats()).toMatchObject({ requests: 5, writes: 0 });

    send(b, XS.WRITE, Buffer.from("/x/y\0v"));
    send(b, XS.MKDIR, ["/x/z"]);
    send(b, XS.SET_PERMS, ["/x", "n0", "r3"]);
    send(b, XS.RM, ["/nowhere/at-all"]); // ENOENT (parent missing): still an attempt to write
    send(b, XS.INTRODUCE, ["9", "1234", "5"]);
    send(b, XS.READ, ["/x/y"]);

    const s = server.stats();
    expect(s).toMatchObject({ connections: 2, open: 2, requests: 11, writes: 5 });
    expect(s.byLabel[SESSION_LABEL]).toEqual({ connections: 2, requests: 11, writes: 5 });
    const [ca, cb] = s.perConnection;
    expect(ca).toMatchObject({ id: 1, label: SESSION_LABEL, open: true, requests: 5, writes: 0, writesByType: {} });
    expect(cb).toMatchObject({ id: 2, requests: 6, writes: 5, writesByType: { WRITE: 1, MKDIR: 1, SET_PERMS: 1, RM: 1, INTRODUCE: 1 } });
    // A closed connection keeps its counts.
    b.close();
    expect(server.stats().perConnection[1]).toMatchObject({ id: 2, open: false, writes: 5 });
    expect(server.statsLine()).toBe("2 connections (1 open), 11 requests, 5 writes [session: 5 writes in 11 requests]");
  });

  it("tells Debian's xenstore-ls on the main socket from xenstore-write on the writer socket", async () => {
    const dir = simTmpDir("wcount");
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const writerSocket = path.join(dir, "writer.sock");
    const h = await startSimHost({ vms: 3, seed: 2, ...simPaths(dir), writerSocket });
    cleanup.push(() => h.stop());
    const on = (socket: string) => ({ env: { ...process.env, XENSTORED_PATH: socket } });

    const ls = await run("xenstore-ls", ["-f", "/local/domain/1"], on(h.socket));
    expect(ls.stdout).toContain("/local/domain/1/name");
    await run("xenstore-write", ["/local/domain/1/data/note", "hello", "/local/domain/1/data/other", "x"], on(writerSocket));
    await run("xenstore-rm", ["/local/domain/1/data/other"], on(writerSocket));
    // The write is on the same store: readers on the main socket see it.
    expect((await run("xenstore-read", ["/local/domain/1/data/note"], on(h.socket))).stdout.trim()).toBe("hello");

    let s = h.server.stats();
    expect(s.byLabel[MAIN_LABEL].requests).toBeGreaterThan(10);
    expect(s.byLabel[MAIN_LABEL].writes).toBe(0);
    expect(s.byLabel[WRITER_LABEL].writes).toBe(3);

    // The counter does see a C client writing on the readers' socket.
    await run("xenstore-write", ["/local/domain/1/data/note", "again"], on(h.socket));
    s = h.server.stats();
    expect(s.byLabel[MAIN_LABEL].writes).toBe(1);
    const culprit = s.perConnection.find((c) => c.label === MAIN_LABEL && c.writes > 0)!;
    expect(culprit.writesByType).toEqual({ WRITE: 1 });
  });
});
