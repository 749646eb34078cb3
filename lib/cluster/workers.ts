/**
 * Several HTTP server processes behind one port (DMBOARD_WORKERS, scripts/serve.mjs): what a
 * worker needs to know of its siblings.
 *
 * One Node process renders one page at a time, and what a page costs is mostly Next.js and
 * React (docs/perf-notes.md), so a box with several cores serves more with several processes.
 * scripts/serve.mjs forks them (Node's cluster: one listening socket, connections dealt round
 * robin) and relays messages between them. Worker 0, the lead, keeps what must be one per
 * server: the sign-in throttle and better-auth's rate limits (a client must not get N times
 * the attempts by landing on N processes) and, on SQLite, the collector (the others mirror its
 * live state: lib/hosts/mirror.ts). On PostgreSQL each worker is an instance like any other
 * (leases, NOTIFY). /metrics sums every worker's registry.
 *
 * Plain messages over the IPC channel the cluster opens ("advanced" serialization: structured
 * clone). Every call is bounded: a sibling that died or hangs is an error, never a wait.
 * Kept on globalThis: Next bundles routes and instrumentation separately.
 */
import { randomUUID } from "node:crypto";

/** How long a call to a sibling may take before it counts as failed. */
export const WORKER_CALL_TIMEOUT_MS = 3_000;

type Handler = (args: unknown) => unknown;
type Listener = (payload: unknown) => void;

/** A message of ours on the IPC channel (anything else there is not for us). */
export type WorkerMessage =
  | { dm: "call"; id: string; method: string; args: unknown; to?: number | "all" }
  | { dm: "reply"; id: string; ok: boolean; value?: unknown; error?: string }
  | { dm: "broadcast"; topic: string; payload: unknown; from?: number };

/** One worker's answer to a call made to "all". */
export interface WorkerResult<T> {
  worker: number;
  ok: boolean;
  value?: T;
  error?: string;
}

export class WorkerCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerCallError";
  }
}

interface State {
  handlers: Map<string, Handler>;
  listeners: Map<string, Set<Listener>>;
  pending: Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>;
  installed: boolean;
}
const g = globalThis as unknown as { dmboardWorkers?: State };

function state(): State {
  g.dmboardWorkers ??= { handlers: new Map(), listeners: new Map(), pending: new Map(), installed: false };
  return g.dmboardWorkers;
}

/** This process's index among the workers, or null when it serves alone. */
export function workerIndex(env: Record<string, string | undefined> = process.env): number | null {
  const n = Number(env.DMBOARD_WORKERS ?? 1);
  const i = Number(env.DMBOARD_WORKER);
  if (!(n > 1) || !Number.isInteger(i) || i < 0 || typeof process.send !== "function") return null;
  return i;
}

/** Whether this process keeps what is one per server (alone, or worker 0). */
export function isLeadWorker(env: Record<string, string | undefined> = process.env): boolean {
  const i = workerIndex(env);
  return i === null || i === 0;
}

function send(msg: WorkerMessage): void {
  process.send!(msg);
}

function install(): void {
  const s = state();
  if (s.installed || typeof process.send !== "function") return;
  s.installed = true;
  process.on("message", (raw: unknown) => {
    const m = raw as WorkerMessage | null;
    if (!m || typeof m !== "object" || !("dm" in m)) return;
    if (m.dm === "call") void answer(m);
    else if (m.dm === "reply") {
      const p = s.pending.get(m.id);
      if (!p) return; // timed out meanwhile
      s.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.value);
      else p.reject(new WorkerCallError(m.error ?? "the sibling worker failed"));
    } else if (m.dm === "broadcast") {
      for (const fn of s.listeners.get(m.topic) ?? []) {
        try {
          fn(m.payload);
        } catch {
          // one broken listener must not stop the others
        }
      }
    }
  });
}

async function answer(m: Extract<WorkerMessage, { dm: "call" }>): Promise<void> {
  const h = state().handlers.get(m.method);
  try {
    if (!h) throw new Error(`no handler for ${m.method} in worker ${workerIndex() ?? "?"}`);
    send({ dm: "reply", id: m.id, ok: true, value: await h(m.args) });
  } catch (err) {
    send({ dm: "reply", id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

/** Answer `method` when a sibling calls it (the lead registers what it keeps). */
export function serveMethod(method: string, handler: Handler): void {
  install();
  state().handlers.set(method, handler);
}

/** Run `method` in worker `to`, or in every worker ("all": a WorkerResult per worker, by index). */
export function callWorker<T>(to: number | "all", method: string, args: unknown = null, timeoutMs = WORKER_CALL_TIMEOUT_MS): Promise<T> {
  if (workerIndex() === null) return Promise.reject(new WorkerCallError("not running as a worker"));
  install();
  const s = state();
  const id = randomUUID();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      s.pending.delete(id);
      reject(new WorkerCallError(`worker ${to} did not answer ${method} within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    s.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    send({ dm: "call", id, to, method, args });
  });
}

/** Tell every other worker (no answer awaited). */
export function broadcast(topic: string, payload: unknown): void {
  if (workerIndex() === null) return;
  install();
  send({ dm: "broadcast", topic, payload });
}

/** Hear what siblings broadcast on `topic`. */
export function onBroadcast(topic: string, fn: Listener): () => void {
  install();
  const s = state();
  const set = s.listeners.get(topic) ?? new Set();
  set.add(fn);
  s.listeners.set(topic, set);
  return () => set.delete(fn);
}
