/**
 * An in-process transport: each open() makes a connected pair of streams, hands one end to
 * `accept` (a server running in the same process) and returns the other. Nothing touches the
 * file system or the network, which makes it the proof that the clients depend on nothing but
 * a byte stream — and a way to serve a simulated peer without a socket.
 */
import { Duplex } from "node:stream";
import type { StreamTransport } from "./types";

class PairEnd extends Duplex {
  peer: PairEnd | null = null;

  constructor() {
    // Like a socket: when the other end is done sending, this end is done too.
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    // Data arrives through the peer's writes.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    // Delivered on a later turn, as bytes from a socket would be.
    if (peer) setImmediate(() => peer.destroyed || peer.push(chunk));
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (peer) setImmediate(() => peer.destroyed || peer.push(null));
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = null;
    if (peer) {
      peer.peer = null;
      setImmediate(() => peer.destroyed || peer.push(null));
    }
    callback(error);
  }
}

/** Two connected streams: what one writes, the other reads. */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairEnd();
  const b = new PairEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

export function inProcessTransport(address: string, accept: (serverEnd: Duplex) => void): StreamTransport {
  return {
    address,
    open: async () => {
      const [client, server] = duplexPair();
      accept(server);
      return client;
    },
  };
}
