import { describe, expect, it } from "vitest";
import { AUTHORITY, CLIENT_ID, SECRET, createFakeUpstream, expectNoSecret, json, makeHandler, post, type Responder } from "./helpers";

const CSRF = { "X-Smartbills-Request": "1" };
const COOKIE = "__Host-smartbills-refresh";
const REVOCATION = `${AUTHORITY}/connect/revocation`;
const signOutForm = (extra: Record<string, string> = {}) => new URLSearchParams({ refresh_token: "rt-1", ...extra }).toString();
const del = (body: string | null, headers: Record<string, string> = CSRF) => post(body, headers, "DELETE");

/** The 204 of a sign-out: no body, the no-store headers, no secret. */
async function expectSignedOut(response: Response) {
  expect(response.status).toBe(204);
  expect(await response.text()).toBe("");
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("access-control-allow-origin")).toBeNull();
  expectNoSecret(JSON.stringify([...response.headers]));
}

describe("createTokenHandler DELETE without cookies", () => {
  it("revokes the body's refresh token at the revocation endpoint (RFC 7009) and answers 204", async () => {
    const upstream = createFakeUpstream(() => new Response(null, { status: 200 }));
    const { handler } = makeHandler(upstream);
    await expectSignedOut(await handler(del(signOutForm({ client_id: CLIENT_ID }))));
    expect(upstream.requests).toHaveLength(1);
    const [sent] = upstream.requests;
    expect(sent!.url).toBe(REVOCATION);
    expect(sent!.init.method).toBe("POST");
    expect(sent!.init.redirect).toBe("manual");
    expect(Object.fromEntries(sent!.body)).toEqual({ token: "rt-1", token_type_hint: "refresh_token", client_id: CLIENT_ID, client_secret: SECRET });
  });

  it("authenticates the revocation with Basic when configured", async () => {
    const upstream = createFakeUpstream(() => new Response(null, { status: 200 }));
    const { handler } = makeHandler(upstream, { clientAuthentication: "client_secret_basic", endpoints: { revocation: "https://auth.smartbills.test/revoke" } });
    await expectSignedOut(await handler(del(signOutForm())));
    const [sent] = upstream.requests;
    expect(sent!.url).toBe("https://auth.smartbills.test/revoke");
    expect(sent!.headers.get("authorization")).toMatch(/^Basic /);
    expect(Object.fromEntries(sent!.body)).toEqual({ token: "rt-1", token_type_hint: "refresh_token" });
  });

  it.each<[string, Responder]>([
    ["a 500", () => new Response("<html>boom</html>", { status: 500 })],
    ["an invalid_client 401", () => json({ error: "invalid_client", error_description: SECRET }, 401)],
    ["a 307 elsewhere", () => new Response(null, { status: 307, headers: { Location: "https://evil.example/" } })],
    ["a network failure", () => Promise.reject(new TypeError(`fetch failed ${SECRET}`))],
  ])("still answers 204 when the revocation endpoint answers %s", async (_, responder) => {
    const upstream = createFakeUpstream(responder);
    const { handler } = makeHandler(upstream);
    await expectSignedOut(await handler(del(signOutForm())));
    expect(upstream.requests).toHaveLength(1);
  });

  it("answers 204 at timeoutMs when the revocation endpoint hangs and ignores the abort signal", async () => {
    const upstream = createFakeUpstream(() => new Promise<Response>(() => {}));
    const { handler } = makeHandler(upstream, { timeoutMs: 50 });
    const started = performance.now();
    await expectSignedOut(await handler(del(signOutForm())));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("answers 204 without a request when discovery names no revocation endpoint", async () => {
    const auth = `${AUTHORITY}/auth`;
    const upstream = createFakeUpstream((req) =>
      req.url.endsWith("/.well-known/openid-configuration")
        ? json({ issuer: auth, authorization_endpoint: `${auth}/authorize`, token_endpoint: `${auth}/token` })
        : new Response(null, { status: 200 }),
    );
    const { handler } = makeHandler(upstream, { authority: auth, discovery: true });
    await expectSignedOut(await handler(del(signOutForm())));
    expect(upstream.requests.map((r) => r.url)).toEqual([`${auth}/.well-known/openid-configuration`]);
  });

  it("answers 204 when discovery fails", async () => {
    const upstream = createFakeUpstream(() => new Response("down", { status: 503 }));
    const { handler } = makeHandler(upstream, { authority: `${AUTHORITY}/auth`, discovery: true });
    await expectSignedOut(await handler(del(signOutForm())));
    expect(upstream.requests).toHaveLength(1);
  });

  it.each<[string, Request]>([
    ["no CSRF header", del(signOutForm(), {})],
    ["a wrong CSRF header value", del(signOutForm(), { "X-Smartbills-Request": "yes" })],
    ["a foreign Origin", del(signOutForm(), { ...CSRF, Origin: "https://evil.example" })],
    ["a look-alike Origin", del(signOutForm(), { ...CSRF, Origin: "https://app.example.com.evil.example" })],
    ["Origin: null", del(signOutForm(), { ...CSRF, Origin: "null" })],
  ])("refuses a DELETE with %s with 403, forwarding nothing", async (_, request) => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream);
    const response = await handler(request);
    expect(response.status).toBe(403);
    expect((await response.json()).error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses a DELETE without any Origin with 403 (only a page signs out)", async () => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream);
    const request = new Request("https://app.example.com/api/smartbills/token", {
      method: "DELETE",
      headers: { ...CSRF, "Content-Type": "application/x-www-form-urlencoded" },
      body: signOutForm(),
    });
    expect((await handler(request)).status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
  });

  it.each<[string, Request, number]>([
    ["no refresh_token", del(""), 400],
    ["an empty refresh_token", del("refresh_token="), 400],
    ["a repeated refresh_token", del("refresh_token=a&refresh_token=b"), 400],
    ["a caller-sent client_secret", del(signOutForm({ client_secret: "guess" })), 400],
    ["a foreign client_id", del(signOutForm({ client_id: "someone-else" })), 400],
    ["malformed percent-encoding", del("refresh_token=%E0%A4%A"), 400],
    ["a JSON body", post('{"refresh_token":"rt-1"}', { ...CSRF, "Content-Type": "application/json" }, "DELETE"), 415],
    ["a body over maxBodyBytes", del(`refresh_token=${"x".repeat(20_000)}`), 413],
  ])("refuses a DELETE with %s (HTTP %s), forwarding nothing", async (_, request, status) => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream);
    const response = await handler(request);
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error).toBe("invalid_request");
    expectNoSecret(JSON.stringify(body));
    expect(upstream.requests).toHaveLength(0);
  });

  it("skips revocation when refreshTokenCookie.revocationEndpoint is false", async () => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream, { refreshTokenCookie: { revocationEndpoint: false } });
    const response = await handler(del(null, { ...CSRF, Cookie: `${COOKIE}=rt-1` }));
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(upstream.requests).toHaveLength(0);
  });
});
