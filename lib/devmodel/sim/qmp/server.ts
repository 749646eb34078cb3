/**
 * A simulated QEMU QMP monitor for one guest.
 *
 * Cheap on purpose (a simulated host runs ~1000): one net.Server, no timers,
 * no per-connection state beyond the parser. Like a QEMU `-chardev socket,server=on`
 * it serves one client at a time: later connections are accepted by the kernel
 * but get no greeting (and are not read) until the current client leaves.
 */
import { linkSync, renameSync } from "node:fs";
import { lstat, unlink } from "node:fs/promises";
import net from "node:net";
import { StringDecoder } from "node:string_decoder";
import type { QmpRunState } from "@/lib/devmodel/qmp/types";
import { runCommand, type QmpSimActions } from "./commands";
import { defaultProfile, type QmpProfile, type QmpSimReply } from "./profile";
import { qemuJson, qemuJsonShared, QmpInputScanner } from "./wire";

/**
 * normal: behave like QEMU. hang: accept, never send or read (a stopped QEMU).
 * garbage: send bytes that are not QMP. closeAfterGreeting: greet, then hang up.
 * oversize: start a greeting and never end it (2 MiB without a line end).
 */
export type QmpServerMode = "normal" | "hang" | "garbage" | "closeAfterGreeting" | "oversize";

export type QmpListenTarget = { path: string } | { host: string; port: number };

export interface QmpServerOptions {
  profile?: QmpProfile;
  mode?: QmpServerMode;
}

interface Conn {
  socket: net.Socket;
  negotiated: boolean;
  decoder: StringDecoder;
  scanner: QmpInputScanner;
}

const EXECUTE_MEMBERS = new Set(["execute", "exec-oob", "arguments", "id", "control"]);

export class QmpServer {
  readonly profile: QmpProfile;
  /** Commands run after negotiation, by name: what readers asked of this QEMU. */
  readonly executed = new Map<string, number>();
  mode: QmpServerMode;
  private server: net.Server | null = null;
  private active: Conn | null = null;
  /** Connected, waiting for the active client to leave (FIFO, like the chardev's listen queue). */
  private readonly waiting: net.Socket[] = [];
  /** Sockets held by misbehaviour modes, so close() can release them. */
  private readonly held = new Set<net.Socket>();
  private frozen = false;
  private crashed: Promise<void> = Promise.resolve();
  private listenPath: string | null = null;
  constructor(opts: QmpServerOptions = {}) {
    this.profile = opts.profile ?? defaultProfile(1);
    this.mode = opts.mode ?? "normal";
  }

  /** Start serving. Returns where (for TCP with port 0: the chosen port). */
  async listen(target: QmpListenTarget): Promise<QmpListenTarget> {
    if (this.server) throw new Error("QmpServer is already listening");
    // Like QEMU's socket_listen: a socket file left by a dead server is replaced.
    if ("path" in target) await removeStaleSocket(target.path);
    const server = net.createServer({ pauseOnConnect: true }, (s) => this.onConnection(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      const done = () => {
        server.off("error", reject);
        resolve();
      };
      if ("path" in target) server.listen({ path: target.path, backlog: 64 }, done);
      else server.listen({ host: target.host, port: target.port, backlog: 64 }, done);
    });
    // A listener error after start (rare: EMFILE on accept) must not crash the host process.
    server.on("error", () => {});
    if ("path" in target) {
      this.listenPath = target.path;
      return target;
    }
    const addr = server.address() as net.AddressInfo;
    return { host: target.host, port: addr.port };
  }

  /** Clients connected: the active one plus those waiting their turn. */
  get connections(): number {
    return (this.active ? 1 : 0) + this.waiting.length;
  }

  /** Like SIGSTOP: stop reading and answering (connections still accepted by the kernel). */
  suspend(): void {
    this.frozen = true;
    this.active?.socket.pause();
  }

  /** Like SIGCONT. */
  resume(): void {
    if (!this.frozen) return;
    this.frozen = false;
    if (this.active) this.active.socket.resume();
    else this.promote();
  }

