/**
 * A read-only QMP client (after python's qemu.qmp: one reader, replies matched by
 * id, events kept apart, every wait bounded).
 *
 * Read-only by construction: there is no raw write; `execute` only sends names
 * on the allowlist (checked at compile time and at run time, before any byte is
 * written), and `qmp_capabilities` is sent only by `connect` itself.
 */
import net from "node:net";
import { isReadOnlyCommand, QMP_NEGOTIATION_COMMAND, type QmpReadOnlyCommand } from "./allowlist";
import {
  QmpClientError,
  QmpConnectionError,
  QmpError,
  QmpProtocolError,
  QmpRefusedError,
  QmpTimeoutError,
} from "./errors";
import { DEFAULT_MAX_MESSAGE_BYTES, preview, QmpFrameDecoder, type QmpWireObject } from "./framing";
import type { QmpEvent, QmpGreeting } from "./types";

export type QmpTarget = { path: string } | { host: string; port: number };

export interface QmpConnectOptions {
  /** Bound on connect + greeting + negotiation, and the default per-command timeout. */
  timeoutMs?: number;
  /** Largest message accepted from the server (default 1 MiB, like libxl). */
  maxMessageBytes?: number;
}

export type QmpArguments = Record<string, unknown>;

export const DEFAULT_QMP_TIMEOUT_MS = 5_000;
/** Events kept per iterator that nobody reads yet; older ones are dropped. */
const EVENT_QUEUE_LIMIT = 1024;

export function describeTarget(target: QmpTarget): string {
  return "path" in target ? target.path : `${target.host}:${target.port}`;
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: QmpClientError) => void;
  timer: NodeJS.Timeout | undefined;
}

type State = "connecting" | "greeting" | "negotiating" | "ready" | "closed";
type EventListener = (event: QmpEvent) => void;
/** `null`: closed by us through close(); otherwise why the session ended. */
type CloseListener = (reason: QmpClientError | null) => void;

export class QmpClient {
  /** The server's greeting (version, capabilities), as received. */
  greeting: QmpGreeting | null = null;

  private state: State = "connecting";
  private closeReason: QmpClientError | null = null;
  private nextId = 1;
  /** Insertion order = issue order, which QMP (without OOB) answers in. */
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<EventListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private readonly decoder: QmpFrameDecoder;
  private readonly socketClosed: Promise<void>;
  private onHandshake: ((err: QmpClientError | null) => void) | null = null;

