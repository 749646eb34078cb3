/**
 * The server-log half of peer-bytes.ts: what a misconfigured peer sent, kept for the admin, once
 * per peer per interval. Apart from the pure helpers so the wire code (which the simulator also
 * uses) does not load the logger.
 */
import { log } from "@/lib/log";
import { escapePeerBytes } from "./peer-bytes";

/** One log line per peer per this interval: a misconfigured host is read every few seconds. */
const LOG_INTERVAL_MS = 10 * 60_000;

export interface PeerBytesRecord {
  protocol: "xenstore" | "qmp";
  /** The transport's address. */
  peer: string;
  /** What was wrong, in our words (no peer bytes in it). */
  problem: string;
  bytes: Uint8Array;
}

export type PeerBytesLog = (record: PeerBytesRecord) => void;

const toServerLog: PeerBytesLog = (r) =>
  log.warn(
    { protocol: r.protocol, peer: r.peer, length: r.bytes.length, bytes: escapePeerBytes(r.bytes) },
    `a ${r.protocol === "qmp" ? "QMP" : "XenStore"} peer sent bytes that are not the protocol: ${r.problem}`,
  );

let sink: PeerBytesLog = toServerLog;
const lastLogged = new Map<string, number>();

/** Where the bytes go: the server log by default; a command-line tool may send them to stderr. */
export function setPeerBytesLog(next: PeerBytesLog | null): void {
  sink = next ?? toServerLog;
  lastLogged.clear();
}

/** Log what a peer sent, at most once per peer per interval. Never throws. */
export function logPeerBytes(record: PeerBytesRecord): void {
  const now = Date.now();
  const key = `${record.protocol} ${record.peer}`;
  const last = lastLogged.get(key);
  if (last !== undefined && now - last < LOG_INTERVAL_MS) return;
  if (lastLogged.size >= 1000) lastLogged.clear();
  lastLogged.set(key, now);
  try {
    sink(record);
  } catch {
    // Logging must not turn a peer's failure into ours.
  }
}
