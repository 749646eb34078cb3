/**
 * The read-only allowlist of XenStore message types. dmboard must never change a host's store:
 * libxl, QEMU and the guests coordinate through it. The client has no method that writes, and on
 * top of that every request passes `isReadOnlyType` before a byte is written, so a write cannot
 * be sent by a future method, a cast, or a message type that arrives as data.
 *
 * Refused: WRITE, MKDIR, RM, SET_PERMS, INTRODUCE, RELEASE, RESUME, SET_TARGET, RESET_WATCHES,
 * CONTROL (XS_DEBUG: logging, memory reports, live update), SET_FEATURE, SET_QUOTA, and the reads
 * we have no use for (GET_FEATURE, GET_QUOTA): the list is what the client needs, nothing more.
 * WATCH/UNWATCH change only our own connection's registrations; TRANSACTION_END with "T" commits
 * a transaction this client cannot have written in.
 */
import { XS } from "./wire";

export const XS_READ_ONLY_TYPES: readonly number[] = [
  XS.READ,
  XS.DIRECTORY,
  XS.DIRECTORY_PART,
  XS.GET_PERMS,
  XS.WATCH,
  XS.UNWATCH,
  XS.TRANSACTION_START,
  XS.TRANSACTION_END,
  XS.GET_DOMAIN_PATH,
  XS.IS_DOMAIN_INTRODUCED,
];

const READ_ONLY = new Set<number>(XS_READ_ONLY_TYPES);

/** Runtime gate: only a number on the list passes. */
export function isReadOnlyType(type: unknown): type is number {
  return typeof type === "number" && READ_ONLY.has(type);
}
