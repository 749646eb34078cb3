import { toNextJsHandler } from "better-auth/next-js";
import { defineRoute } from "@/lib/auth/guard";
import { getAuth } from "@/lib/auth/auth";
import { checkSsoStart } from "@/lib/auth/oidc";
import { throttleSignIn } from "@/lib/auth/throttle";

// better-auth's own endpoints (sign-in, sign-out, session). Public by nature: the
// library authenticates each one itself, and sign-up is disabled in lib/auth/auth.ts.
// Email sign-in is throttled per address and per account first (lib/auth/throttle.ts); an
// SSO sign-in starts only when the configured issuer answers as itself (lib/auth/oidc.ts).
export const GET = defineRoute({ role: "public" }, async (req) => toNextJsHandler(getAuth()).GET(req));
export const POST = defineRoute({ role: "public" }, async (req) => checkSsoStart(req, (r) => throttleSignIn(r, (x) => toNextJsHandler(getAuth()).POST(x))));
