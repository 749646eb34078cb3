/**
 * OpenID Connect sign-in, checked before it starts. better-auth reads the provider's
 * discovery document once and, when it cannot, quietly skips the provider (the button
 * then does nothing) or trusts whatever issuer the document names. Before each SSO
 * sign-in the configured issuer (OIDC_ISSUER) is asked for its discovery document, and
 * the document must name that same issuer (OpenID Connect Discovery §4.3): a wrong or
 * unreachable issuer becomes a clear message on the sign-in page, never a 500 or a
 * sign-in against another issuer.
 */
import { oidcConfig } from "./auth";

const DISCOVERY_TIMEOUT_MS = 5_000;

/** OIDC_ISSUER as compared: no trailing slash. */
function normalise(issuer: string): string {
  let end = issuer.length;
  while (end > 0 && issuer[end - 1] === "/") end--;
  return issuer.slice(0, end);
}

/** null when the issuer answers as itself; otherwise what is wrong, in words for the sign-in page. */
export async function oidcIssuerProblem(env: NodeJS.ProcessEnv = process.env, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  const cfg = oidcConfig(env);
  if (!cfg) return "Single sign-on is not configured on this server.";
  const issuer = normalise(env.OIDC_ISSUER!);
  let doc: unknown;
  try {
    const res = await fetchImpl(cfg.discoveryUrl, {
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
      redirect: "error",
      headers: { accept: "application/json" },
    });
    if (!res.ok)
      return `Single sign-on is not available: the identity provider ${issuer} has no OpenID Connect discovery document (HTTP ${res.status}). An administrator should check OIDC_ISSUER.`;
    doc = await res.json();
  } catch {
    return `Single sign-on is not available: the identity provider ${issuer} did not answer. Try again later, or ask an administrator to check OIDC_ISSUER.`;
  }
  const named = typeof (doc as { issuer?: unknown })?.issuer === "string" ? normalise((doc as { issuer: string }).issuer) : null;
  if (named !== issuer)
    return `Single sign-on is not available: wrong issuer. The identity provider calls itself ${named ?? "nothing"}, but this server expects ${issuer} (OIDC_ISSUER). An administrator should correct OIDC_ISSUER.`;
  return null;
}

/** Is this request the start of an SSO sign-in (better-auth's POST /sign-in/social for our provider)? */
async function startsSso(req: Request): Promise<boolean> {
  if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/sign-in/social")) return false;
  const body: unknown = await req
    .clone()
    .json()
    .catch(() => null);
  return (body as { provider?: unknown } | null)?.provider === "oidc";
}

/** Wraps better-auth's handler: an SSO sign-in starts only against the issuer configured, answering as itself. */
export async function checkSsoStart(req: Request, handler: (req: Request) => Promise<Response>): Promise<Response> {
  if (!(await startsSso(req))) return handler(req);
  const problem = await oidcIssuerProblem();
  if (problem) return Response.json({ code: "SSO_UNAVAILABLE", message: problem }, { status: 503 });
  return handler(req);
}

/** better-auth's callback error codes (…/sign-in?error=…) → what the sign-in page says. */
export function ssoErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  const known: Record<string, string> = {
    signup_disabled: "Single sign-on worked, but new accounts cannot be created this way here.",
    email_not_found: "The identity provider did not give an email address; dmboard needs one.",
    unable_to_get_user_info: "The identity provider's answer could not be verified (wrong issuer or keys). An administrator should check OIDC_ISSUER.",
    state_mismatch: "The sign-in took too long or was started in another tab. Try again.",
    please_restart_the_process: "The sign-in took too long or was started in another tab. Try again.",
    access_denied: "The identity provider refused the sign-in.",
  };
  return known[code] ?? `Single sign-on did not complete (${code.slice(0, 60)}). Try again, or ask an administrator to check the OIDC settings.`;
}
