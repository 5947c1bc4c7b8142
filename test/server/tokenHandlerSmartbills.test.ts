import { describe, expect, it } from "vitest";
import { AUTHORITY, CLIENT_ID, SECRET, call, codeForm, createFakeUpstream, json, makeHandler, post, refreshForm, tokenAnswer, type RecordedRequest } from "./helpers";

const AUTH = `${AUTHORITY}/auth`;
const DISCOVERY = `${AUTH}/.well-known/openid-configuration`;

function metadata(extra: Record<string, unknown> = {}) {
  return {
    issuer: AUTH,
    authorization_endpoint: `${AUTH}/connect/authorize`,
    token_endpoint: `${AUTH}/oauth/token`,
    revocation_endpoint: `${AUTH}/oauth/revoke`,
    ...extra,
  };
}

/** A fake authorization server under /auth: discovery from `discovery`, token answers from `token`. */
function smartbills(discovery: () => Response | Promise<Response> = () => json(metadata()), token: (r: RecordedRequest) => Response | Promise<Response> = () => tokenAnswer()) {
  const upstream = createFakeUpstream((req) => (req.url === DISCOVERY ? discovery() : token(req)));
  const discoveries = () => upstream.requests.filter((r) => r.url === DISCOVERY);
  const tokens = () => upstream.requests.filter((r) => r.url !== DISCOVERY);
  return { upstream, discoveries, tokens };
}

