/** The local transports: a unix socket (xenstored, QEMU's QMP chardevs) and TCP (QMP on a port). */
import net from "node:net";
import { TransportAbortedError, type StreamTransport } from "./types";

export function unixSocketTransport(path: string): StreamTransport {
  return { address: path, open: ({ signal }) => connect({ path }, path, signal) };
}

export function tcpTransport(host: string, port: number): StreamTransport {
  const address = `${host}:${port}`;
  return {
    address,
    open: async ({ signal }) => {
      const s = await connect({ host, port }, address, signal);
      s.setNoDelay(true);
      return s;
    },
  };
}

function connect(opts: net.NetConnectOpts, address: string, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new TransportAbortedError(address));
    const s = net.createConnection(opts);
    const onAbort = () => {
      s.destroy();
      reject(new TransportAbortedError(address));
    };
    const onError = (e: Error) => {
      signal.removeEventListener("abort", onAbort);
      s.destroy();
      reject(e);
    };
    s.once("error", onError);
    s.once("connect", () => {
      s.off("error", onError);
      signal.removeEventListener("abort", onAbort);
      resolve(s);
    });
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
