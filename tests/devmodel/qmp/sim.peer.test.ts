import { existsSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { QmpClient, QmpError, queryQmpFacts, type QmpEvent } from "@/lib/devmodel/qmp";
import { defaultProfile, QmpInputScanner, qemuJson, QmpServer, XEN_QMP_COMMANDS } from "@/lib/devmodel/sim/qmp";
import { RawConn, tempDir } from "./helpers";

const tmp = tempDir();
let n = 0;
const sock = () => path.join(tmp.dir, `s${n++}.sock`);
const servers: QmpServer[] = [];
const clients: QmpClient[] = [];

async function serve(server = new QmpServer({ profile: defaultProfile(7) })): Promise<{ server: QmpServer; path: string }> {
  const p = sock();
  await server.listen({ path: p });
  servers.push(server);
  return { server, path: p };
}
async function connect(p: string): Promise<QmpClient> {
  const c = await QmpClient.connect({ path: p }, { timeoutMs: 1_000 });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  tmp.cleanup();
});

describe("simulated QmpServer", () => {
  it("answers from a Xen guest's profile: name, CD-ROM, VNC, chardevs, cpus, Xen commands", async () => {
    const { path: p } = await serve(new QmpServer({ profile: defaultProfile(7, { vcpus: 2 }) }));
    const facts = await queryQmpFacts({ path: p });
    if (facts.status !== "ok") throw new Error(facts.error);
    expect(facts).toMatchObject({
      runState: "running",
      running: true,
      name: "guest-7",
      version: { major: 7, minor: 2, micro: 22, package: "Debian 1:7.2+dfsg-7+deb12u18+b3" },
      vnc: { enabled: true, host: "127.0.0.1", service: "5907" },
    });
    expect(facts.blockDevices).toEqual([
      { device: "ide0-hd0", removable: false, inserted: "/var/lib/xen/images/guest-7.img" },
      { device: "ide-5632", removable: true, inserted: null },
    ]);
    for (const x of XEN_QMP_COMMANDS) expect(facts.commands).toContain(x);
    const c = await connect(p);
    expect((await c.execute<{ label: string }[]>("query-chardev")).map((x) => x.label)).toEqual(["libxl-cmd", "libxenstat-cmd", "serial0"]);
    expect(await c.execute<unknown[]>("query-cpus-fast")).toHaveLength(2);
    expect(await c.execute("query-uuid")).toEqual({ UUID: "6f1c2a3e-0000-4000-8000-000000000007" });
    expect(await c.execute("query-kvm")).toEqual({ enabled: false, present: false });
    expect(await c.execute("query-xen-replication-status")).toEqual({ error: false });
    const pci = await c.execute<{ devices: { qdev_id: string }[] }[]>("query-pci");
    expect(pci[0].devices.map((d) => d.qdev_id)).toContain("xen-platform");
  });

  it("serves one client at a time: the next one is greeted when the first leaves", async () => {
    const { server, path: p } = await serve();
    const first = await connect(p);
    let secondReady = false;
    const second = QmpClient.connect({ path: p }, { timeoutMs: 2_000 }).then((c) => {
      secondReady = true;
      clients.push(c);
      return c;
    });
    await new Promise((r) => setTimeout(r, 60));
    expect(secondReady).toBe(false);
    expect(server.connections).toBe(2);
    await first.close();
    const c2 = await second;
    expect(await c2.execute("query-name")).toEqual({ name: "guest-7" });
  });

  it("emits STOP/RESUME/SHUTDOWN on run-state changes and custom events, only after negotiation", async () => {
    const { server, path: p } = await serve();
    expect(server.emitEvent("NOBODY")).toBe(false);
    const c = await connect(p);
    const it = c.events();
    const got: QmpEvent[] = [];
    const next = async () => (await it.next()).value as QmpEvent;
    server.setRunState("paused");
    got.push(await next());
    expect(await c.execute("query-status")).toMatchObject({ status: "paused", running: false });
    server.setRunState("running");
    got.push(await next());
    server.setRunState("shutdown");
    got.push(await next(), await next());
    expect(server.emitEvent("BLOCK_IO_ERROR", { device: "ide0-hd0", operation: "write", action: "report" })).toBe(true);
    got.push(await next());
    expect(got.map((e) => e.event)).toEqual(["STOP", "RESUME", "SHUTDOWN", "STOP", "BLOCK_IO_ERROR"]);
    expect(got[2].data).toEqual({ guest: true, reason: "guest-shutdown" });
    expect(got[4].data).toMatchObject({ device: "ide0-hd0" });
    expect(got[0].timestamp.seconds).toBeGreaterThan(1_600_000_000);
    await it.return?.();
  });

  it("drives the lifecycle commands libxl uses (over a raw socket) like the recorded QEMU", async () => {
    const { path: p } = await serve(new QmpServer({ profile: defaultProfile(3, { runState: "prelaunch" }) }));
    const raw = await RawConn.open(p);
    await raw.line();
    raw.send('{"execute":"qmp_capabilities"}');
    expect(await raw.line()).toBe('{"return": {}}\r\n');
    raw.send('{"execute":"cont","id":1}');
    expect(await raw.line()).toMatch(/^\{"timestamp": \{"seconds": \d+, "microseconds": \d+\}, "event": "RESUME"\}\r\n$/);
    expect(await raw.line()).toBe('{"return": {}, "id": 1}\r\n');
    raw.send('{"execute":"xen-save-devices-state","id":2}');
    expect(await raw.line()).toBe(`{"id": 2, "error": {"class": "GenericError", "desc": "Parameter 'filename' is missing"}}\r\n`);
    raw.send('{"execute":"xen-save-devices-state","arguments":{"filename":"/tmp/s","live":false},"id":3}');
    expect(await raw.line()).toBe('{"return": {}, "id": 3}\r\n');
    // An ASCII control character resets the parser (qmp-spec "recovery").
    raw.send('{"execute":"query-sta\x1b{"execute":"query-status","id":4}');
    expect(await raw.line()).toBe('{"return": {"status": "running", "singlestep": false, "running": true}, "id": 4}\r\n');
    raw.send("garbage\n[1]\n");
    expect(await raw.line()).toBe(`{"error": {"class": "GenericError", "desc": "JSON parse error, invalid keyword 'garbage'"}}\r\n`);
    expect(await raw.line()).toBe('{"error": {"class": "GenericError", "desc": "QMP input must be a JSON object"}}\r\n');
    raw.send('{"execute":"quit","id":5}');
    expect(await raw.line()).toBe('{"return": {}, "id": 5}\r\n');
    expect(await raw.line()).toMatch(/"event": "SHUTDOWN", "data": \{"guest": false, "reason": "host-qmp-quit"\}/);
    await new Promise((r) => setTimeout(r, 30));
    expect(existsSync(p)).toBe(false);
    raw.close();
  });

  it("lets a profile override replies (e.g. a QEMU without VNC)", async () => {
    const profile = defaultProfile(9, {
      name: null,
      replies: { "query-vnc": { error: { class: "CommandNotFound", desc: "The command query-vnc has not been found" } } },
    });
    const { path: p } = await serve(new QmpServer({ profile }));
    const facts = await queryQmpFacts({ path: p });
    expect(facts).toMatchObject({ status: "ok", vnc: null, name: null });
    const c = await connect(p);
    await expect(c.execute("query-vnc")).rejects.toBeInstanceOf(QmpError);
    expect(await c.execute("query-name")).toEqual({});
  });

  it("serves TCP too", async () => {
    const server = new QmpServer({ profile: defaultProfile(4) });
    servers.push(server);
    const addr = await server.listen({ host: "127.0.0.1", port: 0 });
    if ("path" in addr) throw new Error("expected TCP");
    expect(addr.port).toBeGreaterThan(0);
    const facts = await queryQmpFacts(addr);
    expect(facts).toMatchObject({ status: "ok", socket: `127.0.0.1:${addr.port}`, name: "guest-4" });
  });

  it("is cheap enough for a simulated host: 200 servers, no timers, answered in turn", async () => {
    const many = Array.from({ length: 200 }, (_, i) => new QmpServer({ profile: defaultProfile(i + 1) }));
    const paths = many.map((_, i) => path.join(tmp.dir, `m${i}`));
    await Promise.all(many.map((s, i) => s.listen({ path: paths[i] })));
    try {
      const facts = await Promise.all(paths.slice(0, 50).map((p) => queryQmpFacts({ path: p })));
      expect(facts.map((f) => (f.status === "ok" ? f.name : f.error))).toEqual(paths.slice(0, 50).map((_, i) => `guest-${i + 1}`));
      // Each conversation was closed by the client; the servers notice on their next turn of the loop.
      await vi.waitFor(() => expect(many.filter((s) => s.connections > 0)).toHaveLength(0), { timeout: 1_000 });
    } finally {
      await Promise.all(many.map((s) => s.close()));
    }
  });
});

