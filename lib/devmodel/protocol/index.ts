/**
 * The generic layer under both protocol clients (after qemu.qmp's protocol.py): a framed
 * connection over any byte stream, the table of requests waiting for replies with their
 * deadlines, the bounded event queue, and what to do with bytes that are not the protocol.
 * XenStore (../xenstore) and QMP (../qmp) keep only their framing and their semantics.
 */
export { FramedStream, type FramedStreamHandlers, type StreamDecoder, type StreamEnd } from "./stream";
export { PendingRequests, type PendingRequest } from "./requests";
export { EventQueue, DEFAULT_EVENT_QUEUE_MAX } from "./event-queue";
export { withDeadline } from "./deadline";
export { describePeerBytes, escapePeerBytes, withPeerBytes, peerBytesOf } from "./peer-bytes";
export { logPeerBytes, setPeerBytesLog, type PeerBytesLog, type PeerBytesRecord } from "./peer-log";
