// The local authorization server, over real HTTP on 127.0.0.1 (no mocks).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthServer, type AuthServer } from "../../dev/authServer";
import { CookieJar, signInWithFetch } from "../../dev/headlessLogin";
import { pkce, type TokenResponse } from "./helpers";

const APP = "http://127.0.0.1:5999"; // the confidential client's app (nothing needs to listen there)
const PUBLIC_APP = "http://127.0.0.1:5998"; // the public client's app
const REDIRECT_URI = `${APP}/callback`;
const PUBLIC_REDIRECT_URI = `${PUBLIC_APP}/callback`;
const OTHER_ORIGIN = "http://127.0.0.1:6666";

let server: AuthServer;

beforeAll(async () => {
  server = await startAuthServer({
    redirectUris: [REDIRECT_URI],
    publicRedirectUris: [PUBLIC_REDIRECT_URI],
    accessTokenTtl: 5,
  });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => server.resetLogs());

// ---------------------------------------------------------------------------------------------------

function authorizeUrl(params: Record<string, string | undefined>): string {
  const url = new URL("/connect/authorize", server.issuer);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.href;
}

interface SignedIn {
  code: string;
  verifier: string;
  callback: URL;
}

async function signIn(
  options: { clientId?: string; redirectUri?: string; scope?: string; login?: string; cookies?: CookieJar } = {},
): Promise<SignedIn> {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString("hex");
  const redirectUri = options.redirectUri ?? REDIRECT_URI;
  const final = await signInWithFetch({
    authorizeUrl: authorizeUrl({
      response_type: "code",
      client_id: options.clientId ?? server.clients.confidential.clientId,
      redirect_uri: redirectUri,
      scope: options.scope ?? "openid offline_access",
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
    }),
    login: options.login ?? "alice",
    password: "any password",
    ...(options.cookies && { cookies: options.cookies }),
  });
  const callback = new URL(final);
  expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
  expect(callback.searchParams.get("state")).toBe(state);
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code in callback: ${callback.searchParams.get("error")}`);
  return { code, verifier, callback };
}

async function token(params: Record<string, string | undefined>, origin?: string): Promise<{ status: number; body: TokenResponse; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) body.set(key, value);
  const response = await fetch(new URL("/connect/token", server.issuer), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(origin && { origin }) },
    body,
  });
  return { status: response.status, body: (await response.json()) as TokenResponse, headers: response.headers };
}

const confidentialCreds = (): Record<string, string> => ({
  client_id: server.clients.confidential.clientId,
  client_secret: server.clients.confidential.clientSecret,
});

async function exchange(signedIn: SignedIn, extra: Record<string, string | undefined> = {}) {
  return token({
    grant_type: "authorization_code",
    code: signedIn.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: signedIn.verifier,
    ...confidentialCreds(),
    ...extra,
  });
}

async function refresh(refreshToken: string) {
  return token({ grant_type: "refresh_token", refresh_token: refreshToken, ...confidentialCreds() });
}

async function api(path: string, accessToken: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, server.issuer), {
    headers: { ...(accessToken !== null && { authorization: `Bearer ${accessToken}` }), ...headers },
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function serviceToken(scope?: string): Promise<string> {
  const { status, body } = await token({
    grant_type: "client_credentials",
    client_id: server.clients.service.clientId,
    client_secret: server.clients.service.clientSecret,
    scope,
  });
  expect(status).toBe(200);
  return body.access_token!;
}

// ---------------------------------------------------------------------------------------------------

describe("discovery", () => {
  it("publishes Smartbills' paths, S256 and the iss authorization-response parameter", async () => {
    const response = await fetch(`${server.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: `${server.issuer}/connect/authorize`,
      token_endpoint: `${server.issuer}/connect/token`,
      userinfo_endpoint: `${server.issuer}/connect/userinfo`,
      revocation_endpoint: `${server.issuer}/connect/revocation`,
      introspection_endpoint: `${server.issuer}/connect/introspect`,
      end_session_endpoint: `${server.issuer}/connect/endsession`,
      jwks_uri: `${server.issuer}/connect/jwks`,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ["code"],
    });
    expect(doc["grant_types_supported"]).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]));
    expect(doc["scopes_supported"]).toEqual(expect.arrayContaining(["openid", "offline_access", "profile", "email", "api"]));
    expect(server.url).toBe(server.issuer);
    expect(server.issuer).toBe(`http://127.0.0.1:${server.port}`);
  });
});

