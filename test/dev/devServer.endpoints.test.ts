// The dev server's OpenID endpoints over real HTTP on 127.0.0.1: discovery, claims and nonce,
// userinfo, revocation, introspection, RP-Initiated Logout (which really ends the session).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmartbillsDevServer } from "../../src/dev-server/start";
import type { SmartbillsDevServer } from "../../src/dev-server/types";
import { claimsOf, CookieJar, post, signIn } from "./helpers";

const APP = "http://127.0.0.1:5997";
const REDIRECT_URI = `${APP}/callback`;
const PUBLIC_REDIRECT_URI = "http://localhost:5996/callback";
const app = { clientId: "app", clientSecret: "app-secret" };
const creds = { client_id: app.clientId, client_secret: app.clientSecret };

let dev: SmartbillsDevServer;
beforeAll(async () => {
  dev = await startSmartbillsDevServer({
    clients: [
      { ...app, redirectUris: [REDIRECT_URI] },
      { clientId: "spa", redirectUris: [PUBLIC_REDIRECT_URI] },
    ],
    log: false,
  });
});
afterAll(() => dev?.close());

async function signedInTokens(options: { cookies?: CookieJar; scope?: string } = {}) {
  const signedIn = await signIn(dev, { clientId: app.clientId, redirectUri: REDIRECT_URI, ...options });
  const { status, body } = await post(dev, "/connect/token", {
    grant_type: "authorization_code",
    code: signedIn.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: signedIn.verifier,
    ...creds,
  });
  expect(status).toBe(200);
  return { ...signedIn, tokens: body };
}

