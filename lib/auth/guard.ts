import { redirect, unstable_rethrow } from "next/navigation";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { log } from "@/lib/log";
import { actorFromFeedToken, actorFromHeaders, currentActor, type Actor } from "./actor";
import { DomainError } from "@/lib/db/errors";
import { checkMetricsToken } from "@/lib/metrics/token";
import { roleAtLeast, type Role } from "./roles";

/**
 * THE authorization mechanism. Every page calls requirePageRole, every server action
 * is built by defineAction, every route handler by defineRoute; tests/auth/guards.test.ts
 * proves from the file tree that nothing bypasses them, and e2e/route-roles.spec.ts
 * proves at runtime that anonymous visitors and viewers are refused every write.
 */

// ── Pages ────────────────────────────────────────────────────────────────────

export async function requirePageRole(role: Role, from?: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/sign-in${from ? `?next=${encodeURIComponent(from)}` : ""}`);
  if (!roleAtLeast(actor.role, role)) redirect(`/forbidden?need=${role}`);
  return actor;
}

// ── Server actions ───────────────────────────────────────────────────────────

export type ActionErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "INVALID" | "NOT_FOUND" | "CONFLICT" | "ERROR";

export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; code: ActionErrorCode; message: string; fieldErrors?: Record<string, string[]>; conflict?: unknown };

export type ActionState<T> = ActionResult<T> | null;

/** FormData → plain object. Repeated keys and keys ending in [] become arrays. */
export function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of form.entries()) {
    if (rawKey.startsWith("$ACTION")) continue; // Next's own bookkeeping fields
    const isList = rawKey.endsWith("[]");
    const key = isList ? rawKey.slice(0, -2) : rawKey;
    const v = typeof value === "string" ? value : value;
    if (isList || key in out) {
      const prev = out[key];
      out[key] = Array.isArray(prev) ? [...prev, v] : prev === undefined ? [v] : [prev, v];
    } else out[key] = v;
  }
  return out;
}

function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/**
 * Wraps a server action: authenticate, authorize, validate, run, map errors.
 * The returned function accepts either (input) or (prevState, formData) so it works
 * with useActionState and with direct calls alike. The role check comes first, before
 * the input is even looked at.
 */
export function defineAction<S extends z.ZodType, T>(
  opts: { role: Role; input: S },
  fn: (input: z.output<S>, actor: Actor) => Promise<T>,
): (a?: unknown, b?: unknown) => Promise<ActionResult<T>> {
  return async function guardedAction(a?: unknown, b?: unknown): Promise<ActionResult<T>> {
    const actor = await currentActor();
    if (!actor) return { ok: false, code: "UNAUTHENTICATED", message: "Sign in first." };
    if (!roleAtLeast(actor.role, opts.role)) {
      return { ok: false, code: "FORBIDDEN", message: `This needs the ${opts.role} role; you are ${actor.role}.` };
    }
    const raw = b !== undefined ? b : a;
    const parsed = opts.input.safeParse(raw instanceof FormData ? formDataToObject(raw) : raw);
    if (!parsed.success) {
      return { ok: false, code: "INVALID", message: "Some fields need attention.", fieldErrors: fieldErrorsOf(parsed.error) };
    }
    try {
      return { ok: true, data: await fn(parsed.data, actor) };
    } catch (err) {
      unstable_rethrow(err); // redirect(), notFound() and friends are control flow, not errors
      if (err instanceof DomainError) {
        return { ok: false, code: err.code, message: err.message, conflict: err.detail, fieldErrors: err.fieldErrors };
      }
      log.error({ err }, "server action failed");
      return { ok: false, code: "ERROR", message: "Something went wrong; nothing was saved." };
    }
  };
}

// ── Route handlers ───────────────────────────────────────────────────────────

type RouteContext<P> = { params: Promise<P> };

export function jsonError(status: number, code: string, message: string, extra?: object) {
  return NextResponse.json({ error: { code, message, ...extra } }, { status });
}

/**
 * Wraps a route handler. `role: "public"` is for the few routes anyone may call
 * (health); `token: true` also accepts `Authorization: Bearer <API token>`;
 * `metricsToken: true` (/metrics only) answers nobody but the bearer of
 * DMBOARD_METRICS_TOKEN, and is a 404 while that is unset. `feedToken: true` also accepts a
 * calendar feed token as `?token=` (calendar clients cannot sign in or send headers). A feed
 * token is tried only on such routes, and a `?token=` that is not a valid one is refused
 * rather than ignored.
 */
export function defineRoute<P = Record<string, string | string[]>>(
  opts: { role: Role | "public"; token?: boolean; feedToken?: boolean } | { metricsToken: true },
  handler: (req: NextRequest, ctx: { actor: Actor | null; params: P }) => Promise<Response>,
): (req: NextRequest, ctx: RouteContext<P>) => Promise<Response> {
  return async function guardedRoute(req, ctx) {
    let actor: Actor | null = null;
    if ("metricsToken" in opts) {
      const check = checkMetricsToken(req.headers);
      if (check === "off") return jsonError(404, "NOT_FOUND", "Metrics are off (set DMBOARD_METRICS_TOKEN).");
      if (check !== "ok") {
        const res = jsonError(401, "UNAUTHENTICATED", "Send the metrics token: Authorization: Bearer <DMBOARD_METRICS_TOKEN>.");
        res.headers.set("WWW-Authenticate", 'Bearer realm="dmboard metrics"');
        return res;
      }
    } else if (opts.role !== "public") {
      const feedToken = opts.feedToken ? req.nextUrl.searchParams.get("token") : null;
      actor = feedToken ? await actorFromFeedToken(feedToken) : await actorFromHeaders(req.headers, { allowToken: opts.token });
      if (!actor) return jsonError(401, "UNAUTHENTICATED", feedToken ? "This feed token is unknown or revoked." : "Sign in or send a valid API token.");
      if (!roleAtLeast(actor.role, opts.role)) return jsonError(403, "FORBIDDEN", `This needs the ${opts.role} role.`);
    }
    try {
      return await handler(req, { actor, params: (await ctx?.params) ?? ({} as P) });
    } catch (err) {
      if (err instanceof DomainError) {
        const status = { NOT_FOUND: 404, CONFLICT: 409, INVALID: 400, FORBIDDEN: 403 }[err.code];
        return jsonError(status, err.code, err.message, err.detail ? { current: err.detail } : undefined);
      }
      if (err instanceof z.ZodError) return jsonError(400, "INVALID", "Invalid request", { fieldErrors: fieldErrorsOf(err) });
      log.error({ err, url: req.nextUrl.pathname }, "route handler failed");
      return jsonError(500, "ERROR", "Internal error");
    }
  };
}
