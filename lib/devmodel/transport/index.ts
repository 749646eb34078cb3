export type { StreamTransport } from "./types";
export { TransportTimeoutError, TransportAbortedError } from "./types";
export { openStream } from "./open";
export { unixSocketTransport, tcpTransport } from "./local";
export { duplexPair, inProcessTransport } from "./pair";
