import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { getDb } from "@/lib/db/client";
import { resolveAuthSecret } from "./secret";
import { ADMIN_ONLY_PATHS, safeImage, selfUpdateProblem } from "./self-service";
import { signInRateLimit } from "./throttle";
import { workerRateLimitStorage } from "./rate-limit-store";

/**
 * Optional OpenID Connect sign-in, configured by environment:
 * OIDC_ISSUER (https://sso.example.org/realms/xen), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
 * OIDC_NAME (the button's label). Accounts created this way start as viewers.
 */
export function oidcConfig(env: NodeJS.ProcessEnv = process.env) {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID) return null;
  return {
    providerId: "oidc",
    name: env.OIDC_NAME || "Single sign-on",
    discoveryUrl: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    scopes: ["openid", "email", "profile"],
    pkce: true,
  };
}

function createAuth() {
  const baseURL = process.env.BETTER_AUTH_URL || `http://localhost:${process.env.PORT || 3000}`;
  const oidc = oidcConfig();
  return betterAuth({
    appName: "dmboard",
    baseURL,
    secret: resolveAuthSecret(),
    database: prismaAdapter(getDb(), { provider: getDb().provider }),
    // Accounts are created by admins (Admin page, `npm run user:create`), never by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10, maxPasswordLength: 256 },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        // input: false — a client can never choose its own role.
        role: { type: "string", defaultValue: "viewer", input: false, required: false },
      },
    },
    rateLimit: {
      enabled: process.env.DMBOARD_RATE_LIMIT !== "off",
      storage: "memory",
      // Several worker processes: one count per server, kept by the lead (lib/auth/rate-limit-store.ts).
      customStorage: workerRateLimitStorage(),
      window: 60,
      max: 300,
      // Email sign-in has its own throttle (per address and per account, lib/auth/throttle.ts)
      // in front of this handler, so better-auth's (3 per 10 s) is off there; elsewhere it keys
      // on the one address scripts/serve.mjs leaves in X-Forwarded-For.
      customRules: {
        "/sign-in/email": false,
        "/sign-in/social": { window: 60, max: signInRateLimit() },
      },
    },
    advanced: {
      useSecureCookies: baseURL.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
    },
    // What users may change about themselves: lib/auth/self-service.ts.
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ADMIN_ONLY_PATHS.has(ctx.path)) throw new APIError("FORBIDDEN", { message: "Only an admin can change this." });
        if (ctx.path === "/update-user") {
          const problem = selfUpdateProblem(ctx.body);
          if (problem) throw new APIError("BAD_REQUEST", { message: problem });
        }
      }),
    },
    databaseHooks: {
      user: {
        create: { before: async (user) => ({ data: { ...user, image: safeImage(user.image) } }) },
        update: { before: async (user) => ("image" in user ? { data: { ...user, image: safeImage(user.image) } } : undefined) },
      },
    },
    telemetry: { enabled: false },
    plugins: [...(oidc ? [genericOAuth({ config: [oidc] })] : []), nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { dmboardAuth?: Auth };

/** Built lazily: `next build` must not open the database or create a secret. */
export function getAuth(): Auth {
  globalForAuth.dmboardAuth ??= createAuth();
  return globalForAuth.dmboardAuth;
}
