import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "@/lib/http/security-headers";

/**
 * Every page and API response gets a Content-Security-Policy with a fresh nonce, and HSTS
 * when the public URL is https (lib/http/security-headers.ts). Next reads the nonce from
 * the request's CSP header and puts it on the scripts it renders.
 *
 * Then an optimistic gate for pages: no session cookie → the sign-in page. It only saves
 * a round trip; the real checks are requirePageRole / defineAction / defineRoute on the
 * server, which verify the session against the database.
 */
export function proxy(req: NextRequest) {
  const publicUrl = process.env.BETTER_AUTH_URL;
  const csp = contentSecurityPolicy(newNonce(), { dev: process.env.NODE_ENV === "development", https: publicUrl?.startsWith("https://") });
  const hsts = strictTransportSecurity(publicUrl);
  const secure = (res: NextResponse) => {
    res.headers.set("Content-Security-Policy", csp);
    if (hsts) res.headers.set("Strict-Transport-Security", hsts);
    return res;
  };

  const path = req.nextUrl.pathname;
  // /metrics answers 401 itself (a scraper has a token, not a session).
  const open = path.startsWith("/api/") || path === "/sign-in" || path === "/forbidden" || path === "/metrics";
  if (!open && !getSessionCookie(req)) {
    const url = req.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = path === "/" ? "" : `?next=${encodeURIComponent(path + req.nextUrl.search)}`;
    return secure(NextResponse.redirect(url));
  }
  const headers = new Headers(req.headers);
  headers.set("Content-Security-Policy", csp);
  return secure(NextResponse.next({ request: { headers } }));
}

export const config = {
  // Everything but Next's static files (immutable, no HTML) and the favicon.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
