/**
 * Every way a QMP conversation can fail, as distinct classes so callers (and
 * `queryQmpFacts`) can map them without parsing messages.
 */

/** Base class: lets callers catch "anything from the QMP client" in one test. */
export abstract class QmpClientError extends Error {
  abstract readonly kind: "server" | "timeout" | "connection" | "protocol" | "refused";
}

/** The server answered `{"error": {"class", "desc"}}` to a command. */
export class QmpError extends QmpClientError {
  readonly kind = "server" as const;
  constructor(
    /** QMP error class, e.g. "CommandNotFound", "GenericError". */
    readonly errorClass: string,
    /** Human-readable text from QEMU; the QMP spec says not to parse it. */
    readonly desc: string,
    /** The command that failed (null when the reply could not be matched to one). */
    readonly command: string | null,
  ) {
    super(`${command ?? "QMP"}: ${errorClass}: ${desc}`);
    this.name = "QmpError";
  }
  /** Alias matching the wire field name. */
  get class(): string {
    return this.errorClass;
  }
}

/** The peer did not answer (greeting, negotiation or a command) within the bound. */
export class QmpTimeoutError extends QmpClientError {
  readonly kind = "timeout" as const;
  constructor(
    readonly phase: "connect" | "greeting" | "command",
    readonly timeoutMs: number,
    readonly command: string | null = null,
  ) {
    super(phase === "command" ? `QMP command ${command} got no reply within ${timeoutMs} ms` : `QMP ${phase} did not complete within ${timeoutMs} ms`);
    this.name = "QmpTimeoutError";
  }
}

/**
 * No connection (phase "connect": ENOENT, ECONNREFUSED, EACCES …) or the
 * connection ended while in use (phase "session": peer closed/reset, or we closed it).
 */
export class QmpConnectionError extends QmpClientError {
  readonly kind = "connection" as const;
  constructor(
    message: string,
    readonly phase: "connect" | "session",
    /** errno code from Node when there is one (ENOENT, ECONNREFUSED, ECONNRESET, EPIPE, …). */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "QmpConnectionError";
  }
}

/** The peer sent something that is not QMP: bad greeting, non-JSON, oversize message. */
export class QmpProtocolError extends QmpClientError {
  readonly kind = "protocol" as const;
  constructor(
    message: string,
    readonly reason: "greeting" | "json" | "not-object" | "oversize" | "unexpected",
  ) {
    super(message);
    this.name = "QmpProtocolError";
  }
}

/** The command is not on the read-only allowlist; nothing was written to the socket. */
export class QmpRefusedError extends QmpClientError {
  readonly kind = "refused" as const;
  constructor(
    /** What the caller asked for, printable (callers may pass anything at runtime). */
    readonly command: string,
    readonly reason: string = "not on the read-only allowlist",
  ) {
    super(`QMP command ${JSON.stringify(command)} refused: ${reason}`);
    this.name = "QmpRefusedError";
  }
}
