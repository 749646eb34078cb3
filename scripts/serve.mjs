#!/usr/bin/env node
/**
 * The HTTP server `npm start` runs in front of Next.js (instead of `next start`).
 *
 * It exists because it owns the socket, so it alone knows the client's address.
 * Next.js keeps whatever X-Forwarded-For a client sends, and better-auth's rate limits
 * and our sign-in throttle key on it, so a client could pick a new address per request
 * (issue 10). Here forwarding headers are believed only when the operator says how many
 * reverse proxies in front set them (DMBOARD_TRUST_PROXY, off by default); otherwise they
 * are dropped. Either way the app sees exactly one address in X-Forwarded-For: the
 * client's.
 *
 * With DMBOARD_WORKERS above 1 it is also the primary of that many server processes on the
 * one port (Node's cluster), which it forks, restarts and relays messages between
 * (lib/cluster/workers.ts is the workers' side).
 *
 * Plain JavaScript, no tsx: this is the production server process.
 */
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** Headers a client could use to claim another address, host or scheme. */
const FORWARDING = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
];

/**
 * DMBOARD_TRUST_PROXY → how many reverse proxies in front of dmboard append to
 * X-Forwarded-For. `off` (or unset, `0`, `false`) → none: forwarding headers are ignored.
 * `on`/`true` → one. Anything else is a configuration error, said at start-up.
 */
export function trustedProxyHops(value) {
  const v = String(value ?? "")
    .trim()
    .toLowerCase();
  if (v === "" || v === "off" || v === "false" || v === "0" || v === "no") return 0;
  if (v === "on" || v === "true" || v === "yes") return 1;
  if (/^[1-9]$/.test(v)) return Number(v);
  throw new Error(`DMBOARD_TRUST_PROXY must be off, on, or the number of proxies in front (1-9); got "${value}"`);
}

/** "::ffff:127.0.0.1" → "127.0.0.1": one address, one spelling. */
function plainAddress(a) {
  const s = String(a ?? "").trim();
  return /^::ffff:\d{1,3}(?:\.\d{1,3}){3}$/i.test(s) ? s.slice(7) : s;
}

/**
 * Rewrite `headers` (a Node IncomingHttpHeaders, in place) so X-Forwarded-For holds the
 * client's address only. With `hops` trusted proxies, the client is the address the
 * outermost of them saw: counting from the right of X-Forwarded-For plus the socket's
 * peer, skip `hops` proxies. Whatever a client wrote further left is never used.
 */
export function normalizeForwarding(headers, socketAddress, hops) {
  const peer = plainAddress(socketAddress);
  let client = peer;
  if (hops > 0) {
    const chain = String(headers["x-forwarded-for"] ?? "")
      .split(",")
      .map(plainAddress)
      .filter(Boolean);
    chain.push(peer);
    client = chain[Math.max(0, chain.length - 1 - hops)];
  }
  const keep = hops > 0 ? new Set(["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"]) : new Set();
  for (const h of FORWARDING) if (!keep.has(h)) delete headers[h];
  headers["x-forwarded-for"] = client;
  return client;
}

/**
 * DMBOARD_WORKERS → how many server processes share the port. Unset or 1: this process serves
 * alone (the default). `auto`: one per CPU core, at most 8. Anything else is a configuration
 * error, said at start-up.
 */
export function workerCount(value, cpus = os.availableParallelism?.() ?? os.cpus().length) {
  const v = String(value ?? "")
    .trim()
    .toLowerCase();
  if (v === "" || v === "1") return 1;
  if (v === "auto") return Math.max(1, Math.min(8, cpus));
  if (/^[1-9]$|^1[0-6]$/.test(v)) return Number(v);
  throw new Error(`DMBOARD_WORKERS must be a number of processes (1-16) or auto; got "${value}"`);
}

/** How long a worker that died waits before it is started again (a crash loop must not spin). */
const RESTART_DELAY_MS = 1000;
/** A relayed call unanswered this long is forgotten (the caller's own bound, WORKER_CALL_TIMEOUT_MS, is far shorter). */
const FORGET_CALL_MS = 60_000;

/**
 * The primary of several workers (lib/cluster/workers.ts says why): it forks them, starts a
 * worker that died again under the same index, and relays their messages. It serves no
 * request and keeps no state of its own beyond the calls in flight.
 */
