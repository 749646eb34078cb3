import { NextResponse, type NextRequest } from "next/server";
import { getSessionCookie } from "better-auth/cookies";

/**
 * Optimistic gate: no session cookie → the sign-in page. It only saves a round trip;
 * the real checks are requirePageRole / defineAction / defineRoute on the server,
 * which verify the session against the database.
 */
export function proxy(req: NextRequest) {
  if (getSessionCookie(req)) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/sign-in";
  url.search = req.nextUrl.pathname === "/" ? "" : `?next=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but the sign-in page, the APIs and /metrics (they answer 401 themselves) and static files.
  matcher: ["/((?!sign-in|forbidden|api/|metrics$|_next/|favicon.ico).*)"],
};
