/** Open a transport with a deadline: every wait for a peer is bounded, the transport's own included. */
import type { Duplex } from "node:stream";
import { checkTimeout } from "@/lib/devmodel/timeouts";
import { TransportAbortedError, TransportTimeoutError, type StreamTransport } from "./types";

/**
 * The stream `transport` opens, or a TransportTimeoutError after `timeoutMs`, or a
 * TransportAbortedError as soon as `signal` aborts. A stream that arrives after either is
 * destroyed at once, so a slow transport cannot leak connections.
 */
export function openStream(transport: StreamTransport, timeoutMs: number, signal?: AbortSignal): Promise<Duplex> {
  checkTimeout(timeoutMs, "connect timeout");
  return new Promise<Duplex>((resolve, reject) => {
    const ac = new AbortController();
    let settled = false;
    const stop = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      ac.abort();
      reject(err);
    };
    const onAbort = () => stop(new TransportAbortedError(transport.address));
    const timer = setTimeout(() => stop(new TransportTimeoutError(transport.address, timeoutMs)), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let opening: Promise<Duplex>;
    try {
      opening = transport.open({ signal: ac.signal });
    } catch (e) {
      return stop(e instanceof Error ? e : new Error(String(e)));
    }
    opening.then(
      (stream) => {
        if (settled) {
          stream.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(stream);
      },
      (e: unknown) => stop(e instanceof Error ? e : new Error(String(e))),
    );
  });
}