describe("authorization code + PKCE (confidential client, client_secret_post)", () => {
  it("signs in through the login and consent pages and exchanges the code once", async () => {
    const signedIn = await signIn();
    expect(signedIn.callback.searchParams.get("iss")).toBe(server.issuer);

    const { status, body } = await exchange(signedIn);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 5 });
    expect(body.access_token).toEqual(expect.any(String));
    expect(body.refresh_token).toEqual(expect.any(String)); // offline_access without prompt=consent from the client
    expect(body.id_token).toEqual(expect.any(String));
    expect(body.access_token).not.toContain("."); // opaque, not a JWT
    expect(body.scope?.split(" ").sort()).toEqual(["offline_access", "openid"]);

    const me = await api("/v1/me", body.access_token!);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      active: true,
      sub: "alice",
      name: "Alice Martin",
      email: "alice@example.com",
      clientId: server.clients.confidential.clientId,
      onBehalfOf: null,
      accounts: [
        { id: "acct_alice_store", name: "Alice's Store" },
        { id: "acct_bakery", name: "Corner Bakery" },
      ],
    });
    expect(me.body["expiresAt"]).toBeGreaterThan(Date.now());
    expect(me.body["expiresAt"]).toBeLessThanOrEqual(Date.now() + 6000);

    expect(server.tokenRequests).toEqual([
      expect.objectContaining({ grantType: "authorization_code", clientId: server.clients.confidential.clientId, status: 200, error: null }),
    ]);
  });

  it("issues no refresh token without offline_access; userinfo serves the profile and email claims", async () => {
    const { status, body } = await exchange(await signIn({ scope: "openid profile email" }));
    expect(status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    const userinfo = await fetch(new URL("/connect/userinfo", server.issuer), { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: "alice", name: "Alice Martin", email: "alice@example.com" });
  });

  it("refuses a second redemption of a code and revokes what the first one issued", async () => {
    const signedIn = await signIn();
    const first = await exchange(signedIn);
    expect(first.status).toBe(200);
    expect((await api("/v1/me", first.body.access_token!)).status).toBe(200);

    const second = await exchange(signedIn);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe("invalid_grant");
    expect(second.body.access_token).toBeUndefined();

    const me = await api("/v1/me", first.body.access_token!);
    expect(me.status).toBe(401);
    expect(me.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    expect((await refresh(first.body.refresh_token!)).body.error).toBe("invalid_grant");
  });

  it("rotates the refresh token on every use and refuses a spent one (which ends the grant)", async () => {
    const { body: initial } = await exchange(await signIn());
    let refreshToken = initial.refresh_token!;
    const spent: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { status, body } = await refresh(refreshToken);
      expect(status).toBe(200);
      expect(body.access_token).toEqual(expect.any(String));
      expect(body.refresh_token).toEqual(expect.any(String));
      expect(body.refresh_token).not.toBe(refreshToken);
      expect(body.expires_in).toBe(5);
      spent.push(refreshToken);
      refreshToken = body.refresh_token!;
      expect((await api("/v1/me", body.access_token!)).status).toBe(200);
    }
    expect(new Set([...spent, refreshToken]).size).toBe(4);

    const reused = await refresh(spent[2]!);
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe("invalid_grant");
    // Reuse detection revoked the grant: the newest refresh token is dead too.
    expect((await refresh(refreshToken)).body.error).toBe("invalid_grant");

    expect(server.tokenRequests.map((r) => [r.grantType, r.status])).toEqual([
      ["authorization_code", 200],
      ["refresh_token", 200],
      ["refresh_token", 200],
      ["refresh_token", 200],
      ["refresh_token", 400],
      ["refresh_token", 400],
    ]);
  });

  it("refuses a missing or wrong code_verifier", async () => {
    const signedIn = await signIn();
    const missing = await exchange(signedIn, { code_verifier: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.access_token).toBeUndefined();
    expect(["invalid_grant", "invalid_request"]).toContain(missing.body.error);

    const other = await signIn();
    const wrong = await exchange(other, { code_verifier: pkce().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe("invalid_grant");
  });

  it("refuses an authorization request without code_challenge, even from the confidential client", async () => {
    const response = await fetch(
      authorizeUrl({
        response_type: "code",
        client_id: server.clients.confidential.clientId,
        redirect_uri: REDIRECT_URI,
        scope: "openid",
        state: "s1",
      }),
      { redirect: "manual" },
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("iss")).toBe(server.issuer);
  });

  it("refuses the wrong client secret", async () => {
    const result = await exchange(await signIn(), { client_secret: "nope" });
    expect(result.status).toBe(401);
    expect(result.body.error).toBe("invalid_client");
  });
});

describe("dev interactions", () => {
  it("refuses an unknown login (the login page comes back), then accepts a seeded user in the same session", async () => {
    const cookies = new CookieJar();
    await expect(signIn({ login: "mallory", cookies })).rejects.toThrow(/login "mallory" was refused/);
    const { body } = await exchange(await signIn({ login: "bob", cookies }));
    expect((await api("/v1/me", body.access_token!)).body["sub"]).toBe("bob");
  });

  it("returns error=access_denied with iss when consent is cancelled", async () => {
    const { challenge } = pkce();
    const final = new URL(
      await signInWithFetch({
        authorizeUrl: authorizeUrl({
          response_type: "code",
          client_id: server.clients.confidential.clientId,
          redirect_uri: REDIRECT_URI,
          scope: "openid offline_access",
          state: "s2",
          code_challenge: challenge,
          code_challenge_method: "S256",
        }),
        login: "bob",
        password: "x",
        deny: true,
      }),
    );
    expect(final.searchParams.get("error")).toBe("access_denied");
    expect(final.searchParams.get("state")).toBe("s2");
    expect(final.searchParams.get("iss")).toBe(server.issuer);
    expect(final.searchParams.has("code")).toBe(false);
  });

  it("reuses the session from a cookie jar (no second login page)", async () => {
    const cookies = new CookieJar();
    await signIn({ login: "bob", cookies });
    const again = await signIn({ login: "ignored-because-signed-in", cookies });
    const { body } = await exchange(again);
    expect((await api("/v1/me", body.access_token!)).body["sub"]).toBe("bob");
  });

  it("accepts redirect URIs added after start", async () => {
    const late = "http://127.0.0.1:5997/callback";
    server.addRedirectUris("confidential", [late]);
    const signedIn = await signIn({ redirectUri: late });
    const { status } = await exchange(signedIn, { redirect_uri: late });
    expect(status).toBe(200);
  });
});

describe("public client", () => {
  const publicId = (): string => server.clients.public.clientId;

  it("exchanges with PKCE only and gets token-endpoint CORS for its own origin", async () => {
    const signedIn = await signIn({ clientId: publicId(), redirectUri: PUBLIC_REDIRECT_URI });
    const { status, body, headers } = await token(
      { grant_type: "authorization_code", code: signedIn.code, redirect_uri: PUBLIC_REDIRECT_URI, code_verifier: signedIn.verifier, client_id: publicId() },
      PUBLIC_APP,
    );
    expect(status).toBe(200);
    expect(headers.get("access-control-allow-origin")).toBe(PUBLIC_APP);
    expect(body.refresh_token).toEqual(expect.any(String));

    const refreshed = await token({ grant_type: "refresh_token", refresh_token: body.refresh_token!, client_id: publicId() }, PUBLIC_APP);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(body.refresh_token);
  });

  it("answers the preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(new URL("/connect/token", server.issuer), {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    const ok = await preflight(PUBLIC_APP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(PUBLIC_APP);

    const other = await preflight(OTHER_ORIGIN);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // The confidential client's app gets no browser access to the token endpoint either.
    expect((await preflight(APP)).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a token request from another origin, without CORS headers", async () => {
    const signedIn = await signIn({ clientId: publicId(), redirectUri: PUBLIC_REDIRECT_URI });
    const { status, body, headers } = await token(
      { grant_type: "authorization_code", code: signedIn.code, redirect_uri: PUBLIC_REDIRECT_URI, code_verifier: signedIn.verifier, client_id: publicId() },
      OTHER_ORIGIN,
    );
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
    expect(headers.get("access-control-allow-origin")).toBeNull();
  });

  it("cannot use the confidential client's redirect URI", async () => {
    await expect(signIn({ clientId: publicId(), redirectUri: REDIRECT_URI })).rejects.toThrow(/400/);
  });
});

describe("client credentials and the API", () => {
  it("issues a service token that may act on behalf of any seeded account", async () => {
    const accessToken = await serviceToken("api");
    const me = await api("/v1/me", accessToken, { "on-behalf-of": "acct_bob_cafe" });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      active: true,
      kind: "service",
      sub: null,
      clientId: server.clients.service.clientId,
      scope: "api",
      onBehalfOf: { id: "acct_bob_cafe", name: "Bob's Café" },
    });
    expect((await api("/v1/me", accessToken, { "on-behalf-of": "acct_nobody" })).status).toBe(403);
    expect(server.tokenRequests).toEqual([
      expect.objectContaining({ grantType: "client_credentials", clientId: server.clients.service.clientId, status: 200 }),
    ]);
    expect(server.apiRequests.map((r) => [r.path, r.onBehalfOf, r.status])).toEqual([
      ["/v1/me", "acct_bob_cafe", 200],
      ["/v1/me", "acct_nobody", 403],
    ]);
  });

  it("refuses client_credentials for the browser clients", async () => {
    const { status, body } = await token({ grant_type: "client_credentials", ...confidentialCreds() });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request"); // oidc-provider's code (RFC 6749 would say unauthorized_client)
  });

  it("lets a user act only on behalf of their own connected accounts", async () => {
    const { body } = await exchange(await signIn());
    const accessToken = body.access_token!;
    const own = await api("/v1/me", accessToken, { "on-behalf-of": "acct_bakery" });
    expect(own.status).toBe(200);
    expect(own.body["onBehalfOf"]).toEqual({ id: "acct_bakery", name: "Corner Bakery" });

    const foreign = await api("/v1/me", accessToken, { "on-behalf-of": "acct_bob_cafe" });
    expect(foreign.status).toBe(403);
    expect(foreign.body["error"]).toBe("forbidden_account");

    const accounts = await api("/v1/accounts", accessToken);
    expect(accounts.body["accounts"]).toEqual([
      { id: "acct_alice_store", name: "Alice's Store" },
      { id: "acct_bakery", name: "Corner Bakery" },
    ]);
  });

  it("answers 401 with WWW-Authenticate for a missing or unknown token", async () => {
    for (const auth of [null, "not-a-real-token"]) {
      const result = await api("/v1/me", auth);
      expect(result.status).toBe(401);
      expect(result.body["error"]).toBe("invalid_token");
      expect(result.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
    }
    // A refresh token is no access token.
    const { body } = await exchange(await signIn());
    expect((await api("/v1/me", body.refresh_token!)).status).toBe(401);
  });

  it("answers CORS for the app origins only", async () => {
    const preflight = (origin: string) =>
      fetch(new URL("/v1/me", server.issuer), {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization, on-behalf-of" },
      });
    const ok = await preflight(APP);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
    expect(ok.headers.get("access-control-allow-methods")).toBe("GET, POST");
    expect(ok.headers.get("access-control-allow-headers")).toBe("authorization, on-behalf-of, content-type");
    expect(ok.headers.get("access-control-allow-credentials")).toBeNull();
    expect((await preflight(PUBLIC_APP)).headers.get("access-control-allow-origin")).toBe(PUBLIC_APP);

    const denied = await preflight(OTHER_ORIGIN);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();

    const get = await api("/v1/me", null, { origin: APP });
    expect(get.headers.get("access-control-allow-origin")).toBe(APP);
    expect(get.headers.get("access-control-expose-headers")).toMatch(/www-authenticate/i);
    expect(server.apiRequests).toHaveLength(1); // preflights are not logged
  });
});

describe("logs", () => {
  it("counts every token request exactly, including refused and unparseable ones", async () => {
    const signedIn = await signIn();
    await exchange(signedIn);
    await exchange(signedIn);
    await token({ grant_type: "refresh_token", refresh_token: "bogus", ...confidentialCreds() });
    await fetch(new URL("/connect/token", server.issuer), { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
    await serviceToken();
    expect(server.tokenRequests.map(({ grantType, clientId, status, error }) => ({ grantType, clientId, status, error }))).toEqual([
      { grantType: "authorization_code", clientId: "smartbills-demo", status: 200, error: null },
      { grantType: "authorization_code", clientId: "smartbills-demo", status: 400, error: "invalid_grant" },
      { grantType: "refresh_token", clientId: "smartbills-demo", status: 400, error: "invalid_grant" },
      { grantType: null, clientId: null, status: 400, error: "invalid_request" },
      { grantType: "client_credentials", clientId: "smartbills-service", status: 200, error: null },
    ]);
    for (const entry of server.tokenRequests) expect(entry.at).toBeLessThanOrEqual(Date.now());
    server.resetLogs();
    expect(server.tokenRequests).toEqual([]);
  });
});

describe("lifecycle", () => {
  it("expires access tokens after the configured TTL", async () => {
    const short = await startAuthServer({ redirectUris: [REDIRECT_URI], accessTokenTtl: 1 });
    try {
      const response = await fetch(new URL("/connect/token", short.issuer), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: short.clients.service.clientId,
          client_secret: short.clients.service.clientSecret,
        }),
      });
      const { access_token: accessToken, expires_in: expiresIn } = (await response.json()) as TokenResponse;
      expect(expiresIn).toBe(1);
      const me = () => fetch(new URL("/v1/me", short.issuer), { headers: { authorization: `Bearer ${accessToken}` } });
      expect((await me()).status).toBe(200);
      // exp has one-second resolution: expired within at most 2 s.
      const deadline = Date.now() + 3000;
      let status = 200;
      while (status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await me()).status;
      }
      expect(status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it("close() ends open keep-alive connections and resolves promptly", async () => {
    const other = await startAuthServer();
    const response = await fetch(`${other.issuer}/.well-known/openid-configuration`); // keeps a pooled socket
    await response.text();
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${other.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
  });
});
