#!/usr/bin/env node
/**
 * The HTTP server `npm start` runs in front of Next.js (instead of `next start`).
 *
 * It exists for one reason: it owns the socket, so it alone knows the client's address.
 * Next.js keeps whatever X-Forwarded-For a client sends, and better-auth's rate limits
 * and our sign-in throttle key on it, so a client could pick a new address per request
 * (issue 10). Here forwarding headers are believed only when the operator says how many
 * reverse proxies in front set them (DMBOARD_TRUST_PROXY, off by default); otherwise they
 * are dropped. Either way the app sees exactly one address in X-Forwarded-For: the
 * client's.
 *
 * Plain JavaScript, no tsx: this is the production server process.
 */
import http from "node:http";
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

async function main() {
  const root = path.resolve(import.meta.dirname, "..");
  const port = Number(process.env.PORT || 3000);
  const hops = trustedProxyHops(process.env.DMBOARD_TRUST_PROXY);
  // React and Next pick their production builds from NODE_ENV when first loaded.
  process.env.NODE_ENV = "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, port, hostname: "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    normalizeForwarding(req.headers, req.socket.remoteAddress, hops);
    handle(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, () => {
    console.log(`dmboard: listening on port ${port}${hops ? ` (client addresses from X-Forwarded-For, ${hops} proxy hop${hops > 1 ? "s" : ""})` : ""}`);
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
