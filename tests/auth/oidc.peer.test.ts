import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcIssuerProblem, ssoErrorMessage } from "@/lib/auth/oidc";

/** A loopback server answering discovery documents: /good names itself, /other names another issuer, /none is a 404. */
describe("the OIDC issuer check before an SSO sign-in", () => {
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const realm = req.url!.split("/")[1];
      if (realm === "none") return void res.writeHead(404).end();
      const issuer = realm === "good" ? `${base}/good` : `${base}/elsewhere`;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const env = (issuer: string) => ({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: "c" }) as unknown as NodeJS.ProcessEnv;

  it("passes an issuer that answers as itself (a trailing slash is no difference)", async () => {
    expect(await oidcIssuerProblem(env(`${base}/good`))).toBeNull();
    expect(await oidcIssuerProblem(env(`${base}/good/`))).toBeNull();
  });

  it("names a wrong issuer, a missing discovery document and a provider that does not answer", async () => {
    expect(await oidcIssuerProblem(env(`${base}/other`))).toBe(
      `Single sign-on is not available: wrong issuer. The identity provider calls itself ${base}/elsewhere, but this server expects ${base}/other (OIDC_ISSUER). An administrator should correct OIDC_ISSUER.`,
    );
    expect(await oidcIssuerProblem(env(`${base}/none`))).toContain("has no OpenID Connect discovery document (HTTP 404)");
    expect(await oidcIssuerProblem(env("http://127.0.0.1:1"))).toContain("the identity provider http://127.0.0.1:1 did not answer");
    expect(await oidcIssuerProblem({} as unknown as NodeJS.ProcessEnv)).toBe("Single sign-on is not configured on this server.");
  });

  it("turns callback error codes into sentences", () => {
    expect(ssoErrorMessage(undefined)).toBeNull();
    expect(ssoErrorMessage("unable_to_get_user_info")).toContain("could not be verified");
    expect(ssoErrorMessage("weird")).toBe("Single sign-on did not complete (weird). Try again, or ask an administrator to check the OIDC settings.");
  });
});