function primary(count) {
  cluster.setupPrimary({ serialization: "advanced" });
  /** index → worker */
  const workers = new Map();
  /** relayed call → the caller (worker, its id) and the target, or for "all" the results so far */
  const calls = new Map();
  let stopping = false;
  let seq = 0;

  const reply = (to, id, body) => workers.get(to)?.send({ dm: "reply", id, ...body });
  const settle = (key, index, body) => {
    const c = calls.get(key);
    if (!c) return;
    if (!c.results) {
      calls.delete(key);
      reply(c.from, c.id, body);
      return;
    }
    c.results[index] = { worker: index, ...body };
    c.left.delete(index);
    if (c.left.size === 0) {
      calls.delete(key);
      reply(c.from, c.id, { ok: true, value: c.results.filter(Boolean) });
    }
  };

  const onMessage = (from, m) => {
    if (!m || typeof m !== "object") return;
    if (m.dm === "broadcast") {
      for (const [i, w] of workers) if (i !== from) w.send({ dm: "broadcast", topic: m.topic, payload: m.payload, from });
    } else if (m.dm === "call") {
      // A worker that hangs never answers: its callers gave up long ago (their own timeout), so drop the entry.
      const now = Date.now();
      for (const [key, c] of calls) if (now - c.at > FORGET_CALL_MS) calls.delete(key);
      const targets = m.to === "all" ? [...workers.keys()].sort((a, b) => a - b) : [m.to];
      const key = `c${++seq}`;
      calls.set(key, m.to === "all" ? { from, id: m.id, at: now, results: [], left: new Set(targets) } : { from, id: m.id, at: now, target: m.to });
      for (const t of targets) {
        const w = workers.get(t);
        if (w) w.send({ dm: "call", id: `${key}:${t}`, method: m.method, args: m.args });
        else settle(key, t, { ok: false, error: `worker ${t} is not running` });
      }
    } else if (m.dm === "reply") {
      const [key, index] = String(m.id).split(":");
      settle(key, Number(index), { ok: m.ok, value: m.value, error: m.error });
    }
  };

  const fork = (index) => {
    const w = cluster.fork({ DMBOARD_WORKER: String(index), DMBOARD_WORKERS: String(count) });
    let listened = false;
    workers.set(index, w);
    w.on("message", (m) => onMessage(index, m));
    w.on("listening", () => (listened = true));
    w.on("exit", (code, signal) => {
      if (workers.get(index) === w) workers.delete(index);
      // One that never served (the port taken, a bad setting) would fail again: stop, as alone.
      if (!listened && !stopping) {
        console.error(`dmboard: worker ${index} exited (${signal ?? code}) before it served; stopping`);
        process.exitCode = 1;
        stop();
      }
      // Calls waiting on it fail now rather than at their timeout.
      for (const [key, c] of calls) {
        if (c.results ? c.left.has(index) : c.target === index) settle(key, index, { ok: false, error: `worker ${index} exited` });
      }
      if (stopping) {
        if (workers.size === 0) process.exit();
        return;
      }
      console.error(`dmboard: worker ${index} exited (${signal ?? code}); starting it again`);
      setTimeout(() => fork(index), RESTART_DELAY_MS);
    });
  };
  for (let i = 0; i < count; i++) fork(i);
  console.log(`dmboard: ${count} worker processes share the port (DMBOARD_WORKERS)`);

  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of workers.values()) w.process.kill("SIGTERM");
    if (workers.size === 0) process.exit();
    setTimeout(() => process.exit(), 8000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function main() {
  const count = workerCount(process.env.DMBOARD_WORKERS);
  if (count > 1 && cluster.isPrimary) return primary(count);
  const root = path.resolve(import.meta.dirname, "..");
  const port = Number(process.env.PORT || 3000);
  const hops = trustedProxyHops(process.env.DMBOARD_TRUST_PROXY);
  // React and Next pick their production builds from NODE_ENV when first loaded.
  process.env.NODE_ENV = "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, port, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Which process answered, when several share the port (operators and the tests ask).
  const worker = cluster.isWorker ? String(process.env.DMBOARD_WORKER) : null;
  const server = http.createServer((req, res) => {
    normalizeForwarding(req.headers, req.socket.remoteAddress, hops);
    if (worker !== null) res.setHeader("X-Dmboard-Worker", worker);
    handle(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, () => {
    const who = cluster.isWorker ? `worker ${process.env.DMBOARD_WORKER}: ` : "";
    if (!cluster.isWorker || process.env.DMBOARD_WORKER === "0")
      console.log(`dmboard: ${who}listening on port ${port}${hops ? ` (client addresses from X-Forwarded-For, ${hops} proxy hop${hops > 1 ? "s" : ""})` : ""}`);
  });
  const stop = () => {
    server.close();
    server.closeIdleConnections?.();
    app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(`dmboard: could not start: ${err.message}`);
    process.exit(1);
  });
}
