/**
 * Typed failures of the XenStore client, one tree under XenStoreClientError. Callers switch on
 * the class (or on `kind`, or map with `toPeerError`) rather than parsing messages, so every
 * failure path must produce one of these.
 */
import type { PeerError } from "@/lib/devmodel/types";

/** The errno names xenstored may send in an XS_ERROR reply (xs_wire.h `xsd_errors[]`, in order). */
export const XS_ERRNO_NAMES = [
  "EINVAL",
  "EACCES",
  "EEXIST",
  "EISDIR",
  "ENOENT",
  "ENOMEM",
  "ENOSPC",
  "EIO",
  "ENOTEMPTY",
  "ENOSYS",
  "EROFS",
  "EBUSY",
  "EAGAIN",
  "EISCONN",
  "E2BIG",
  "EPERM",
] as const;
export type XsErrno = (typeof XS_ERRNO_NAMES)[number];

/**
 * The root of every failure the XenStore client reports: catch this one class to catch them all,
 * or switch on `kind` (or map with `toPeerError`) instead of parsing messages.
 */
export abstract class XenStoreClientError extends Error {
  abstract readonly kind: "server" | "timeout" | "connection" | "protocol" | "refused";
}

/** The server answered a request with XS_ERROR (or the client refused it for the same reason, e.g. E2BIG). */
export class XenStoreError extends XenStoreClientError {
  override readonly name = "XenStoreError";
  readonly kind = "server" as const;
  constructor(
    /** errno name as sent by the server, e.g. "ENOENT". Kept as string: newer servers may add names. */
    readonly errno: XsErrno | (string & {}),
    /** Request type name, e.g. "READ". */
    readonly op: string,
    readonly path?: string,
  ) {
    super(`${op}${path !== undefined ? ` ${path}` : ""}: ${errno}`);
  }
}

/** No reply within the per-request timeout, or (op "connect") no connection within the connect timeout. */
export class XenStoreTimeoutError extends XenStoreClientError {
  override readonly name = "XenStoreTimeoutError";
  readonly kind = "timeout" as const;
  constructor(
    readonly op: string,
    readonly path: string | undefined,
    readonly timeoutMs: number,
  ) {
    super(
      op === "connect"
        ? `cannot connect to ${path ?? "xenstored"} within ${timeoutMs} ms`
        : `${op}${path !== undefined ? ` ${path}` : ""}: no reply within ${timeoutMs} ms`,
    );
  }
}

/** No usable connection: connect failed, the server went away, or the client was closed. */
export class XenStoreConnectionError extends XenStoreClientError {
  override readonly name = "XenStoreConnectionError";
  readonly kind = "connection" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The peer sent something that is not the XenStore protocol (bad header, oversize frame, wrong
 * reply type, malformed reply). The message never quotes the peer's bytes.
 */
export class XenStoreProtocolError extends XenStoreClientError {
  override readonly name = "XenStoreProtocolError";
  readonly kind = "protocol" as const;
  constructor(message: string) {
    super(message);
  }
}

/** The client refused to send a request that is not on the read-only allowlist; nothing was written. */
export class XenStoreRefusedError extends XenStoreClientError {
  override readonly name = "XenStoreRefusedError";
  readonly kind = "refused" as const;
  constructor(
    /** The message type asked for, e.g. "WRITE" or "TYPE_99". */
    readonly op: string,
    readonly path?: string,
  ) {
    super(`${op}${path !== undefined ? ` ${path}` : ""}: refused, not on the read-only allowlist`);
  }
}

export type XenStoreFailure = XenStoreClientError;

export function isXenStoreFailure(e: unknown): e is XenStoreFailure {
  return e instanceof XenStoreClientError;
}

/** True when `e` is an XS_ERROR reply carrying `errno`. */
export function hasErrno(e: unknown, errno: XsErrno): e is XenStoreError {
  return e instanceof XenStoreError && e.errno === errno;
}

/** Map any failure to the user-facing shape of the shared contract. */
export function toPeerError(e: unknown): PeerError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof XenStoreTimeoutError) return { kind: "timeout", message };
  if (e instanceof XenStoreConnectionError) return { kind: "unreachable", message };
  if (e instanceof XenStoreProtocolError) return { kind: "protocol", message };
  if (e instanceof XenStoreRefusedError) return { kind: "error", message };
  if (e instanceof XenStoreError) {
    if (e.errno === "EACCES" || e.errno === "EPERM") return { kind: "denied", message };
    if (e.errno === "ENOENT") return { kind: "absent", message };
  }
  return { kind: "error", message };
}
