import path from "node:path";
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  isReadOnlyCommand,
  QMP_READ_ONLY_COMMANDS,
  QmpClient,
  QmpClientError,
  QmpConnectionError,
  QmpError,
  QmpProtocolError,
  QmpRefusedError,
  QmpTimeoutError,
  type QmpEvent,
  type QmpReadOnlyCommand,
} from "@/lib/devmodel/qmp";
import { FakePeer, GREETING } from "./fake-peer";
import { tempDir } from "./helpers";

const tmp = tempDir();
let n = 0;
const sockPath = () => path.join(tmp.dir, `p${n++}.sock`);
const peers: FakePeer[] = [];
const clients: QmpClient[] = [];

async function fake(setup?: (p: FakePeer) => void): Promise<FakePeer> {
  const p = new FakePeer(sockPath());
  setup?.(p);
  await p.listen();
  peers.push(p);
  return p;
}
async function connect(p: FakePeer, timeoutMs = 1_000): Promise<QmpClient> {
  const c = await QmpClient.connect({ path: p.path }, { timeoutMs });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  tmp.cleanup();
});

describe("allowlist", () => {
  it("is query commands only, and excludes every state-changing command libxl uses", () => {
    for (const c of QMP_READ_ONLY_COMMANDS) expect(c.startsWith("query-")).toBe(true);
    const mutating = [
      "qmp_capabilities",
      "quit",
      "stop",
      "cont",
      "system_reset",
      "system_powerdown",
      "system_wakeup",
      "human-monitor-command",
      "xen-save-devices-state",
      "xen-load-devices-state",
      "xen-set-global-dirty-log",
      "xen-set-replication",
      "xen-colo-do-checkpoint",
      "device_add",
      "device_del",
      "add-fd",
      "remove-fd",
      "eject",
      "change",
      "blockdev-change-medium",
      "change-vnc-password",
      "cpu-add",
      "migrate",
      "x-blockdev-change",
      "nbd-server-start",
      "nbd-server-add",
      "nbd-server-stop",
    ];
    for (const c of mutating) expect(isReadOnlyCommand(c), c).toBe(false);
    for (const v of [undefined, null, 1, {}, ["query-status"], "Query-Status", " query-status", "query-status\n"]) {
      expect(isReadOnlyCommand(v)).toBe(false);
    }
  });

  it("refuses before anything reaches the socket", async () => {
    const p = await fake();
    const c = await connect(p);
    const before = p.bytes;
    expect(p.text).toContain("qmp_capabilities");
    const attempts: unknown[] = [
      "quit",
      "stop",
      "human-monitor-command",
      "qmp_capabilities",
      "xen-load-devices-state",
      "QUERY-STATUS",
      "query-status\n",
      'query-status","execute":"quit',
      42,
      null,
      { toString: () => "query-status" },
    ];
    for (const a of attempts) {
      const err = await c.execute(a as QmpReadOnlyCommand).catch((e: unknown) => e);
      expect(err, String(a)).toBeInstanceOf(QmpRefusedError);
    }
    // Arguments must be a plain JSON object.
    for (const args of [[1], "x", new Date(), { big: 1n }]) {
      const err = await c.execute("query-status", args as unknown as Record<string, unknown>).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QmpRefusedError);
    }
    expect(p.bytes).toBe(before);
    // Control: an allowed command does reach the peer.
    await c.execute("query-status");
    expect(p.bytes).toBeGreaterThan(before);
    expect(p.text).not.toMatch(/quit|stop|human/);
  });

  it("is enforced by the type checker too", async () => {
    // Checked by `tsc --noEmit`: each line is a compile error; at run time, a refusal.
    const c = Object.create(QmpClient.prototype) as QmpClient;
    // @ts-expect-error "quit" is not a QmpReadOnlyCommand
    await expect(c.execute("quit")).rejects.toBeInstanceOf(QmpRefusedError);
    // @ts-expect-error "human-monitor-command" is not a QmpReadOnlyCommand
    await expect(c.execute("human-monitor-command")).rejects.toBeInstanceOf(QmpRefusedError);
    // @ts-expect-error negotiation is internal
    await expect(c.execute("qmp_capabilities")).rejects.toBeInstanceOf(QmpRefusedError);
  });
});