  /**
   * Send an event to the negotiated client, if any (QEMU sends events only after
   * negotiation and does not queue them for later clients). Returns whether sent.
   */
  emitEvent(name: string, data?: Record<string, unknown>): boolean {
    const c = this.active;
    if (!c || !c.negotiated || this.frozen || c.socket.destroyed) return false;
    const now = Date.now();
    const msg: Record<string, unknown> = {
      timestamp: { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 },
      event: name,
    };
    if (data !== undefined) msg.data = data;
    c.socket.write(qemuJson(msg) + "\r\n");
    return true;
  }

  /** Change the run state, emitting the events QEMU would (STOP, RESUME, SHUTDOWN, …). */
  setRunState(state: QmpRunState): void {
    const before = this.profile.runState;
    if (before === state) return;
    this.profile.runState = state;
    if (state === "running") {
      this.emitEvent("RESUME");
      return;
    }
    if (state === "shutdown") this.emitEvent("SHUTDOWN", { guest: true, reason: "guest-shutdown" });
    if (state === "guest-panicked") this.emitEvent("GUEST_PANICKED", { action: "pause" });
    if (state === "suspended") {
      // QEMU suspends without a STOP event.
      this.emitEvent("SUSPEND");
      return;
    }
    if (before === "running") this.emitEvent("STOP");
  }

  /** Like the QEMU process dying: every connection reset, the listener gone, the socket file left behind. */
  crash(): void {
    this.dropAll();
    const server = this.server;
    this.server = null;
    if (!server) return;
    // Node unlinks a unix socket on close; a killed QEMU does not, and clients then
    // get ECONNREFUSED rather than ENOENT. Keep a hard link and put it back.
    const path = this.listenPath;
    let stale: string | null = null;
    if (path) {
      stale = `${path}.${process.pid}.stale`;
      try {
        linkSync(path, stale);
      } catch {
        stale = null;
      }
    }
    this.crashed = new Promise<void>((resolve) =>
      server.close(() => {
        if (stale && path) {
          try {
            renameSync(stale, path);
          } catch {
            // The directory went away: nothing stale to leave behind.
          }
        }
        resolve();
      }),
    );
  }

