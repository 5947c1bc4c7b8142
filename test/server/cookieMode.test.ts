import { describe, expect, it } from "vitest";
import { CLIENT_ID, codeForm, createFakeUpstream, expectNoSecret, json, makeHandler, post, tokenAnswer } from "./helpers";

const CSRF = { "X-Smartbills-Request": "1" };
const COOKIE = "__Host-smartbills-refresh";
const cookieHandler = (upstream = createFakeUpstream()) => makeHandler(upstream, { refreshTokenCookie: true });
const refreshBody = () => new URLSearchParams({ grant_type: "refresh_token", client_id: CLIENT_ID });

describe("createTokenHandler({ refreshTokenCookie: true })", () => {
  it("moves the refresh token from the JSON into an HttpOnly, Secure, SameSite=Strict __Host- cookie", async () => {
    const { handler } = cookieHandler();
    const response = await handler(post(codeForm(), CSRF));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.access_token).toBe("at-1");
    expect(body).not.toHaveProperty("refresh_token");
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^${COOKIE}=rt-1; Path=/; Max-Age=\\d+; HttpOnly; Secure; SameSite=Strict$`));
  });

  it("takes the refresh token from the cookie and rotates it", async () => {
    const upstream = createFakeUpstream(() => tokenAnswer({ access_token: "at-2", refresh_token: "rt-2" }));
    const { handler } = cookieHandler(upstream);
    const response = await handler(post(refreshBody(), { ...CSRF, Cookie: `other=1; ${COOKIE}=rt-1` }));
    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.body.get("refresh_token")).toBe("rt-1");
    expect(response.headers.getSetCookie()[0]).toContain(`${COOKIE}=rt-2;`);
    expect(await response.json()).not.toHaveProperty("refresh_token");
  });

  it("refuses a request without the custom header (CSRF), before any upstream call", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(refreshBody(), { Cookie: `${COOKIE}=rt-1` }));
    expect(response.status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a cross-site refresh even with the header", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(refreshBody(), { ...CSRF, Cookie: `${COOKIE}=rt-1`, Origin: "https://evil.example" }));
    expect(response.status).toBe(403);
    expect(upstream.requests).toHaveLength(0);
  });

  it("answers invalid_grant and clears the cookie when there is no session", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(refreshBody(), CSRF));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("invalid_grant");
    expect(response.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses a refresh token in the body", async () => {
    const { handler } = cookieHandler();
    const response = await handler(post(new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x", client_id: CLIENT_ID }), CSRF));
    expect(response.status).toBe(400);
  });

  it("clears the cookie when the upstream refuses the refresh token", async () => {
    const upstream = createFakeUpstream(() => json({ error: "invalid_grant" }, 400));
    const { handler } = cookieHandler(upstream);
    const response = await handler(post(refreshBody(), { ...CSRF, Cookie: `${COOKIE}=rt-dead` }));
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()[0]).toContain("Max-Age=0");
  });

  it("signs out on DELETE: revokes the refresh token upstream and clears the cookie", async () => {
    const upstream = createFakeUpstream(() => new Response(null, { status: 200 }));
    const { handler } = cookieHandler(upstream);
    const response = await handler(post(null, { ...CSRF, Cookie: `${COOKIE}=rt-1` }, "DELETE"));
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(upstream.requests[0]!.url).toMatch(/\/connect\/revocation$/);
    expect(upstream.requests[0]!.body.get("token")).toBe("rt-1");
    expectNoSecret(JSON.stringify([...response.headers]));
  });

  it("refuses a refresh whose Cookie header carries the refresh cookie twice with 400 invalid_request, forwarding nothing (issue 14)", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(refreshBody(), { ...CSRF, Cookie: `${COOKIE}=a; other=1; ${COOKIE}=b` }));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("invalid_request");
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses a DELETE with the refresh cookie twice with 400, revoking nothing but clearing our cookie", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(null, { ...CSRF, Cookie: `${COOKIE}=a; ${COOKIE}=b` }, "DELETE"));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("invalid_request");
    expect(response.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(upstream.requests).toHaveLength(0);
  });

  it("signs out on DELETE without a cookie: 204, cookie cleared, nothing revoked", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(null, CSRF, "DELETE"));
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toContain("Max-Age=0");
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses a cookie-mode DELETE without the CSRF header with 403, keeping the cookie and revoking nothing", async () => {
    const { handler, upstream } = cookieHandler();
    const response = await handler(post(null, { Cookie: `${COOKIE}=rt-1` }, "DELETE"));
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(upstream.requests).toHaveLength(0);
  });

  it("still answers 405 for other methods, with POST and DELETE allowed", async () => {
    const { handler } = cookieHandler();
    const response = await handler(post(null, CSRF, "PUT"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, DELETE");
  });

  it("rejects a __Host- cookie scoped to a path, naming the option", () => {
    expect(() => makeHandler(createFakeUpstream(), { refreshTokenCookie: { name: "__Host-x", path: "/api" } })).toThrow(/__Host-/);
  });

  it("uses a __Secure- name when scoped to the endpoint's path", async () => {
    const { handler } = makeHandler(createFakeUpstream(), { refreshTokenCookie: { path: "/api/smartbills/token" } });
    const response = await handler(post(codeForm(), CSRF));
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Secure-smartbills-refresh=rt-1; Path=\/api\/smartbills\/token;/);
  });
});
