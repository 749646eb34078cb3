/**
 * A read-only QMP client (after python's qemu.qmp: one reader, replies matched by
 * id, events kept apart, every wait bounded).
 *
 * Read-only by construction: there is no raw write; `execute` only sends names
 * on the allowlist (checked at compile time and at run time, before any byte is
 * written), and `qmp_capabilities` is sent only by `connect` itself.
 *
 * Layering, as qemu.qmp separates protocol.py from qmp_client.py: the connection,
 * the table of waiting commands with their deadlines and the bounded event queues
 * are the generic layer in ../protocol; the stream comes from a transport
 * (../transport: a unix socket or TCP here, an SSH channel later); this file keeps
 * the QMP semantics — greeting, negotiation, ids, events.
 */
import type { Duplex } from "node:stream";
import { EventQueue } from "@/lib/devmodel/protocol/event-queue";
import { describePeerBytes, peerBytesOf } from "@/lib/devmodel/protocol/peer-bytes";
import { logPeerBytes } from "@/lib/devmodel/protocol/peer-log";
import { PendingRequests } from "@/lib/devmodel/protocol/requests";
import { FramedStream, type StreamDecoder, type StreamEnd } from "@/lib/devmodel/protocol/stream";
import { checkTimeout, isValidTimeout, MAX_TIMEOUT_MS, QMP_TIMEOUT_MS } from "@/lib/devmodel/timeouts";
import { openStream, tcpTransport, TransportTimeoutError, unixSocketTransport, type StreamTransport } from "@/lib/devmodel/transport";
import { isReadOnlyCommand, QMP_NEGOTIATION_COMMAND, type QmpReadOnlyCommand } from "./allowlist";
import { QmpClientError, QmpConnectionError, QmpError, QmpProtocolError, QmpRefusedError, QmpTimeoutError } from "./errors";
import { DEFAULT_MAX_MESSAGE_BYTES, QmpFrameDecoder, type QmpWireObject } from "./framing";
import type { QmpEvent, QmpGreeting } from "./types";

/** A local QMP socket or TCP port, or any transport (e.g. an SSH channel to a dom0's socket). */
export type QmpTarget = { path: string } | { host: string; port: number } | StreamTransport;

export interface QmpConnectOptions {
  /**
   * Bound on connect + greeting + negotiation, and the default per-command timeout
   * (default QMP_TIMEOUT_MS). Must be positive and finite: there is no "wait forever".
   */
  timeoutMs?: number;
  /** Largest message accepted from the server (default 1 MiB, like libxl). */
  maxMessageBytes?: number;
  /**
   * Resolve as soon as the greeting is checked and `qmp_capabilities` is sent, without waiting for
   * its reply: commands executed right away leave in the same write, behind it, and QEMU
   * dispatches them in order after the negotiation (one round trip and one write saved per
   * conversation). A refused negotiation fails them all with the session.
   */
  pipeline?: boolean;
}

export type QmpArguments = Record<string, unknown>;

/** Events kept per iterator that nobody reads yet; older ones are dropped. */
const EVENT_QUEUE_LIMIT = 1024;
/** Longest server error description passed on (it is the peer's text). */
const MAX_DESC = 200;

export function toTransport(target: QmpTarget): StreamTransport {
  if ("open" in target) return target;
  return "path" in target ? unixSocketTransport(target.path) : tcpTransport(target.host, target.port);
}

export function describeTarget(target: QmpTarget): string {
  if ("open" in target) return target.address;
  return "path" in target ? target.path : `${target.host}:${target.port}`;
}

type State = "greeting" | "negotiating" | "ready" | "closed";
type EventListener = (event: QmpEvent) => void;
/** `null`: closed by us through close(); otherwise why the session ended. */
type CloseListener = (reason: QmpClientError | null) => void;

/** QMP's decoder reports errors inline; the connection wants them as "the stream is unusable". */
class QmpStreamDecoder implements StreamDecoder<QmpWireObject> {
  constructor(private readonly inner: QmpFrameDecoder) {}
  push(chunk: Buffer): { frames: QmpWireObject[]; error: Error | null } {
    const frames: QmpWireObject[] = [];
    for (const f of this.inner.push(chunk)) {
      if (f.kind === "error") return { frames, error: f.error };
      frames.push(f.message);
    }
    return { frames, error: null };
  }
  end(): Error | null {
    const e = this.inner.end().find((f) => f.kind === "error");
    return e?.kind === "error" ? e.error : null;
  }
}