  private constructor(
    private readonly socket: net.Socket,
    readonly target: QmpTarget,
    private readonly timeoutMs: number,
    maxMessageBytes: number,
  ) {
    this.decoder = new QmpFrameDecoder({ maxMessageBytes });
    this.socketClosed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("connect", () => {
      if (this.state === "connecting") this.state = "greeting";
    });
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => {
      for (const frame of this.decoder.end()) if (frame.kind === "error") return this.fail(frame.error);
      this.fail(new QmpConnectionError(`QMP peer ${describeTarget(target)} closed the connection`, "session"));
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      const phase = this.state === "connecting" ? "connect" : "session";
      const what = phase === "connect" ? "cannot connect to" : "connection to";
      this.fail(new QmpConnectionError(`${what} QMP ${describeTarget(target)}: ${err.message}`, phase, err.code ?? null));
    });
    socket.on("close", () => {
      this.fail(new QmpConnectionError(`QMP connection to ${describeTarget(target)} closed`, "session"));
    });
  }

  /** Connect, read and check the greeting, negotiate capabilities. Bounded by `timeoutMs`. */
  static connect(target: QmpTarget, opts: QmpConnectOptions = {}): Promise<QmpClient> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_QMP_TIMEOUT_MS;
    const socket =
      "path" in target
        ? net.createConnection({ path: target.path })
        : net.createConnection({ host: target.host, port: target.port });
    const client = new QmpClient(socket, target, timeoutMs, opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    return new Promise<QmpClient>((resolve, reject) => {
      const timer = setTimeout(() => {
        const phase = client.state === "connecting" ? "connect" : "greeting";
        client.fail(new QmpTimeoutError(phase, timeoutMs));
      }, timeoutMs);
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
    return this.pending.size;
  }

  /**
   * Run a read-only command. Refused locally (QmpRefusedError, nothing written)
   * when `command` is not on the allowlist or `args` is not a plain JSON object.
   */
  execute<T = unknown>(
    command: QmpReadOnlyCommand,
    args?: QmpArguments,
    opts: { timeoutMs?: number } = {},
  ): Promise<T> {
    if (!isReadOnlyCommand(command)) {
      const shown = typeof command === "string" ? command : `<${typeof command}>`;
      return Promise.reject(new QmpRefusedError(shown));
    }
    if (args !== undefined && !isPlainObject(args)) {
      return Promise.reject(new QmpRefusedError(command, "arguments must be a plain object"));
    }
    if (this.state !== "ready") {
      return Promise.reject(
        this.state === "closed"
          ? this.sessionOver()
          : new QmpConnectionError("QMP session is not negotiated yet", "session"),
      );
    }
    return this.send(command, args, opts.timeoutMs ?? this.timeoutMs) as Promise<T>;
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
    const queue: QmpEvent[] = [];
    let waiter: ((r: IteratorResult<QmpEvent>) => void) | null = null;
    let done = this.state === "closed";
    const finish = () => {
      done = true;
      unEvent();
      unClose();
      waiter?.({ value: undefined, done: true });
      waiter = null;
    };
    const unEvent = this.on("event", (e) => {
      if (waiter) {
        waiter({ value: e, done: false });
        waiter = null;
      } else {
        queue.push(e);
        if (queue.length > EVENT_QUEUE_LIMIT) queue.shift();
      }
    });
    const unClose = this.on("close", () => finish());
    const iterator: AsyncIterableIterator<QmpEvent> = {
      next: () => {
        const e = queue.shift();
        if (e) return Promise.resolve({ value: e, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiter = resolve));
      },
      return: () => {
        finish();
        queue.length = 0;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** End the session: pending commands reject with QmpConnectionError; resolves when the socket is closed. */
  close(): Promise<void> {
    if (this.state !== "closed") {
      this.closeReason = null;
      this.shutdown(new QmpConnectionError("QMP connection closed by the client", "session"), null);
    }
    return this.socketClosed;
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
    return new Promise((resolve, reject) => {
      const entry: Pending = { command, resolve, reject, timer: undefined };
      if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
        entry.timer = setTimeout(() => {
          // The late reply, if any, will find no pending id and be dropped (spec: drop unknown ids).
          this.pending.delete(id);
          reject(new QmpTimeoutError("command", timeoutMs, command));
        }, timeoutMs);
      }
      this.pending.set(id, entry);
      this.socket.write(line + "\n");
    });
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.decoder.push(chunk)) {
      if (this.state === "closed") return;
      if (frame.kind === "error") return this.fail(frame.error);
      this.dispatch(frame.message);
    }
  }

  private dispatch(msg: QmpWireObject): void {
    if (this.state === "greeting") {
      const greeting = parseGreeting(msg);
      if (!greeting) {
        return this.fail(new QmpProtocolError(`bad QMP greeting: ${preview(JSON.stringify(msg), 120)}`, "greeting"));
      }
      this.greeting = greeting;
      this.state = "negotiating";
      this.send(QMP_NEGOTIATION_COMMAND, undefined, 0).then(
        () => {
          if (this.state !== "negotiating") return;
          this.state = "ready";
          this.onHandshake?.(null);
        },
        (err: QmpClientError) => {
          // A refusal of qmp_capabilities means this is not a QMP server we can use.
          this.fail(err instanceof QmpError ? new QmpProtocolError(`capabilities negotiation failed: ${err.message}`, "unexpected") : err);
        },
      );
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
    let entry: Pending | undefined;
    let id: number | undefined;
    if (typeof msg.id === "number") {
      id = msg.id;
      entry = this.pending.get(id);
    } else if (msg.id === undefined && isError) {
      // QEMU omits the id only when it failed before parsing our request; replies
      // come in issue order, so it belongs to the oldest command still waiting.
      const first = this.pending.entries().next();
      if (!first.done) [id, entry] = first.value;
    }
    if (!entry || id === undefined) return; // Unknown or timed-out id: drop it.
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (isReturn) return entry.resolve(msg.return);
    const err = msg.error as { class?: unknown; desc?: unknown } | null;
    entry.reject(
      new QmpError(
        typeof err?.class === "string" ? err.class : "GenericError",
        typeof err?.desc === "string" ? err.desc : preview(JSON.stringify(msg.error ?? null), 200),
        entry.command,
      ),
    );
  }

  /** Session ended for `reason` (peer gone, protocol error, timeout). */
  private fail(reason: QmpClientError): void {
    if (this.state === "closed") return;
    this.closeReason = reason;
    this.shutdown(reason, reason);
  }

  private shutdown(pendingError: QmpClientError, reported: QmpClientError | null): void {
    this.state = "closed";
    this.socket.destroy();
    for (const [, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(pendingError);
    }
    this.pending.clear();
    this.onHandshake?.(pendingError);
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

/** A listener's bug must not take the reader (and so every pending command) down. */
function safeCall(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    process.emitWarning(err instanceof Error ? err : String(err), { code: "DMBOARD_QMP_LISTENER" });
  }
}
