/**
 * The seam below the protocol clients: a transport opens a byte stream to one peer, and the
 * XenStore and QMP clients speak their protocol over whatever stream it gives them. Locally the
 * stream is a unix socket; over SSH it will be an OpenSSH `direct-streamlocal@openssh.com`
 * channel; in tests it may be one end of an in-process pair. The clients never learn which.
 */
import type { Duplex } from "node:stream";

export interface StreamTransport {
  /** Where it leads, as shown in messages and in a snapshot's `source` (a socket path, `host:port`, …). */
  readonly address: string;
  /**
   * Open one stream to the peer. Rejects with an Error carrying a Node-style `code` (ENOENT,
   * ECONNREFUSED, EACCES, …) when there is no peer. It should give up when `signal` aborts, but
   * callers do not count on it: `openStream` bounds the wait and destroys a stream that comes late.
   */
  open(opts: { signal: AbortSignal }): Promise<Duplex>;
}

/** The wait for a transport to open ran out (code ETIMEDOUT). */
export class TransportTimeoutError extends Error {
  override readonly name = "TransportTimeoutError";
  readonly code = "ETIMEDOUT";
  constructor(
    readonly address: string,
    readonly timeoutMs: number,
  ) {
    super(`no connection to ${address} within ${timeoutMs} ms`);
  }
}

/** Whoever asked for the stream stopped waiting for it (code ECANCELED). */
export class TransportAbortedError extends Error {
  override readonly name = "TransportAbortedError";
  readonly code = "ECANCELED";
  constructor(readonly address: string) {
    super(`connecting to ${address} was cancelled`);
  }
}
