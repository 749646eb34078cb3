import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, strictTransportSecurity } from "@/lib/http/security-headers";

describe("security headers", () => {
  it("production CSP: nonce and strict-dynamic for scripts, nothing inline or eval'd, no framing", () => {
    const csp = contentSecurityPolicy("abc", {});
    expect(csp).toBe(
      "default-src 'self'; script-src 'self' 'nonce-abc' 'strict-dynamic'; style-src 'self' 'nonce-abc'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(contentSecurityPolicy("abc", { https: true })).toMatch(/; upgrade-insecure-requests$/);
    expect(contentSecurityPolicy("abc", { dev: true })).toContain("'unsafe-eval'");
  });

  it("fresh nonces; HSTS only for an https public URL", () => {
    expect(newNonce()).not.toBe(newNonce());
    expect(newNonce()).toMatch(/^[\w+/]{22}==$/);
    expect(strictTransportSecurity("https://dmboard.example.org")).toBe("max-age=63072000; includeSubDomains");
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });
});