/** Decodes a Basic header as a server does: base64, split at the first ':', form-decode each half. */
function decodeBasic(header: string | null): [string, string] {
  const decoded = atob((header ?? "").replace(/^Basic /, ""));
  const colon = decoded.indexOf(":");
  const formDecode = (v: string) => new URLSearchParams(`v=${v}`).get("v")!;
  return [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
}

describe("createTokenHandler: endpoints", () => {
  it("keeps the authority's path without discovery: /auth/connect/token", async () => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream, { authority: `${AUTH}/` });
    expect((await call(handler, post(codeForm().toString()))).status).toBe(200);
    expect(upstream.requests[0]!.url).toBe(`${AUTH}/connect/token`);
  });

  it("lets endpoints.token win", async () => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream, { endpoints: { token: "https://auth.smartbills.test/oauth2/token" } });
    await call(handler, post(codeForm().toString()));
    expect(upstream.requests[0]!.url).toBe("https://auth.smartbills.test/oauth2/token");
  });

  it("with discovery, reads the token endpoint from the metadata once for many requests", async () => {
    const { upstream, discoveries, tokens } = smartbills();
    const { handler } = makeHandler(upstream, { authority: AUTH, discovery: true });
    const answers = await Promise.all([1, 2, 3].map(() => call(handler, post(codeForm().toString()))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await call(handler, post(refreshForm().toString()));
    expect(discoveries()).toHaveLength(1);
    expect(tokens().map((r) => r.url)).toEqual(Array(4).fill(`${AUTH}/oauth/token`));
  });

  it("makes no discovery request before the first token request", async () => {
    const { upstream, discoveries } = smartbills();
    makeHandler(upstream, { authority: AUTH, discovery: true });
    await Promise.resolve();
    expect(discoveries()).toHaveLength(0);
  });

  it.each<[string, () => Response, string]>([
    ["a mismatching issuer", () => json(metadata({ issuer: "https://evil.example" })), "server_error"],
    ["an http token endpoint", () => json(metadata({ token_endpoint: "http://evil.example/token" })), "server_error"],
    ["an HTML page", () => new Response("<html>", { headers: { "Content-Type": "text/html" } }), "server_error"],
    ["a 302", () => new Response(null, { status: 302, headers: { Location: "https://evil.example/" } }), "server_error"],
    ["a 500", () => new Response("down", { status: 500 }), "temporarily_unavailable"],
  ])("answers 502 when discovery gives %s, sending nothing to any token endpoint", async (_, discovery, error) => {
    const { upstream, tokens } = smartbills(discovery);
    const { handler } = makeHandler(upstream, { authority: AUTH, discovery: true });
    const { status, body } = await call(handler, post(codeForm().toString()));
    expect(status).toBe(502);
    expect(body.error).toBe(error);
    expect(tokens()).toHaveLength(0);
  });

  it("answers 502 when discovery throws, and does not ask again within 10 s", async () => {
    const { upstream, discoveries } = smartbills(() => Promise.reject(new TypeError(`fetch failed ${SECRET}`)));
    const { handler } = makeHandler(upstream, { authority: AUTH, discovery: true });
    expect((await call(handler, post(codeForm().toString()))).status).toBe(502);
    expect((await call(handler, post(codeForm().toString()))).status).toBe(502);
    expect(discoveries()).toHaveLength(1);
  });

  it("answers 504 at timeoutMs when discovery never answers", async () => {
    const { upstream, tokens } = smartbills(() => new Promise<Response>(() => {}));
    const { handler } = makeHandler(upstream, { authority: AUTH, discovery: true, timeoutMs: 50 });
    const started = performance.now();
    const { status, body } = await call(handler, post(codeForm().toString()));
    expect(status).toBe(504);
    expect(body.error).toBe("temporarily_unavailable");
    expect(tokens()).toHaveLength(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("createTokenHandler: client authentication", () => {
  it("client_secret_basic sends id and secret form-encoded in Authorization, neither in the body", async () => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream, { clientAuthentication: "client_secret_basic" });
    expect((await call(handler, post(codeForm().toString()))).status).toBe(200);
    const [sent] = upstream.requests;
    expect(decodeBasic(sent!.headers.get("authorization"))).toEqual([CLIENT_ID, SECRET]);
    expect(sent!.body.has("client_secret")).toBe(false);
    expect(sent!.body.has("client_id")).toBe(false);
    expect(String(sent!.init.body)).not.toContain("SECRET-MARKER");
    expect(sent!.body.get("code")).toBe("code-1");
  });

  it("client_secret_post (default) sends no Authorization header", async () => {
    const upstream = createFakeUpstream();
    const { handler } = makeHandler(upstream);
    await call(handler, post(codeForm().toString()));
    expect(upstream.requests[0]!.headers.get("authorization")).toBeNull();
    expect(upstream.requests[0]!.body.get("client_secret")).toBe(SECRET);
  });

  it("with discovery and no option, uses Basic when the metadata lists only Basic", async () => {
    const { upstream, tokens } = smartbills(() => json(metadata({ token_endpoint_auth_methods_supported: ["client_secret_basic"] })));
    const { handler } = makeHandler(upstream, { authority: AUTH, discovery: true });
    await call(handler, post(codeForm().toString()));
    expect(decodeBasic(tokens()[0]!.headers.get("authorization"))).toEqual([CLIENT_ID, SECRET]);
    expect(tokens()[0]!.body.has("client_secret")).toBe(false);
  });

  it("refuses an unknown clientAuthentication at startup, naming the option", () => {
    expect(() => makeHandler(createFakeUpstream(), { clientAuthentication: "none" as never })).toThrow(/clientAuthentication/);
  });
});

describe("createTokenHandler: Retry-After", () => {
  const exchange = async (status: number, headers: Record<string, string>, body: unknown = { error: "slow_down" }) => {
    const upstream = createFakeUpstream(() => json(body, status, headers));
    const { handler } = makeHandler(upstream);
    return call(handler, post(refreshForm().toString()));
  };

  it("passes a 429's Retry-After in seconds, with the OAuth error, and no other upstream header", async () => {
    const { status, response, body } = await exchange(429, { "Retry-After": "120", "X-RateLimit-Remaining": "0", "Set-Cookie": "upstream=1", Server: "kestrel" });
    expect(status).toBe(429);
    expect(body.error).toBe("slow_down");
    expect(response.headers.get("retry-after")).toBe("120");
    expect(response.headers.get("x-ratelimit-remaining")).toBeNull();
    expect(response.headers.get("server")).toBeNull();
    expect(response.headers.getSetCookie()).toEqual([]);
    expect([...response.headers.keys()].sort()).toEqual(["cache-control", "content-type", "pragma", "retry-after", "x-content-type-options"]);
  });

  it("answers a 429 without an OAuth body as 429 temporarily_unavailable", async () => {
    const { status, body } = await exchange(429, { "Retry-After": "5" }, "busy");
    expect(status).toBe(429);
    expect(body.error).toBe("temporarily_unavailable");
  });

  it("passes a 503's Retry-After given as an HTTP date, as the seconds left", async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const { status, response } = await exchange(503, { "Retry-After": at });
    expect(status).toBe(503);
    const seconds = Number(response.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(88);
    expect(seconds).toBeLessThanOrEqual(91);
  });

  it("caps an absurd Retry-After (a year) at one hour", async () => {
    const { response } = await exchange(503, { "Retry-After": String(365 * 24 * 3600) });
    expect(response.headers.get("retry-after")).toBe("3600");
  });

  it.each(["-5", "soon", "1.5", "1e9"])("drops a Retry-After of %s", async (value) => {
    const { response, status } = await exchange(503, { "Retry-After": value });
    expect(status).toBe(503);
    expect(response.headers.get("retry-after")).toBeNull();
  });

  it("does not pass Retry-After on other statuses", async () => {
    const { response, status } = await exchange(400, { "Retry-After": "60" }, { error: "invalid_grant" });
    expect(status).toBe(400);
    expect(response.headers.get("retry-after")).toBeNull();
  });
});
