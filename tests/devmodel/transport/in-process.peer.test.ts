/**
 * The transport seam (issue 9 §1, prerequisite): both protocol clients, and a whole snapshot,
 * run unchanged over a stream that is not a socket — here one end of an in-process pair served
 * by the simulator. An SSH channel is such a stream; nothing above the transport needs to know.
 */
import fs from "node:fs";
import type { Duplex } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostAccess } from "@/lib/devmodel/host-access";
import { localProcFs } from "@/lib/devmodel/procfs";
import { QmpClient, listLocalQmpSockets, parseQmpSocketName, queryQmpFacts } from "@/lib/devmodel/qmp";
import { startSimHost, type SimHost } from "@/lib/devmodel/sim/host";
import type { QmpServer } from "@/lib/devmodel/sim/qmp";
import type { XenStoreServer } from "@/lib/devmodel/sim/xenstored";
import { takeSnapshot } from "@/lib/devmodel/snapshot";
import { inProcessTransport, type StreamTransport } from "@/lib/devmodel/transport";
import type { HostSnapshot } from "@/lib/devmodel/types";
import { walkSubtree } from "@/lib/devmodel/snapshot-xenstore";
import { XenStoreClient } from "@/lib/devmodel/xenstore";
import { nextEvent, waitFor } from "../xenstore/helpers";
import { simPaths, simTmpDir } from "../sim/tmp";

// The simulator's servers take any Duplex; their connection handlers are private because
// they normally come from net.Server.
const xenstoreOver = (server: XenStoreServer, address: string): StreamTransport =>
  inProcessTransport(address, (end: Duplex) => (server as unknown as { accept(s: Duplex): void }).accept(end));
const qmpOver = (server: QmpServer, address: string): StreamTransport =>
  inProcessTransport(address, (end: Duplex) => (server as unknown as { onConnection(s: Duplex): void }).onConnection(end));

let dir: string;
let host: SimHost;
beforeAll(async () => {
  dir = simTmpDir("inproc");
  host = await startSimHost({ vms: 12, seed: 8, ...simPaths(dir) });
});
afterAll(async () => {
  await host?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The host reached without any of its sockets: XenStore and QMP in process, /proc from its directory. */
function inProcessAccess(h: SimHost): HostAccess {
  return {
    source: { xenstored: h.socket, qmpDir: h.qmpDir, procRoot: h.procDir },
    xenstored: xenstoreOver(h.server, h.socket),
    qmp: {
      dir: h.qmpDir,
      scan: () => listLocalQmpSockets(h.qmpDir),
      transport: (p) => qmpOver(h.qmpServer(parseQmpSocketName(p.split("/").pop()!)!.domid)!, p),
    },
    proc: localProcFs(h.procDir),
  };
}

describe("the clients over an in-process stream", () => {
  it("XenStore: reads, listings, transactions and watches", async () => {
    const client = await XenStoreClient.connect({ transport: xenstoreOver(host.server, "mem:xenstored"), timeoutMs: 2000 });
    try {
      expect(client.path).toBe("mem:xenstored");
      expect(await client.read("/local/domain/0/name")).toBe("Domain-0");
      const doms = await client.directory("/local/domain");
      expect(doms).toContain(String(host.fleet.guests[0].domid));
      const viaSocket = await XenStoreClient.connect({ path: host.socket });
      try {
        expect(Object.fromEntries(await walkSubtree(client, "/libxl", { transaction: true }))).toEqual(
          Object.fromEntries(await walkSubtree(viaSocket, "/libxl")),
        );
      } finally {
        await viaSocket.close();
      }
      const w = await client.watch("/local/domain/0/data");
      expect((await nextEvent(w)).path).toBe("/local/domain/0/data");
      host.server.store.write("/local/domain/0/data/x", "1");
      expect((await nextEvent(w)).path).toBe("/local/domain/0/data/x");
    } finally {
      await client.close();
    }
    // close() ended the server's end of the pair too.
    await waitFor(() => host.server.connectionCount === 0);
  });

  it("QMP: greeting, negotiation, queries, facts", async () => {
    const g = host.fleet.guests.find((x) => x.qmp?.mode === "normal")!;
    const t = qmpOver(host.qmpServer(g.domid)!, "mem:qmp");
    const c = await QmpClient.connect(t, { timeoutMs: 2000 });
    try {
      expect(c.greeting?.QMP.version.qemu.major).toBeGreaterThan(0);
      expect(await c.execute("query-name")).toEqual({ name: g.name });
    } finally {
      await c.close();
    }
    expect(await queryQmpFacts(t, { timeoutMs: 2000 })).toMatchObject({ status: "ok", socket: "mem:qmp", name: g.name });
  });
});

describe("a snapshot over any host access", () => {
  it("equals the snapshot of the same host through its sockets", async () => {
    const strip = (s: HostSnapshot) => ({
      ...s,
      takenAt: "",
      elapsedMs: 0,
      domains: s.domains.map((d) => ({ ...d, qmp: d.qmp.status === "ok" ? { ...d.qmp, elapsedMs: 0 } : d.qmp })),
    });
    const opts = { qmpTimeoutMs: 300 };
    const local = await takeSnapshot({ xenstored: host.socket, qmpDir: host.qmpDir, procRoot: host.procDir, ...opts });
    const remote = await takeSnapshot({ access: inProcessAccess(host), ...opts });
    expect(remote.xenstore.ok).toBe(true);
    expect(remote.domains.filter((d) => d.qmp.status === "ok").length).toBeGreaterThan(3);
    expect(strip(remote)).toEqual(strip(local));
  });
});
