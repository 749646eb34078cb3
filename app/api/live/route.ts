import { defineRoute } from "@/lib/auth/guard";
import { getLiveView } from "@/lib/hosts/service";
import type { LiveUpdate } from "@/lib/hosts/types";
import { trackSseClient } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: one `update` per host change the collector has (a new analysis, a
 * status change), a `hello` with every host's state on connect, and a comment line as
 * heartbeat. Compact on purpose: the browser re-renders from the server, it does not
 * rebuild state from this stream. A slow client skips updates instead of buffering them.
 */
export const GET = defineRoute({ role: "viewer" }, async (req) => {
  const collector = getLiveView();
  const enc = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const write = (text: string, always = false) => {
        if (closed) return;
        if (!always && (controller.desiredSize ?? 1) <= 0) return;
        try {
          controller.enqueue(enc.encode(text));
        } catch {
          cleanup();
        }
      };
      const send = (event: string, data: unknown, always = false) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`, always);
      const hello: LiveUpdate[] = collector.states().map((s) => ({
        hostId: s.host.id,
        name: s.host.name,
        status: s.status,
        version: s.version,
        lastGoodAt: s.lastGoodAt,
        error: s.error,
        vmCount: s.analysis?.summary.vmCount ?? 0,
        deprivileged: s.analysis?.summary.deprivileged ?? 0,
        changed: [],
      }));
      write("retry: 2000\n\n", true);
      send("hello", { at: new Date().toISOString(), hosts: hello }, true);
      const unsubscribe = collector.subscribe((u) => send("update", u));
      const untrack = trackSseClient();
      const heartbeat = setInterval(() => write(`: heartbeat ${Date.now()}\n\n`, true), HEARTBEAT_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        unsubscribe();
        untrack();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      req.signal.addEventListener("abort", () => cleanup(), { once: true });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: keeps the compression middleware from buffering the stream.
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
