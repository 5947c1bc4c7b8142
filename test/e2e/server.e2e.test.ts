/**
 * The server entry against the real authorization server, without a browser: the demo's backend
 * exchange endpoint (createTokenHandler + toNodeHandler on the Vite server) refuses hostile requests
 * before they reach the token endpoint, and the client-credentials client gets, caches and uses a
 * token. SECURITY.md items 14–17, 19, 20.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClientCredentialsClient } from "../../src/server";
import { resetLogs, startStack, type DemoStack } from "./helpers";

describe("server entry against the local authorization server", () => {
  let stack: DemoStack;
  let endpoint: string;
  let redirectUri: string;
  const verifier = "v".repeat(43);

  beforeAll(async () => {
    stack = await startStack();
    endpoint = `${stack.appUrl}/api/smartbills/token`;
    redirectUri = `${stack.appUrl}/callback`;
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => resetLogs(stack));

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: stack.appUrl, ...headers },
      body,
    });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const codeForm = (extra: Record<string, string> = {}) =>
    form({ grant_type: "authorization_code", code: "not-a-real-code", redirect_uri: redirectUri, code_verifier: verifier, client_id: stack.clientId, ...extra });

  it("refuses hostile requests with a 4xx JSON answer and no call to the token endpoint", async () => {
    const secret = stack.authServer.clients.confidential.clientSecret;
    const cases: { name: string; send: () => Promise<Response>; status: number; error?: string }[] = [
      { name: "foreign Origin", send: () => post(codeForm(), { origin: "https://evil.example" }), status: 403 },
      { name: "GET", send: () => fetch(endpoint, { headers: { origin: stack.appUrl } }), status: 405 },
      { name: "JSON body", send: () => post("{}", { "content-type": "application/json" }), status: 415 },
      { name: "client_credentials", send: () => post(form({ grant_type: "client_credentials", client_id: stack.clientId })), status: 400, error: "unsupported_grant_type" },
      { name: "password grant", send: () => post(form({ grant_type: "password", username: "alice", password: "x" })), status: 400, error: "unsupported_grant_type" },
      {
        name: "repeated grant_type",
        send: () => post(`${codeForm()}&grant_type=client_credentials`),
        status: 400,
      },
      { name: "redirect_uri with a trailing slash", send: () => post(codeForm({ redirect_uri: `${redirectUri}/` })), status: 400 },
      { name: "look-alike redirect_uri", send: () => post(codeForm({ redirect_uri: `${redirectUri}.evil.example` })), status: 400 },
      { name: "caller-supplied client_secret", send: () => post(codeForm({ client_secret: "guess" })), status: 400 },
      { name: "foreign client_id", send: () => post(codeForm({ client_id: "someone-else" })), status: 400 },
      { name: "short code_verifier", send: () => post(codeForm({ code_verifier: "short" })), status: 400 },
      { name: "1 MB body", send: () => post(`grant_type=refresh_token&refresh_token=${"x".repeat(1024 * 1024)}`), status: 413 },
    ];
    for (const { name, send, status, error } of cases) {
      const response = await send();
      const text = await response.text();
      expect(response.status, name).toBe(status);
      expect(response.headers.get("access-control-allow-origin"), name).toBeNull();
      expect(text, name).not.toContain(secret);
      if (status !== 405) {
        const json = JSON.parse(text) as { error?: unknown };
        expect(typeof json.error, name).toBe("string");
        if (error) expect(json.error, name).toBe(error);
      }
    }
    expect(stack.authServer.tokenRequests).toEqual([]);
  });

  it("forwards a well-formed exchange with the secret; the server's refusal comes back as OAuth JSON", async () => {
    const response = await post(codeForm());
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const json = (await response.json()) as { error: string };
    expect(json.error).toBe("invalid_grant");
    expect(JSON.stringify(json)).not.toContain(stack.authServer.clients.confidential.clientSecret);
    // It reached the token endpoint once, authenticated as the confidential client (the secret was added).
    expect(stack.authServer.tokenRequests.map((r) => [r.grantType, r.clientId, r.error])).toEqual([
      ["authorization_code", stack.clientId, "invalid_grant"],
    ]);
  });

  it("client credentials: one token request for concurrent callers, then calls the API on behalf of an account", async () => {
    const { clientId, clientSecret } = stack.authServer.clients.service;
    const smartbills = createClientCredentialsClient({ clientId, clientSecret, authority: stack.authServer.issuer });
    const [a, b, c] = await Promise.all([smartbills.getToken(), smartbills.getToken(), smartbills.getToken()]);
    expect(a).toBeTruthy();
    expect(new Set([a, b, c]).size).toBe(1);

    const me = await smartbills.fetch(`${stack.authServer.url}/v1/me`);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ active: true, kind: "service", clientId });

    const onBehalf = await smartbills.fetch(`${stack.authServer.url}/v1/me`, { onBehalfOf: "acct_bob_cafe" });
    expect(onBehalf.status).toBe(200);
    expect(await onBehalf.json()).toMatchObject({ onBehalfOf: { id: "acct_bob_cafe" } });
    expect(stack.authServer.apiRequests.map((r) => [r.status, r.clientId, r.onBehalfOf])).toEqual([
      [200, clientId, null],
      [200, clientId, "acct_bob_cafe"],
    ]);
    // The cached token served all of it.
    expect(stack.authServer.tokenRequests.map((r) => [r.grantType, r.status])).toEqual([["client_credentials", 200]]);

    // A wrong secret is refused with a typed error that does not carry the secret.
    const wrong = createClientCredentialsClient({ clientId, clientSecret: "wrong-secret-marker", authority: stack.authServer.issuer });
    const failure = await wrong.getToken().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ name: "SmartbillsAuthError" });
    expect(String(failure)).not.toContain("wrong-secret-marker");
    expect(JSON.stringify(failure)).not.toContain("wrong-secret-marker");
  });
});