describe("QmpClient against scripted peers", () => {
  it("rejects a bad greeting with QmpProtocolError", async () => {
    for (const greeting of ['{"hello": 1}\r\n', '{"QMP": {"version": {"qemu": {"major": "7"}}}}\r\n', "SSH-2.0-OpenSSH\r\n"]) {
      const p = await fake((x) => (x.greeting = greeting));
      const err = await connect(p).catch((e: unknown) => e);
      expect(err, greeting).toBeInstanceOf(QmpProtocolError);
    }
  });

  it("times out a silent peer at the greeting", async () => {
    const p = await fake((x) => (x.greeting = null));
    const t0 = performance.now();
    const err = await connect(p, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect((err as QmpTimeoutError).phase).toBe("greeting");
    expect(performance.now() - t0).toBeLessThan(10_000); // bounded; speed is the bench's business
  });

  it("fails negotiation when qmp_capabilities is refused", async () => {
    const p = await fake((x) => {
      x.onLine = (s, line) => s.write(JSON.stringify({ id: JSON.parse(line).id, error: { class: "GenericError", desc: "no" } }) + "\r\n");
    });
    await expect(connect(p)).rejects.toBeInstanceOf(QmpProtocolError);
  });

  it("times out one command, drops its late reply, and stays usable", async () => {
    const p = await fake((x) => {
      x.onLine = (s, line) => {
        const req = JSON.parse(line) as { execute: string; id: number };
        const reply = JSON.stringify({ return: { cmd: req.execute }, id: req.id }) + "\r\n";
        if (req.execute === "query-uuid") setTimeout(() => s.write(reply), 120);
        else s.write(reply);
      };
    });
    const c = await connect(p);
    const err = await c.execute("query-uuid", undefined, { timeoutMs: 40 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect(err).toMatchObject({ phase: "command", command: "query-uuid" });
    await new Promise((r) => setTimeout(r, 150));
    expect(await c.execute("query-name")).toEqual({ cmd: "query-name" });
    expect(c.closed).toBe(false);
  });

  it("matches out-of-order replies by id, drops unknown ids, maps id-less errors to the oldest command", async () => {
    const p = await fake((x) => {
      x.onLine = (s, line, lines) => {
        const req = JSON.parse(line) as { execute: string; id: number };
        if (req.execute === "qmp_capabilities") return void s.write(JSON.stringify({ return: {}, id: req.id }) + "\r\n");
        if (lines.length === 3) {
          // Answer the two queued commands in reverse, with noise in between.
          const [a, b] = lines.slice(1).map((l) => JSON.parse(l) as { id: number });
          s.write(`{"return": "second", "id": ${b.id}}\r\n{"return": "stray", "id": 999}\r\n{"something": "new"}\r\n`);
          s.write(`{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "STOP"}\r\n{"return": "first", "id": ${a.id}}\r\n`);
        }
        if (lines.length === 4) s.write('{"error": {"class": "GenericError", "desc": "JSON parse error"}}\r\n');
      };
    });
    const c = await connect(p);
    const events: QmpEvent[] = [];
    c.on("event", (e) => events.push(e));
    const [a, b] = await Promise.all([c.execute("query-status"), c.execute("query-name")]);
    expect([a, b]).toEqual(["first", "second"]);
    expect(events.map((e) => e.event)).toEqual(["STOP"]);
    const err = await c.execute("query-kvm").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect(err).toMatchObject({ errorClass: "GenericError", command: "query-kvm" });
  });

  it("delivers events to listeners and iterators; iterators end when the session ends", async () => {
    const p = await fake();
    const c = await connect(p);
    const it1 = c.events();
    const seen: string[] = [];
    const off = c.on("event", (e) => seen.push(e.event));
    const bad = c.on("event", () => {
      throw new Error("listener bug");
    });
    const warned = new Promise((resolve) => process.once("warning", resolve));
    const sock = [...(p as unknown as { sockets: Set<import("node:net").Socket> }).sockets][0];
    sock.write('{"timestamp": {"seconds": 1, "microseconds": 0}, "event": "RESUME"}\r\n');
    sock.write('{"timestamp": {"seconds": 2, "microseconds": 0}, "event": "RESET", "data": {"guest": true}}\r\n');
    const first = await it1.next();
    expect(first.value).toMatchObject({ event: "RESUME" });
    expect((await it1.next()).value).toMatchObject({ event: "RESET", data: { guest: true } });
    expect(seen).toEqual(["RESUME", "RESET"]);
    expect(await warned).toBeInstanceOf(Error);
    off();
    bad();
    const done = it1.next();
    p.dropClients();
    expect(await done).toEqual({ value: undefined, done: true });
  });

  it("close() rejects pending commands with QmpConnectionError and resolves once closed", async () => {
    const p = await fake((x) => {
      x.onLine = (s, line) => {
        const req = JSON.parse(line) as { execute: string; id: number };
        if (req.execute === "qmp_capabilities") s.write(JSON.stringify({ return: {}, id: req.id }) + "\r\n");
      };
    });
    const c = await connect(p);
    const pending = c.execute("query-status").catch((e: unknown) => e);
    const reasons: unknown[] = [];
    c.on("close", (r) => reasons.push(r));
    await c.close();
    expect(await pending).toBeInstanceOf(QmpConnectionError);
    expect(reasons).toEqual([null]);
    expect(c.closed).toBe(true);
    await c.close(); // idempotent
  });

  it("rejects with QmpConnectionError(connect) for a missing socket and a refused TCP port", async () => {
    const e1 = await QmpClient.connect({ path: path.join(tmp.dir, "missing.sock") }).catch((e: unknown) => e);
    expect(e1).toMatchObject({ phase: "connect", code: "ENOENT" });
    expect(e1).toBeInstanceOf(QmpConnectionError);
    const e2 = await QmpClient.connect({ host: "127.0.0.1", port: 1 }).catch((e: unknown) => e);
    expect(e2).toMatchObject({ phase: "connect", code: "ECONNREFUSED" });
  });

  it("treats an oversize message as a protocol error", async () => {
    const p = await fake((x) => (x.greeting = GREETING.replace('"test"', JSON.stringify("p".repeat(300)))));
    const err = await QmpClient.connect({ path: p.path }, { maxMessageBytes: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: "oversize" });
  });
});

describe("QmpClient fed garbage (property-based)", () => {
  it("ends every conversation with a value or a typed error, promptly (1,000 runs)", async () => {
    let script: Buffer[] = [];
    const p = await fake((x) => {
      x.greeting = null;
      x.onLine = () => {};
    });
    // Replace the greeting with whatever this run wants the peer to say.
    (p as unknown as { server: import("node:net").Server }).server.on("connection", (s) => {
      for (const b of script) s.write(b);
      s.end();
    });
    const fragments = fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((u) => Buffer.from(u)),
      fc
        .constantFrom(
          GREETING,
          '{"return": {}, "id": 1}\r\n',
          '{"return": 5, "id": 2}\r\n',
          '{"error": 1, "id": 2}\r\n',
          "\r\n",
          "{",
          '{"QMP"',
          '{"event": "X"}\n',
        )
        .map((s) => Buffer.from(s)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fragments, { maxLength: 8 }), async (frags) => {
        script = frags;
        const t0 = performance.now();
        let outcome: unknown;
        try {
          const c = await QmpClient.connect({ path: p.path }, { timeoutMs: 500, maxMessageBytes: 64 });
          outcome = await c.execute("query-status").catch((e: unknown) => e);
          await c.close();
        } catch (e) {
          outcome = e;
        }
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(QmpClientError);
        expect(performance.now() - t0).toBeLessThan(10_000); // bounded by the 500 ms timeouts, with room for a loaded machine
      }),
      { numRuns: 1_000 },
    );
  });
});