  /** Stop serving and remove the socket file. */
  async close(): Promise<void> {
    this.dropAll();
    await this.crashed;
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.listenPath) {
      await unlink(this.listenPath).catch(() => {});
      this.listenPath = null;
    }
  }

  // ---------------------------------------------------------------------------

  private dropAll(): void {
    for (const s of [this.active?.socket, ...this.waiting, ...this.held]) s?.destroy();
    this.active = null;
    this.waiting.length = 0;
    this.held.clear();
  }

  private onConnection(socket: net.Socket): void {
    socket.on("error", () => {}); // Clients vanish; that is their business.
    switch (this.mode) {
      case "hang":
        return this.hold(socket);
      case "garbage":
        this.hold(socket);
        socket.write(Buffer.from([0x00, 0xff, 0xfe]));
        socket.write("this is not QMP\r\n");
        return;
      case "closeAfterGreeting":
        // Held (and read) like the others, so the socket is freed when the client goes.
        this.hold(socket);
        socket.end(this.greeting());
        return;
      case "oversize":
        this.hold(socket);
        socket.write('{"QMP": {"version": "' + "x".repeat(2 * 1024 * 1024));
        return;
      case "normal":
        this.waiting.push(socket);
        socket.once("close", () => this.onClose(socket));
        this.promote();
    }
  }

  private hold(socket: net.Socket): void {
    this.held.add(socket);
    socket.once("close", () => this.held.delete(socket));
    // Read and discard (flowing, no listener) only so a client leaving is noticed and its
    // socket freed; the peer sees what it would from a stopped QEMU: no answer.
    socket.resume();
  }

  private greeting(): string {
    const { version, capabilities } = this.profile;
    return qemuJson({ QMP: { version, capabilities } }) + "\r\n";
  }

  /** Give the chardev to the next waiting client, if it is free. */
  private promote(): void {
    if (this.active || this.frozen) return;
    let socket: net.Socket | undefined;
    while ((socket = this.waiting.shift()) && socket.destroyed);
    if (!socket) return;
    const conn: Conn = { socket, negotiated: false, decoder: new StringDecoder("utf8"), scanner: new QmpInputScanner() };
    this.active = conn;
    socket.on("data", (chunk: Buffer) => this.onData(conn, chunk));
    socket.write(this.greeting());
    socket.resume();
  }

  private onClose(socket: net.Socket): void {
    const i = this.waiting.indexOf(socket);
    if (i >= 0) this.waiting.splice(i, 1);
    if (this.active?.socket === socket) {
      this.active = null;
      this.promote();
    }
  }

  private onData(conn: Conn, chunk: Buffer): void {
    for (const item of conn.scanner.push(conn.decoder.write(chunk))) {
      if (conn.socket.destroyed) return;
      if (item.kind === "error") {
        this.reply(conn, undefined, { error: { class: "GenericError", desc: item.desc } });
        continue;
      }
      let req: unknown;
      try {
        req = JSON.parse(item.text);
      } catch {
        this.reply(conn, undefined, { error: { class: "GenericError", desc: "JSON parse error, invalid input" } });
        continue;
      }
      this.onRequest(conn, req);
    }
  }

  /** Validation and messages as in QEMU's monitor/qmp-dispatch.c. */
  private onRequest(conn: Conn, req: unknown): void {
    if (typeof req !== "object" || req === null || Array.isArray(req)) {
      return this.reply(conn, undefined, generic("QMP input must be a JSON object"));
    }
    const r = req as Record<string, unknown>;
    const id = r.id;
    for (const k of Object.keys(r)) {
      if (!EXECUTE_MEMBERS.has(k)) return this.reply(conn, id, generic(`QMP input member '${k}' is unexpected`));
    }
    const command = r.execute ?? r["exec-oob"];
    if (command === undefined) return this.reply(conn, id, generic("QMP input lacks member 'execute'"));
    if (typeof command !== "string") return this.reply(conn, id, generic("QMP input member 'execute' must be a string"));
    if (r.arguments !== undefined && (typeof r.arguments !== "object" || r.arguments === null || Array.isArray(r.arguments))) {
      return this.reply(conn, id, generic("QMP input member 'arguments' must be an object"));
    }
    const args = (r.arguments ?? {}) as Record<string, unknown>;
    if (!conn.negotiated) {
      if (command !== "qmp_capabilities") {
        return this.reply(conn, id, notFound("Expecting capabilities negotiation with 'qmp_capabilities'"));
      }
      const enable = args.enable;
      if (enable !== undefined) {
        const caps = Array.isArray(enable) ? enable : [enable];
        const bad = caps.find((c) => typeof c !== "string" || !this.profile.capabilities.includes(c));
        if (bad !== undefined) return this.reply(conn, id, generic(`Capability '${String(bad)}' not available`));
      }
      conn.negotiated = true;
      return this.reply(conn, id, { return: {} });
    }
    if (command === "qmp_capabilities") {
      return this.reply(conn, id, notFound("Capabilities negotiation is already complete, command ignored"));
    }
    this.executed.set(command, (this.executed.get(command) ?? 0) + 1);
    let quitting = false;
    const actions: QmpSimActions = {
      setRunState: (s) => this.setRunState(s),
      emitEvent: (n, d) => void this.emitEvent(n, d),
      quitAfterReply: () => (quitting = true),
    };
    this.reply(conn, id, runCommand(this.profile, command, args, actions));
    if (quitting) {
      this.emitEvent("SHUTDOWN", { guest: false, reason: "host-qmp-quit" });
      this.profile.runState = "shutdown";
      conn.socket.end();
      void this.close();
    }
  }

  private reply(conn: Conn, id: unknown, r: QmpSimReply): void {
    // QEMU's key order: "return" then "id" on success, "id" then "error" on failure.
    const text =
      "return" in r && r.return !== undefined
        ? `{"return": ${qemuJsonShared(r.return)}${id === undefined ? "" : `, "id": ${qemuJson(id)}`}}`
        : qemuJson("return" in r ? { return: r.return, id } : { id, error: r.error });
    conn.socket.write(text + "\r\n");
  }
}

function generic(desc: string): QmpSimReply {
  return { error: { class: "GenericError", desc } };
}
function notFound(desc: string): QmpSimReply {
  return { error: { class: "CommandNotFound", desc } };
}

async function removeStaleSocket(path: string): Promise<void> {
  const st = await lstat(path).catch(() => null);
  if (st?.isSocket()) await unlink(path).catch(() => {});
}