describe("QEMU-style wire helpers", () => {
  it("qemuJson writes QEMU's spacing and ASCII-only strings", () => {
    expect(qemuJson({ return: { a: [1, true, null], b: "é" }, id: undefined })).toBe('{"return": {"a": [1, true, null], "b": "\\u00e9"}}');
    expect(JSON.parse(qemuJson({ x: "é\n" }))).toEqual({ x: "é\n" });
  });

  it("the input scanner splits concatenated values and never throws or grows unbounded (3,000 runs)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.json({ maxDepth: 2 })), { maxLength: 10 }), (parts) => {
        const s = new QmpInputScanner();
        for (const part of parts) for (const item of s.push(part)) expect(["value", "error"]).toContain(item.kind);
      }),
      { numRuns: 3_000 },
    );
    const s = new QmpInputScanner();
    const objs = [
      { execute: "a", id: 1 },
      { execute: "b}{", arguments: { x: ["]"] } },
    ];
    const items = s.push(
      objs
        .map((o) => JSON.stringify(o))
        .join("")
        .slice(0, 20),
    );
    expect(items).toEqual([]);
    const rest = s.push(
      objs
        .map((o) => JSON.stringify(o))
        .join("")
        .slice(20),
    );
    expect(rest.map((i) => (i.kind === "value" ? JSON.parse(i.text) : i))).toEqual(objs);
  });
});
