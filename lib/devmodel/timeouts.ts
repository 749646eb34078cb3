/**
 * Every bound on waiting for a peer, in one place. Each constant is the default of one wait;
 * callers may pass their own, but no other module defines a default of its own.
 *
 * Why these values: a dom0 answers XenStore and QMP in well under a millisecond when healthy,
 * so the bounds only decide how long a dead or hung peer can hold a read. A hung QEMU holds
 * one QMP slot for `QMP_TIMEOUT_MS` and every live read that asks it pays that once, so it is
 * kept short; xenstored is one peer per host and everything depends on it, so it gets longer.
 */

/** XenStore: opening the connection to xenstored, and then each request. */
export const XENSTORE_TIMEOUT_MS = 5_000;

/** XenStore reconnect backoff: first retry after this, doubling up to the maximum. */
export const XENSTORE_RECONNECT_INITIAL_MS = 100;
export const XENSTORE_RECONNECT_MAX_MS = 5_000;

/**
 * QMP: one guest's conversation — connect, greeting, negotiation and the queries — and the
 * default bound of a single command on an open client.
 */
export const QMP_TIMEOUT_MS = 800;

/** /proc: one file operation (open + read, readlink, readdir, stat). Also listing a QMP socket directory. */
export const PROCFS_TIMEOUT_MS = 2_000;

/** Closing a connection: how long close() waits for the stream to report it is closed. */
export const STREAM_CLOSE_GRACE_MS = 1_000;

/** A whole read of one host by the collector; a read still running after this is failed. */
export const HOST_READ_TIMEOUT_MS = 60_000;

/**
 * The collector's watch connection: first retry after a failure, doubling up to the maximum
 * (a new connection), and the longest gap between reconnect attempts of a live one.
 */
export const WATCH_RETRY_INITIAL_MS = 500;
/**
 * A XenStore change is read this long after its watch fired: the window a burst (one xl command
 * writes dozens of keys) is coalesced in; changes during a read make one more read after it.
 */
export const WATCH_DEBOUNCE_MS = 30;
export const WATCH_RETRY_MAX_MS = 30_000;
export const WATCH_RECONNECT_MAX_MS = 10_000;

/**
 * SSH (a remote dom0, lib/devmodel/ssh): the TCP connect + handshake + authentication of one
 * connection; keep-alives (a connection whose peer misses SSH_KEEPALIVE_COUNT_MAX in a row is
 * dropped, so a dead host is noticed in about interval × count); and the reconnect backoff after
 * a failed attempt (first retry after the initial delay, doubling up to the maximum). Channels
 * and SFTP calls ride the connection and are bounded by the waits above (XenStore, QMP, procfs).
 */
export const SSH_CONNECT_TIMEOUT_MS = 10_000;
export const SSH_KEEPALIVE_INTERVAL_MS = 5_000;
export const SSH_KEEPALIVE_COUNT_MAX = 3;
export const SSH_RECONNECT_INITIAL_MS = 500;
export const SSH_RECONNECT_MAX_MS = 30_000;

/**
 * Several server instances on PostgreSQL (lib/hosts/lease.ts): a host whose collecting
 * instance dies is read by another within LEASE_TAKEOVER_MS. The one constant; the rest is
 * derived: a lease lasts two thirds of it, and every instance renews its leases and looks
 * for expired ones every third, so a lease renewed just before the death expires at most
 * TTL later and is taken at most one heartbeat after that: TTL + heartbeat = the bound.
 */
export const LEASE_TAKEOVER_MS = 15_000;
export const LEASE_TTL_MS = Math.round((LEASE_TAKEOVER_MS * 2) / 3);
export const LEASE_HEARTBEAT_MS = LEASE_TAKEOVER_MS - LEASE_TTL_MS;

/**
 * Node's timers hold at most 2^31−1 ms; a longer delay fires after 1 ms instead. A timeout must
 * be a positive, finite number of milliseconds up to this.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Is `ms` a usable bound? 0, negative, NaN and Infinity are not: none of them may mean
 * "wait forever" (a caller asking for that is refused, not obeyed).
 */
export function isValidTimeout(ms: unknown): ms is number {
  return typeof ms === "number" && Number.isFinite(ms) && ms > 0 && ms <= MAX_TIMEOUT_MS;
}

/** Throws a RangeError naming `what` unless `ms` is a usable bound. */
export function checkTimeout(ms: unknown, what: string): number {
  if (!isValidTimeout(ms)) {
    throw new RangeError(`${what} must be a positive, finite number of milliseconds up to ${MAX_TIMEOUT_MS}, not ${String(ms)}`);
  }
  return ms;
}
