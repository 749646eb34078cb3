/**
 * What a signed-in user may change about themselves through better-auth's own routes
 * (issue 10: anyone could set their `image` to `javascript:…` via /update-user).
 *
 * Accounts, roles, emails and SSO links are the admins' (Admin page, `npm run
 * user:create`); a user keeps their password (/change-password, which asks for the
 * current one), their sessions and their display name. Enforced on the server in
 * lib/auth/auth.ts, before better-auth handles the request.
 */

/** better-auth endpoints no user may call on their own account. */
export const ADMIN_ONLY_PATHS = new Set(["/change-email", "/delete-user", "/delete-user/callback", "/link-social", "/unlink-account", "/update-session"]);

/** Fields a user may send to /update-user. */
const SELF_EDITABLE = new Set(["name"]);
export const MAX_NAME_LENGTH = 100;

/** Why this /update-user body is refused, or null when it only sets an acceptable name. */
export function selfUpdateProblem(body: unknown): string | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "Send a JSON object.";
  const refused = Object.keys(body).filter((k) => !SELF_EDITABLE.has(k));
  if (refused.length) return `Only your name can be changed here; ${refused.join(", ")} cannot.`;
  const { name } = body as { name?: unknown };
  if (name === undefined) return null;
  if (typeof name !== "string") return "The name must be text.";
  const t = name.trim();
  if (!t || t.length > MAX_NAME_LENGTH) return `The name must be 1 to ${MAX_NAME_LENGTH} characters.`;
  // Control characters (newlines, bidi overrides) would let a name disguise itself in lists and logs.
  if (/[\p{Cc}\p{Cf}]/u.test(t)) return "The name cannot contain control characters.";
  return null;
}

/**
 * An avatar URL fit to store: http(s) only, so nothing stored can become a `javascript:`
 * or `data:` link wherever it is shown; anything else is dropped. Applies whatever writes
 * it (an SSO profile included).
 */
export function safeImage(v: unknown): string | null {
  if (typeof v !== "string" || v.length > 2048) return null;
  try {
    const u = new URL(v.trim());
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}
