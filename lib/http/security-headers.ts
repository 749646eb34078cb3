/**
 * Content-Security-Policy and HSTS (issue 10), set per response by proxy.ts.
 *
 * Scripts run only with this response's nonce (Next puts it on its own inline scripts
 * when it finds it in the request's CSP header); 'strict-dynamic' lets those load the
 * app's chunks. Nothing may frame the app, load plugins or move the base URL. Styles come
 * from our stylesheet only (Tailwind's compiled CSS); development adds what hot reload
 * needs ('unsafe-eval', inline styles), never production.
 */

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean; https?: boolean } = {}): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(opts.dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", ...(opts.dev ? ["'unsafe-inline'"] : [`'nonce-${nonce}'`])],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...(opts.dev ? ["ws:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
    ...(opts.https ? ([["upgrade-insecure-requests"]] as [string][]) : []),
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/** HSTS for a public URL served over https (BETTER_AUTH_URL), else nothing. */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
