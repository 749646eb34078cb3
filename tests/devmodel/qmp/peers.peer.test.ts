/**
 * One suite, two peers: real QEMU and our simulated QmpServer must look the same
 * to the client (and, where checked, byte for byte on the wire).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  QmpClient,
  QmpConnectionError,
  QmpError,
  QmpRefusedError,
  queryQmpFacts,
  RUN_STATES,
  type QmpCommandInfo,
  type QmpReadOnlyCommand,
  type QmpStatusInfo,
  type QmpVersionInfo,
} from "@/lib/devmodel/qmp";
import { PEERS, RawConn, tempDir, type RunningPeer } from "./helpers";

const GUEST_NAME = "dmtest";

describe.each(PEERS)("QMP against $name", (kind) => {
  const tmp = tempDir();
  let peer: RunningPeer;
  let victim: RunningPeer;
  let client: QmpClient;

  beforeAll(async () => {
    [peer, victim] = await Promise.all([kind.start(path.join(tmp.dir, "main.sock"), GUEST_NAME), kind.start(path.join(tmp.dir, "victim.sock"), GUEST_NAME)]);
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all([peer?.stop(), victim?.stop()]);
    tmp.cleanup();
  });

  it("sends QEMU's greeting and enforces negotiation, byte for byte", async () => {
    const raw = await RawConn.open(peer.socket);
    try {
      const greeting = await raw.line();
      expect(greeting).toMatch(
        /^\{"QMP": \{"version": \{"qemu": \{"micro": \d+, "minor": \d+, "major": \d+\}, "package": "[^"]*"\}, "capabilities": \["oob"\]\}\}\r\n$/,
      );
      raw.send('{"execute": "query-status", "id": 1}\n');
      expect(await raw.line()).toBe(
        `{"id": 1, "error": {"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}\r\n`,
      );
      raw.send('{"execute": "qmp_capabilities", "id": "neg"}');
      expect(await raw.line()).toBe('{"return": {}, "id": "neg"}\r\n');
      // Two requests in one write, no separator; an id of any JSON type is echoed.
      raw.send('{"execute": "no-such-command", "id": 3}{"execute": "query-status", "id": {"a": [1]}}');
      expect(await raw.line()).toBe('{"id": 3, "error": {"class": "CommandNotFound", "desc": "The command no-such-command has not been found"}}\r\n');
      expect(await raw.line()).toBe('{"return": {"status": "prelaunch", "singlestep": false, "running": false}, "id": {"a": [1]}}\r\n');
      raw.send('{"execute": "qmp_capabilities", "id": 4}\r\n');
      expect(await raw.line()).toBe(
        '{"id": 4, "error": {"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}\r\n',
      );
      raw.send('{"execute": "query-status", "id": 5, "arguments": {"x": 1}}');
      expect(await raw.line()).toBe(`{"id": 5, "error": {"class": "GenericError", "desc": "Parameter 'x' is unexpected"}}\r\n`);
    } finally {
      raw.close();
    }
  });

  it("connects, negotiates and answers query-status/version/commands", async () => {
    client = await QmpClient.connect({ path: peer.socket }, { timeoutMs: 3_000 });
    const g = client.greeting!.QMP;
    expect(g.capabilities).toEqual(["oob"]);
    const version = await client.execute<QmpVersionInfo>("query-version");
    expect(version).toEqual(g.version);
    expect(version.qemu.major).toBeGreaterThanOrEqual(7);
    const status = await client.execute<QmpStatusInfo>("query-status");
    expect(status).toMatchObject({ status: "prelaunch", running: false });
    expect(RUN_STATES).toContain(status.status);
    const names = (await client.execute<QmpCommandInfo[]>("query-commands")).map((c) => c.name);
    expect(names.length).toBeGreaterThan(100);
    for (const c of ["qmp_capabilities", "query-status", "xen-save-devices-state", "xen-set-global-dirty-log", "xen-load-devices-state"]) {
      expect(names).toContain(c);
    }
    expect(await client.execute("query-name")).toEqual({ name: GUEST_NAME });
  });

  it("keeps several commands in flight and matches replies by id", async () => {
    const cmds: QmpReadOnlyCommand[] = ["query-status", "query-version", "query-name", "query-kvm", "query-target"];
    const calls = Array.from({ length: 25 }, (_, i) => cmds[i % cmds.length]);
    const replies = await Promise.all(calls.map((c) => client.execute<Record<string, unknown>>(c)));
    replies.forEach((r, i) => {
      const key = { "query-status": "status", "query-version": "qemu", "query-name": "name", "query-kvm": "present", "query-target": "arch" }[
        calls[i] as string
      ]!;
      expect(r, calls[i]).toHaveProperty(key);
    });
    expect(client.inFlight).toBe(0);
  });

  it("turns a server error into QmpError (class, desc, command)", async () => {
    const err = await client.execute("query-command-line-options", { option: "xen-domid" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect(err).toMatchObject({ errorClass: "GenericError", desc: "invalid option name: xen-domid", command: "query-command-line-options" });
    // The session survives a server error.
    expect(await client.execute("query-target")).toEqual({ arch: "x86_64" });
  });

  it("refuses commands that change state, locally, leaving the guest untouched", async () => {
    for (const cmd of ["quit", "stop", "cont", "human-monitor-command", "xen-load-devices-state", "qmp_capabilities", "device_del"]) {
      // Runtime check: callers may pass any string.
      const err = await client.execute(cmd as QmpReadOnlyCommand, { "command-line": "quit", id: "x" }).catch((e: unknown) => e);
      expect(err, cmd).toBeInstanceOf(QmpRefusedError);
    }
    // Still prelaunch (not paused by "stop"), still alive (not gone by "quit").
    expect(await client.execute("query-status")).toMatchObject({ status: "prelaunch" });
  });

  it("a busy monitor (one client at a time) makes queryQmpFacts time out, then succeed once free", async () => {
    const busy = await queryQmpFacts({ path: peer.socket }, { timeoutMs: 150 });
    expect(busy.status).toBe("timeout");
    await client.close();
    const facts = await queryQmpFacts({ path: peer.socket }, { timeoutMs: 3_000 });
    if (facts.status !== "ok") throw new Error(`facts: ${facts.status} ${facts.error}`);
    expect(facts.socket).toBe(peer.socket);
    expect(facts.version.major).toBeGreaterThanOrEqual(7);
    expect(facts).toMatchObject({ runState: "prelaunch", running: false, name: GUEST_NAME, blockDevices: [], vnc: { enabled: false } });
    expect(facts.commands).toContain("xen-save-devices-state");
    expect(facts.elapsedMs).toBeGreaterThan(0);
    // Released promptly: the next client gets the greeting straight away.
    const again = await QmpClient.connect({ path: peer.socket }, { timeoutMs: 1_000 });
    await again.close();
  });

  it("a peer killed mid-command rejects pending commands with QmpConnectionError", async () => {
    const c = await QmpClient.connect({ path: victim.socket }, { timeoutMs: 3_000 });
    const closed = new Promise((resolve) => c.on("close", resolve));
    victim.freeze();
    const pending = c.execute("query-status", undefined, { timeoutMs: 5_000 });
    const other = c.execute("query-version", undefined, { timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 20));
    expect(c.inFlight).toBe(2);
    const dead = victim.kill();
    const [a, b] = await Promise.all([pending.catch((e: unknown) => e), other.catch((e: unknown) => e)]);
    expect(a).toBeInstanceOf(QmpConnectionError);
    expect(b).toBeInstanceOf(QmpConnectionError);
    expect((a as QmpConnectionError).phase).toBe("session");
    expect(await closed).toBeInstanceOf(QmpConnectionError);
    expect(c.closed).toBe(true);
    await expect(c.execute("query-status")).rejects.toBeInstanceOf(QmpConnectionError);
    // The socket file of a killed QEMU stays: once it is gone, connecting is refused.
    await dead;
    const facts = await queryQmpFacts({ path: victim.socket }, { timeoutMs: 1_000 });
    expect(facts).toMatchObject({ status: "unreachable", socket: victim.socket });
  });
});
