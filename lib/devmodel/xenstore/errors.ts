/**
 * Typed failures of the XenStore client. Callers switch on the class (or on `kind` via
 * `toPeerError`) rather than parsing messages, so every failure path must produce one of these.
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

/** The server answered a request with XS_ERROR (or the client refused it for the same reason, e.g. E2BIG). */
export class XenStoreError extends Error {
  override readonly name = "XenStoreError";
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

/** The request was sent but no reply came within the per-request timeout. */
export class XenStoreTimeoutError extends Error {
  override readonly name = "XenStoreTimeoutError";
  constructor(
    readonly op: string,
    readonly path: string | undefined,
    readonly timeoutMs: number,
  ) {
    super(`${op}${path !== undefined ? ` ${path}` : ""}: no reply within ${timeoutMs} ms`);
  }
}

/** No usable connection: connect failed, the server went away, or the client was closed. */
export class XenStoreConnectionError extends Error {
  override readonly name = "XenStoreConnectionError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The peer sent something that is not the XenStore protocol (bad header, oversize frame, wrong reply type). */
export class XenStoreProtocolError extends Error {
  override readonly name = "XenStoreProtocolError";
  constructor(message: string) {
    super(message);
  }
}

export type XenStoreFailure = XenStoreError | XenStoreTimeoutError | XenStoreConnectionError | XenStoreProtocolError;

export function isXenStoreFailure(e: unknown): e is XenStoreFailure {
  return (
    e instanceof XenStoreError ||
    e instanceof XenStoreTimeoutError ||
    e instanceof XenStoreConnectionError ||
    e instanceof XenStoreProtocolError
  );
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
  if (e instanceof XenStoreError) {
    if (e.errno === "EACCES" || e.errno === "EPERM") return { kind: "denied", message };
    if (e.errno === "ENOENT") return { kind: "absent", message };
  }
  return { kind: "error", message };
}