export class QmpClient {
  /** The server's greeting (version, capabilities), as received. */
  greeting: QmpGreeting | null = null;

  private state: State = "greeting";
  private closeReason: QmpClientError | null = null;
  private nextId = 1;
  /** Insertion order = issue order, which QMP (without OOB) answers in. */
  private readonly requests = new PendingRequests<number, { command: string }>((r, ms) => new QmpTimeoutError("command", ms, r.command));
  private readonly eventListeners = new Set<EventListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private readonly conn: FramedStream<QmpWireObject>;
  private onHandshake: ((err: QmpClientError | null) => void) | null = null;
  private pipeline = false;

  private constructor(
    stream: Duplex,
    readonly target: QmpTarget,
    private readonly address: string,
    private readonly timeoutMs: number,
    maxMessageBytes: number,
  ) {
    this.conn = new FramedStream(stream, new QmpStreamDecoder(new QmpFrameDecoder({ maxMessageBytes })), {
      frame: (msg) => this.dispatch(msg),
      ended: (how) => this.onEnded(how),
    });
  }

  /** Connect, read and check the greeting, negotiate capabilities. Bounded by `timeoutMs`. */
  static async connect(target: QmpTarget, opts: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeoutMs = checkTimeout(opts.timeoutMs ?? QMP_TIMEOUT_MS, "QMP timeoutMs");
    const transport = toTransport(target);
    const address = transport.address;
    const started = performance.now();
    let stream: Duplex;
    try {
      stream = await openStream(transport, timeoutMs);
    } catch (err) {
      if (err instanceof TransportTimeoutError) throw new QmpTimeoutError("connect", timeoutMs);
      const e = err as NodeJS.ErrnoException;
      throw new QmpConnectionError(`cannot connect to QMP ${address}: ${e.message}`, "connect", typeof e.code === "string" ? e.code : null);
    }
    const client = new QmpClient(stream, target, address, timeoutMs, opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    client.pipeline = opts.pipeline === true;
    const left = Math.max(1, timeoutMs - (performance.now() - started));
    return new Promise<QmpClient>((resolve, reject) => {
      // setImmediate: a greeting that arrived while the loop was busy is read before the verdict.
      const timer = setTimeout(
        () =>
          setImmediate(() => {
            if (client.onHandshake) client.fail(new QmpTimeoutError("greeting", timeoutMs));
          }),
        left,
      );
      client.onHandshake = (err) => {
        clearTimeout(timer);
        client.onHandshake = null;
        if (err) reject(err);
        else resolve(client);
      };
    });
  }

  /** True once the session is over (peer left, error, or close()). */
  get closed(): boolean {
    return this.state === "closed";
  }

  /** Commands sent and not yet answered. */
  get inFlight(): number {
    return this.requests.size;
  }

  /**
   * Run a read-only command. Refused locally (QmpRefusedError, nothing written)
   * when `command` is not on the allowlist, `args` is not a plain JSON object, or
   * `timeoutMs` is not a positive finite number (0 or Infinity never mean "no timeout").
   */
  execute<T = unknown>(command: QmpReadOnlyCommand, args?: QmpArguments, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (!isReadOnlyCommand(command)) {
      const shown = typeof command === "string" ? command : `<${typeof command}>`;
      return Promise.reject(new QmpRefusedError(shown));
    }
    if (args !== undefined && !isPlainObject(args)) {
      return Promise.reject(new QmpRefusedError(command, "arguments must be a plain object"));
    }
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    if (!isValidTimeout(timeoutMs)) {
      return Promise.reject(
        new QmpRefusedError(command, `timeoutMs must be a positive, finite number of milliseconds up to ${MAX_TIMEOUT_MS}, not ${String(timeoutMs)}`),
      );
    }
    if (this.state !== "ready" && !(this.state === "negotiating" && this.pipeline)) {
      return Promise.reject(this.state === "closed" ? this.sessionOver() : new QmpConnectionError("QMP session is not negotiated yet", "session"));
    }
    return this.send(command, args, timeoutMs) as Promise<T>;
  }

  /** Subscribe to events or to the end of the session; returns an unsubscribe function. */
  on(type: "event", listener: EventListener): () => void;
  on(type: "close", listener: CloseListener): () => void;
  on(type: "event" | "close", listener: EventListener | CloseListener): () => void {
    if (type === "event") {
      const l = listener as EventListener;
      this.eventListeners.add(l);
      return () => this.eventListeners.delete(l);
    }
    const l = listener as CloseListener;
    if (this.state === "closed") {
      queueMicrotask(() => safeCall(() => l(this.closeReason)));
      return () => {};
    }
    this.closeListeners.add(l);
    return () => this.closeListeners.delete(l);
  }

  /**
   * Events from now on, until the session ends. Each iterator has its own queue
   * (bounded: the oldest events are dropped if the reader falls behind).
   */
  events(): AsyncIterableIterator<QmpEvent> {
    const unsubscribe = () => {
      unEvent();
      unClose();
    };
    const queue = new EventQueue<QmpEvent>(EVENT_QUEUE_LIMIT, unsubscribe);
    const unEvent = this.on("event", (e) => queue.push(e));
    // The session ended: events already queued can still be read, then the iterator is done.
    const unClose = this.on("close", () => {
      unsubscribe();
      queue.end();
    });
    return queue;
  }

  /** End the session: pending commands reject with QmpConnectionError; resolves when the stream is closed. */
  close(): Promise<void> {
    if (this.state !== "closed") {
      this.closeReason = null;
      // Built only when someone waits: an Error captures a stack, and a snapshot closes ~750 sessions.
      this.shutdown(this.requests.size > 0 || this.onHandshake ? new QmpConnectionError("QMP connection closed by the client", "session") : null, null);
    }
    return this.conn.close();
  }

  // ---------------------------------------------------------------------------

  private send(command: string, args: QmpArguments | undefined, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    let line: string;
    try {
      line = JSON.stringify(args === undefined ? { execute: command, id } : { execute: command, arguments: args, id });
    } catch (err) {
      return Promise.reject(new QmpRefusedError(command, `arguments are not JSON: ${(err as Error).message}`));
    }
    // A late reply, if any, finds no pending id and is dropped (spec: drop unknown ids).
    const reply = this.requests.add(id, { command }, timeoutMs);
    this.conn.write(Buffer.from(line + "\n"));
    return reply;
  }

  private dispatch(msg: QmpWireObject): void {
    if (this.state === "closed") return;
    if (this.state === "greeting") {
      const greeting = parseGreeting(msg);
      if (!greeting) return this.fail(this.notQmp("a first message that is not a QMP greeting", Buffer.from(JSON.stringify(msg)), "greeting"));
      this.greeting = greeting;
      this.state = "negotiating";
      // Bounded by the handshake deadline in connect(); the request's own deadline is a backstop.
      this.send(QMP_NEGOTIATION_COMMAND, undefined, this.timeoutMs).then(
        () => {
          if (this.state !== "negotiating") return;
          this.state = "ready";
          this.onHandshake?.(null);
        },
        (err: QmpClientError) => {
          // A refusal of qmp_capabilities means this is not a QMP server we can use.
          if (err instanceof QmpError) this.fail(new QmpProtocolError(`capabilities negotiation failed: ${err.message}`, "unexpected"));
          else if (err instanceof QmpTimeoutError) this.fail(new QmpTimeoutError("greeting", this.timeoutMs));
          else this.fail(err);
        },
      );
      // Pipelined: the caller's commands queue behind qmp_capabilities, in the same write.
      if (this.pipeline) this.onHandshake?.(null);
      return;
    }
    if (typeof msg.event === "string") {
      const event = msg as unknown as QmpEvent;
      for (const l of [...this.eventListeners]) safeCall(() => l(event));
      return;
    }
    const isReturn = "return" in msg;
    const isError = "error" in msg;
    if (!isReturn && !isError) return; // Unknown message kinds: ignore, for forward compatibility.
    let id: number | undefined;
    if (typeof msg.id === "number") id = msg.id;
    // QEMU omits the id only when it failed before parsing our request; replies
    // come in issue order, so it belongs to the oldest command still waiting.
    else if (msg.id === undefined && isError) id = this.requests.oldest();
    const entry = id === undefined ? undefined : this.requests.take(id);
    if (!entry) return; // Unknown or timed-out id: drop it.
    if (isReturn) return entry.resolve(msg.return);
    const err = msg.error as { class?: unknown; desc?: unknown } | null;
    entry.reject(
      new QmpError(
        typeof err?.class === "string" ? printable(err.class, 64) : "GenericError",
        typeof err?.desc === "string" ? printable(err.desc, MAX_DESC) : "(no description)",
        entry.ctx.command,
      ),
    );
  }

  private onEnded(how: StreamEnd): void {
    if (this.state === "closed") return;
    switch (how.kind) {
      case "local":
        return;
      case "garbage":
        return this.fail(this.notQmp(how.error.message, peerBytesOf(how.error) ?? Buffer.alloc(0), (how.error as QmpProtocolError).reason ?? "json"));
      case "error": {
        const e = how.error as NodeJS.ErrnoException;
        return this.fail(new QmpConnectionError(`connection to QMP ${this.address}: ${e.message}`, "session", typeof e.code === "string" ? e.code : null));
      }
      case "eof":
        return this.fail(new QmpConnectionError(`QMP peer ${this.address} closed the connection`, "session"));
    }
  }

  /** The peer is not speaking QMP: log its bytes for the admin, say only what they look like. */
  private notQmp(problem: string, bytes: Buffer, reason: QmpProtocolError["reason"]): QmpProtocolError {
    logPeerBytes({ protocol: "qmp", peer: this.address, problem, bytes });
    // The decoder keeps at most the first 512 bytes of what it refused.
    const what = describePeerBytes(bytes, reason === "oversize" || bytes.length >= 512 ? true : undefined);
    return new QmpProtocolError(`QMP peer ${this.address} sent ${problem}: ${what}`, reason);
  }

  /** Session ended for `reason` (peer gone, protocol error, timeout). */
  private fail(reason: QmpClientError): void {
    if (this.state === "closed") return;
    this.closeReason = reason;
    this.shutdown(reason, reason);
  }

  private shutdown(pendingError: QmpClientError | null, reported: QmpClientError | null): void {
    this.state = "closed";
    void this.conn.close();
    if (pendingError) {
      this.requests.failAll(pendingError);
      this.onHandshake?.(pendingError);
    }
    this.eventListeners.clear();
    for (const l of [...this.closeListeners]) safeCall(() => l(reported));
    this.closeListeners.clear();
  }

  private sessionOver(): QmpClientError {
    return this.closeReason instanceof QmpConnectionError || this.closeReason instanceof QmpProtocolError
      ? this.closeReason
      : new QmpConnectionError("QMP connection is closed", "session");
  }
}

function parseGreeting(msg: QmpWireObject): QmpGreeting | null {
  const qmp = msg.QMP as { version?: unknown; capabilities?: unknown } | undefined;
  if (!qmp || typeof qmp !== "object") return null;
  const v = qmp.version as { qemu?: Record<string, unknown>; package?: unknown } | undefined;
  const q = v?.qemu;
  if (!q || typeof q !== "object") return null;
  if (![q.major, q.minor, q.micro].every((n) => Number.isInteger(n))) return null;
  if (!Array.isArray(qmp.capabilities) || !qmp.capabilities.every((c) => typeof c === "string")) return null;
  return msg as unknown as QmpGreeting;
}

function isPlainObject(v: unknown): v is QmpArguments {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The server's text, bounded and without control characters (it ends up in messages). */
function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.slice(0, max).replace(/[\x00-\x1f\x7f-\x9f]/g, "?");
  return text.length > max ? `${clean}…` : clean;
}

/** A listener's bug must not take the reader (and so every pending command) down. */
function safeCall(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    process.emitWarning(err instanceof Error ? err : String(err), { code: "DMBOARD_QMP_LISTENER" });
  }
}
