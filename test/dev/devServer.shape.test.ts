// basePath "/auth" (the .NET SDK's layout) with Basic-only clients; rotation on and off; the
// on-demand 429; the protected /v1/me with a configurable account header. Real HTTP on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmartbillsDevServer } from "../../src/dev-server/start";
import type { SmartbillsDevServer } from "../../src/dev-server/types";
import { basic, claimsOf, post, signIn } from "./helpers";

const REDIRECT_URI = "http://127.0.0.1:5995/callback";
// RFC 6749 §2.3.1: form-urlencoded before base64, so every one of these must survive. (A secret is
// printable ASCII: oidc-provider refuses "é" in one; the library's own tests cover non-ASCII.)
const SECRET = "s:e%c+r &t=/ ~";
const app = { clientId: "dotnet-app", clientSecret: SECRET };

describe('basePath "/auth"', () => {
  let dev: SmartbillsDevServer;
  beforeAll(async () => {
    dev = await startSmartbillsDevServer({
      basePath: "/auth",
      clients: [{ ...app, redirectUris: [REDIRECT_URI] }, { clientId: "job", clientSecret: "job-secret", grants: ["client_credentials"] }],
      accountHeader: "x-tenant-id",
      log: false,
    });
  });
  afterAll(() => dev?.close());

  it("serves discovery under /auth with the issuer ${url}/auth and HTTP Basic as the only secret method", async () => {
    expect(dev.authority).toBe(`${dev.url}/auth`);
    const doc = (await (await fetch(`${dev.authority}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: `${dev.url}/auth`,
      authorization_endpoint: `${dev.url}/auth/connect/authorize`,
      token_endpoint: `${dev.url}/auth/connect/token`,
      end_session_endpoint: `${dev.url}/auth/connect/endsession`,
      token_endpoint_auth_methods_supported: ["client_secret_basic"],
    });
    expect((await fetch(`${dev.url}/.well-known/openid-configuration`)).status).toBe(404);
    expect((await fetch(`${dev.url}/connect/token`, { method: "POST" })).status).toBe(404);
  });

  it("signs in under /auth (iss = authority) and exchanges with Basic; the secret in the body is refused", async () => {
    const signedIn = await signIn(dev, { clientId: app.clientId, redirectUri: REDIRECT_URI });
    expect(signedIn.callback.searchParams.get("iss")).toBe(dev.authority);
    const form = { grant_type: "authorization_code", code: signedIn.code, redirect_uri: REDIRECT_URI, code_verifier: signedIn.verifier };
    const posted = await post(dev, "/connect/token", { ...form, client_id: app.clientId, client_secret: SECRET });
    expect(posted).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(dev.requests.at(-1)).toMatchObject({ grantType: "authorization_code", status: 401, authMethod: null });
    // The refused attempt did not spend the code (client authentication comes first).
    const ok = await post(dev, "/connect/token", form, { authorization: basic(app.clientId, SECRET) });
    expect(ok.status).toBe(200);
    expect(claimsOf(ok.body.id_token!)).toMatchObject({ iss: dev.authority, sub: "alice", name: "Alice Martin" });
    expect(dev.requests.at(-1)).toMatchObject({ status: 200, clientId: app.clientId, authMethod: "client_secret_basic" });
    const wrong = await post(dev, "/connect/token", { grant_type: "refresh_token", refresh_token: ok.body.refresh_token }, { authorization: basic(app.clientId, "s:e%c+r &t=/ ~ ") });
    expect(wrong.status).toBe(401);
  });

  it("checks the bearer token and x-tenant-id (not on-behalf-of) at /v1/me, outside the base path", async () => {
    const { body } = await post(dev, "/connect/token", { grant_type: "client_credentials", scope: "api" }, { authorization: basic("job", "job-secret") });
    const me = (headers: Record<string, string>) => fetch(`${dev.url}/v1/me`, { headers: { authorization: `Bearer ${body.access_token}`, ...headers } });
    expect(await (await me({ "x-tenant-id": "acct_bob_cafe" })).json()).toMatchObject({ kind: "service", onBehalfOf: { id: "acct_bob_cafe" } });
    expect((await me({ "x-tenant-id": "acct_nobody" })).status).toBe(403);
    // on-behalf-of is not the header here: ignored.
    expect(await (await me({ "on-behalf-of": "acct_nobody" })).json()).toMatchObject({ onBehalfOf: null });
    expect(dev.apiRequests.map((r) => [r.status, r.onBehalfOf])).toEqual([[200, "acct_bob_cafe"], [403, "acct_nobody"], [200, null]]);
    const preflight = await fetch(`${dev.url}/v1/me`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:5995", "access-control-request-method": "GET", "access-control-request-headers": "authorization, x-tenant-id" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-tenant-id");
  });
});

describe("refresh rotation and rate limits", () => {
  let dev: SmartbillsDevServer;
  let still: SmartbillsDevServer;
  beforeAll(async () => {
    const clients = [{ clientId: "app", clientSecret: "secret", redirectUris: [REDIRECT_URI] }];
    [dev, still] = await Promise.all([
      startSmartbillsDevServer({ clients, accessTokenTtlSeconds: 30, log: false }),
      startSmartbillsDevServer({ clients, refreshTokenRotation: false, log: false }),
    ]);
  });
  afterAll(() => Promise.all([dev?.close(), still?.close()]));

  async function refreshToken(server: SmartbillsDevServer): Promise<string> {
    const signedIn = await signIn(server, { clientId: "app", redirectUri: REDIRECT_URI });
    const { body } = await post(server, "/connect/token", {
      grant_type: "authorization_code", code: signedIn.code, redirect_uri: REDIRECT_URI, code_verifier: signedIn.verifier, client_id: "app", client_secret: "secret",
    });
    expect(body.expires_in).toBe(server === dev ? 30 : 3600);
    return body.refresh_token!;
  }
  const refresh = (server: SmartbillsDevServer, token: string) =>
    post(server, "/connect/token", { grant_type: "refresh_token", refresh_token: token, client_id: "app", client_secret: "secret" });

  it("rotates by default: a new refresh token each time, the spent one refused", async () => {
    const first = await refreshToken(dev);
    const next = await refresh(dev, first);
    expect(next.body.refresh_token).toBeTruthy();
    expect(next.body.refresh_token).not.toBe(first);
    expect((await refresh(dev, first)).body.error).toBe("invalid_grant");
  });

  it("with refreshTokenRotation: false keeps the same refresh token usable", async () => {
    const token = await refreshToken(still);
    const a = await refresh(still, token);
    const b = await refresh(still, token);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.refresh_token).toBe(token);
  });

  it("rateLimitNext(n, s) answers the next n token requests 429 with Retry-After, logged, then serves again", async () => {
    const token = await refreshToken(dev);
    dev.resetRequests();
    dev.rateLimitNext(2, 7);
    const limited = [await refresh(dev, token), await refresh(dev, token)];
    expect(limited.map((r) => [r.status, r.headers.get("retry-after"), r.body.error])).toEqual([
      [429, "7", "rate_limited"],
      [429, "7", "rate_limited"],
    ]);
    expect((await refresh(dev, token)).status).toBe(200); // the token was never spent by the 429s
    expect(dev.requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(() => dev.rateLimitNext(-1)).toThrow(TypeError);
  });
});
