/**
 * The metrics' own bearer token: `/metrics` is off (404) unless DMBOARD_METRICS_TOKEN is
 * set, and then answers only `Authorization: Bearer <token>` (what Prometheus sends with
 * `authorization: { credentials: … }` or `bearer_token_file`). Not an API token: a
 * scraper needs no account, and the token grants nothing else.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/** Shorter tokens are refused as a setting: a metrics endpoint reveals routes, hosts and load. */
export const MIN_TOKEN_LENGTH = 16;

export type TokenSetting = { on: true; token: string } | { on: false; reason: string; error?: boolean };

export function metricsSetting(env: NodeJS.ProcessEnv = process.env): TokenSetting {
  const token = env.DMBOARD_METRICS_TOKEN?.trim();
  if (!token) return { on: false, reason: "DMBOARD_METRICS_TOKEN is not set" };
  if (token.length < MIN_TOKEN_LENGTH)
    return {
      on: false,
      error: true,
      reason: `DMBOARD_METRICS_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (openssl rand -hex 24); /metrics stays off`,
    };
  return { on: true, token };
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** off: metrics not configured; ok: the request carries the token; denied: it does not. */
export function checkMetricsToken(headers: Headers, env: NodeJS.ProcessEnv = process.env): "off" | "ok" | "denied" {
  const setting = metricsSetting(env);
  if (!setting.on) return "off";
  const authz = headers.get("authorization") ?? "";
  const m = /^Bearer +(\S{1,512})$/i.exec(authz.trim());
  if (!m) return "denied";
  // Equal-length digests compared in constant time: no timing hint about the token.
  return timingSafeEqual(digest(m[1]), digest(setting.token)) ? "ok" : "denied";
}