/** GET the end-session endpoint with the jar; submit the page's form as a browser would; the final redirect. */
async function endSession(jar: CookieJar, params: Record<string, string>): Promise<{ status: number; location: string | null; html: string }> {
  const url = new URL(`${dev.authority}/connect/endsession`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const page = await fetch(url, { headers: { cookie: jar.header(url) ?? "" }, redirect: "manual" });
  jar.store(page, url);
  const html = await page.text();
  if (page.status !== 200) return { status: page.status, location: page.headers.get("location"), html };
  const action = /action="([^"]+)"/.exec(html)?.[1];
  const fields = new URLSearchParams([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
  if (!action) return { status: 200, location: null, html };
  const confirmUrl = new URL(action, url);
  const done = await fetch(confirmUrl, {
    method: "POST",
    headers: { cookie: jar.header(confirmUrl) ?? "", "content-type": "application/x-www-form-urlencoded" },
    body: fields,
    redirect: "manual",
  });
  jar.store(done, confirmUrl);
  await done.body?.cancel();
  return { status: done.status, location: done.headers.get("location"), html };
}

describe("discovery", () => {
  it("publishes the /connect/* endpoints, S256, iss on callbacks, and both secret methods", async () => {
    const response = await fetch(`${dev.authority}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Record<string, unknown>;
    expect(doc).toMatchObject({
      issuer: dev.authority,
      authorization_endpoint: `${dev.authority}/connect/authorize`,
      token_endpoint: `${dev.authority}/connect/token`,
      userinfo_endpoint: `${dev.authority}/connect/userinfo`,
      revocation_endpoint: `${dev.authority}/connect/revocation`,
      introspection_endpoint: `${dev.authority}/connect/introspect`,
      end_session_endpoint: `${dev.authority}/connect/endsession`,
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
    });
    expect(doc["token_endpoint_auth_methods_supported"]).toEqual(expect.arrayContaining(["client_secret_post", "client_secret_basic", "none"]));
  });
});

describe("who is signed in", () => {
  it("puts sub, name, email and the login's nonce in the ID token with the default scope", async () => {
    const { tokens, nonce } = await signedInTokens();
    const claims = claimsOf(tokens.id_token!);
    expect(claims).toMatchObject({ iss: dev.authority, aud: app.clientId, sub: "alice", name: "Alice Martin", email: "alice@example.com", nonce });
    expect(JSON.stringify(claims)).not.toContain("acct_"); // accounts are the API's business, not the ID token's
  });

  it("echoes a fresh nonce each sign-in, and serves name and email at userinfo", async () => {
    const first = await signedInTokens();
    const second = await signedInTokens({ scope: "openid profile email" });
    expect(claimsOf(second.tokens.id_token!)["nonce"]).toBe(second.nonce);
    expect(second.nonce).not.toBe(first.nonce);
    const info = await fetch(`${dev.authority}/connect/userinfo`, { headers: { authorization: `Bearer ${second.tokens.access_token}` } });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ sub: "alice", name: "Alice Martin", email: "alice@example.com", email_verified: true, preferred_username: "alice" });
  });

  it("refuses userinfo without a valid token", async () => {
    const info = await fetch(`${dev.authority}/connect/userinfo`, { headers: { authorization: "Bearer not-a-token" } });
    expect(info.status).toBe(401);
  });
});

describe("revocation and introspection", () => {
  it("revokes a refresh token (RFC 7009): the refresh then fails, introspection says inactive", async () => {
    const { tokens } = await signedInTokens();
    const before = await post(dev, "/connect/introspect", { token: tokens.refresh_token, ...creds });
    expect(before.body).toMatchObject({ active: true, client_id: app.clientId, sub: "alice" });
    const revoked = await post(dev, "/connect/revocation", { token: tokens.refresh_token, token_type_hint: "refresh_token", ...creds });
    expect(revoked.status).toBe(200);
    const after = await post(dev, "/connect/introspect", { token: tokens.refresh_token, ...creds });
    expect(after.body).toEqual({ active: false });
    const refresh = await post(dev, "/connect/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...creds });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("lets a public client revoke its own token with client_id only, and nobody revoke another client's", async () => {
    const signedIn = await signIn(dev, { clientId: "spa", redirectUri: PUBLIC_REDIRECT_URI });
    const { body } = await post(dev, "/connect/token", {
      grant_type: "authorization_code", code: signedIn.code, redirect_uri: PUBLIC_REDIRECT_URI, code_verifier: signedIn.verifier, client_id: "spa",
    });
    // Another client's attempt is answered 200 (RFC 7009 §2.2) but changes nothing.
    await post(dev, "/connect/revocation", { token: body.refresh_token, ...creds });
    expect((await post(dev, "/connect/introspect", { token: body.refresh_token, ...creds })).body).toMatchObject({ active: true });
    const own = await post(dev, "/connect/revocation", { token: body.refresh_token, client_id: "spa" }, { origin: "http://localhost:5996" });
    expect(own.status).toBe(200);
    expect(own.headers.get("access-control-allow-origin")).toBe("http://localhost:5996");
    expect((await post(dev, "/connect/introspect", { token: body.refresh_token, ...creds })).body).toEqual({ active: false });
  });

  it("refuses introspection with a wrong secret", async () => {
    const answer = await post(dev, "/connect/introspect", { token: "x", client_id: app.clientId, client_secret: "wrong" });
    expect(answer).toMatchObject({ status: 401, body: { error: "invalid_client" } });
  });
});

describe("end session (RP-Initiated Logout 1.0)", () => {
  it("with id_token_hint, client_id, post_logout_redirect_uri and state: back to the app with state, the session gone (the password is asked again)", async () => {
    const jar = new CookieJar();
    expect((await signedInTokens({ cookies: jar })).prompts).toEqual(["login", "consent"]);
    // Same browser, without logout: no password asked. (Each sign-in is a new grant; logout ends the session's latest.)
    const { tokens, prompts } = await signedInTokens({ cookies: jar });
    expect(prompts).toEqual(["consent"]);

    const out = await endSession(jar, { id_token_hint: tokens.id_token!, client_id: app.clientId, post_logout_redirect_uri: `${APP}/`, state: "st-123" });
    expect(out.html).toContain("Signing out"); // the page submits itself: the app asked for this sign-out
    expect(out.status).toBe(303);
    expect(out.location).toBe(`${APP}/?state=st-123`);

    // offline_access outlives the session (OpenID Connect Core §11): why the library's logout revokes the refresh token itself.
    const refresh = await post(dev, "/connect/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token, ...creds });
    expect(refresh.status).toBe(200);
    const again = await signIn(dev, { clientId: app.clientId, redirectUri: REDIRECT_URI, cookies: jar });
    expect(again.prompts[0]).toBe("login"); // the password is asked for again
  });

  it("revokes an online grant: its access token stops working at /v1/me", async () => {
    const jar = new CookieJar();
    const { tokens } = await signedInTokens({ cookies: jar, scope: "openid" });
    const me = () => fetch(`${dev.url}/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect((await me()).status).toBe(200);
    const out = await endSession(jar, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${APP}/` });
    expect(out.location).toBe(`${APP}/`);
    expect((await me()).status).toBe(401);
  });

  it("without id_token_hint asks the user first", async () => {
    const jar = new CookieJar();
    await signedInTokens({ cookies: jar });
    const url = new URL(`${dev.authority}/connect/endsession?client_id=${app.clientId}`);
    const page = await fetch(url, { headers: { cookie: jar.header(url) ?? "" } });
    const html = await page.text();
    expect(html).toContain("Yes, sign me out");
    expect(html).not.toContain("<script>");
  });

  it("refuses an unregistered post_logout_redirect_uri and a hint from another client", async () => {
    const jar = new CookieJar();
    const { tokens } = await signedInTokens({ cookies: jar });
    const foreign = await endSession(jar, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: "https://evil.example/" });
    expect(foreign.status).toBe(400);
    expect(foreign.html).toContain("post_logout_redirect_uri not registered");
    const mismatch = await endSession(jar, { id_token_hint: tokens.id_token!, client_id: "spa" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain("client_id does not match");
    const garbage = await endSession(jar, { id_token_hint: "not.a.jwt" });
    expect(garbage.status).toBe(400);
  });
});
