// The BFF handler called with crafted Requests against a recording fake authorization server (setup H):
// client authentication, ID-token checks, upstream refusals and failures, options, the seal.
import { beforeEach, describe, expect, it } from "vitest";
import { createSmartbillsBff, createMemorySessionStore, type SessionStore, type SmartbillsBffOptions } from "../../../src/server/bff/index";
import { readCookie } from "../../../src/server/bff/cookies";
import { deriveBffKeys } from "../../../src/server/bff/seal";

const ISSUER = "https://auth.smartbills.test";
const APP = "https://app.example.com";
const BASE = "/api/smartbills";
const SECRET = "SECRET-MARKER-7f3a9c1e:%+é-4b6d";
const SESSION_SECRET = "x".repeat(32);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: "RS256" })}.${b64(claims)}.sig`;
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

interface Call {
  url: string;
  headers: Headers;
  body: URLSearchParams;
}
let calls: Call[];
let tokenResponder: (body: URLSearchParams) => Response;
let apiResponder: (authorization: string | null) => Response;
let clock: number;
let nonce: string;
const answers: Response[] = [];

const fakeFetch: typeof fetch = async (input, init = {}) => {
  const body = new URLSearchParams(typeof init.body === "string" ? init.body : "");
  calls.push({ url: String(input), headers: new Headers(init.headers), body });
  if (String(input).endsWith("/connect/token")) return tokenResponder(body);
  if (String(input).endsWith("/connect/revocation")) return new Response(null, { status: 200 });
  return apiResponder(new Headers(init.headers).get("authorization"));
};
const idToken = (extra: Record<string, unknown> = {}) => jwt({ iss: ISSUER, aud: "client-abc", sub: "alice", exp: clock / 1000 + 3600, iat: clock / 1000, nonce, ...extra });
const tokens = (extra: Record<string, unknown> = {}) => json({ access_token: "at-1", token_type: "Bearer", expires_in: 300, refresh_token: "rt-1", id_token: idToken(), ...extra });

function makeBff(options: Partial<SmartbillsBffOptions> = {}) {
  const bff = createSmartbillsBff({ clientId: "client-abc", clientSecret: SECRET, authority: ISSUER, appOrigin: APP, apiBaseUrl: "https://api.smartbills.test", secret: SESSION_SECRET, fetch: fakeFetch, now: () => clock, ...options });
  const call = async (path: string, init: RequestInit = {}) => {
    const answer = await bff(new Request(`http://localhost${path}`, init));
    answers.push(answer.clone());
    return answer;
  };
  return { bff, call };
}

/** /login then /callback with the code; returns the callback answer and the session cookie header. */
async function signIn(call: ReturnType<typeof makeBff>["call"], tamper: (url: URL) => void = () => {}) {
  const start = await call(`${BASE}/login`);
  const authorize = new URL(start.headers.get("location")!);
  nonce = authorize.searchParams.get("nonce")!;
  const loginCookie = start.headers.getSetCookie()[0]!.split(";")[0]!;
  const callback = new URL(`http://localhost${BASE}/callback?code=the-code&state=${authorize.searchParams.get("state")}`);
  tamper(callback);
  const answer = await call(callback.pathname + callback.search, { headers: { cookie: loginCookie } });
  const session = answer.headers.getSetCookie().find((c) => c.startsWith("__Host-smartbills-session=") && !c.includes("Max-Age=0"));
  return { answer, cookie: session?.split(";")[0] ?? null, error: new URL(answer.headers.get("location")!, APP).searchParams.get("smartbills_error") };
}

const api = (call: ReturnType<typeof makeBff>["call"], cookie: string) => call(`${BASE}/api/v1/me`, { headers: { cookie, "x-smartbills-request": "1" } });

beforeEach(() => {
  calls = [];
  clock = Date.parse("2026-12-03T12:00:00Z");
  tokenResponder = () => tokens();
  apiResponder = () => json({ ok: true });
});

describe("client authentication at the token and revocation endpoints", () => {
  it("sends client_secret_post by default: id and secret in the form body", async () => {
    const { call } = makeBff();
    await signIn(call);
    const [exchange] = calls;
    expect(exchange!.body.get("client_secret")).toBe(SECRET);
    expect(exchange!.body.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(exchange!.headers.has("authorization")).toBe(false);
  });

  it("sends client_secret_basic when asked: form-encoded id:secret in the header, nothing in the body", async () => {
    const { call } = makeBff({ clientAuthentication: "client_secret_basic" });
    const { cookie } = await signIn(call);
    await call(`${BASE}/logout`, { method: "POST", headers: { cookie: cookie!, "x-smartbills-request": "1" } });
    for (const c of calls.filter((x) => /connect\/(token|revocation)$/.test(x.url))) {
      const decoded = Buffer.from(c.headers.get("authorization")!.replace(/^Basic /, ""), "base64").toString();
      expect(decoded).toBe(`client-abc:${new URLSearchParams({ s: SECRET }).toString().slice(2)}`);
      expect(c.body.has("client_secret")).toBe(false);
    }
    expect(calls.find((c) => c.url.endsWith("/connect/revocation"))?.body.get("token")).toBe("rt-1");
  });
});

describe("ID token and exchange failures: refused, nothing stored", () => {
  it.each([
    ["another nonce", () => tokens({ id_token: idToken({ nonce: "someone-else" }) }), "invalid_id_token"],
    ["another issuer", () => tokens({ id_token: idToken({ iss: "https://evil.example" }) }), "invalid_id_token"],
    ["another audience", () => tokens({ id_token: idToken({ aud: "other-client" }) }), "invalid_id_token"],
    ["an expired ID token", () => tokens({ id_token: idToken({ exp: clock / 1000 - 1 }) }), "invalid_id_token"],
    ["no ID token for an openid scope", () => tokens({ id_token: undefined }), "invalid_id_token"],
    ["a non-Bearer token type", () => tokens({ token_type: "MAC" }), "exchange_failed"],
    ["invalid_grant", () => json({ error: "invalid_grant", error_description: `bad ${SECRET}` }, 400), "invalid_grant"],
    ["invalid_client (our misconfiguration)", () => json({ error: "invalid_client" }, 401), "exchange_failed"],
    ["an HTML 500 echoing the request", () => new Response(`<pre>client_secret=${encodeURIComponent(SECRET)}</pre>`, { status: 500 }), "exchange_failed"],
    ["a 307 (would re-post the secret)", () => new Response(null, { status: 307, headers: { location: "https://evil.example/" } }), "exchange_failed"],
  ])("%s → /?smartbills_error=%s", async (_name, responder, code) => {
    tokenResponder = responder;
    const writes: string[] = [];
    const inner = createMemorySessionStore();
    const store: SessionStore = { ...inner, set: (k, v, t) => (writes.push(k), inner.set(k, v, t)) };
    const { call } = makeBff({ sessionStore: store });
    const { error, cookie } = await signIn(call);
    expect(error).toBe(code);
    expect(cookie).toBeNull();
    expect(writes.filter((k) => !k.startsWith("login."))).toEqual([]);
  });

  it("refuses a login cookie older than 10 minutes as no pending login, sending nothing", async () => {
    const { call } = makeBff();
    const { error } = await signIn(call, () => void (clock += 11 * 60_000));
    expect(error).toBe("missing_transaction");
    expect(calls).toHaveLength(0);
  });
});

describe("refresh outcomes", () => {
  it("ends the session when the refreshed ID token names another user", async () => {
    const { call } = makeBff();
    const { cookie } = await signIn(call);
    clock += 301_000;
    tokenResponder = () => tokens({ access_token: "at-2", id_token: idToken({ sub: "mallory", nonce: undefined }) });
    const answer = await api(call, cookie!);
    expect(answer.status).toBe(401);
    expect((await api(call, cookie!)).status).toBe(401);
  });

  it("keeps the session on an upstream invalid_client (502), and sends the rotated refresh token next time", async () => {
    const { call } = makeBff();
    const { cookie } = await signIn(call);
    clock += 301_000;
    tokenResponder = () => json({ error: "invalid_client" }, 401);
    expect((await api(call, cookie!)).status).toBe(502);
    tokenResponder = () => tokens({ access_token: "at-2", refresh_token: "rt-2", id_token: undefined });
    expect((await api(call, cookie!)).status).toBe(200);
    clock += 301_000;
    tokenResponder = () => tokens({ access_token: "at-3", refresh_token: "rt-3", id_token: undefined });
    expect((await api(call, cookie!)).status).toBe(200);
    const grants = calls.filter((c) => c.body.get("grant_type") === "refresh_token").map((c) => c.body.get("refresh_token"));
    expect(grants).toEqual(["rt-1", "rt-1", "rt-2"]);
    expect(calls.at(-1)!.headers.get("authorization")).toBe("Bearer at-3");
  });

  it("ends a session with no refresh token once its access token expires", async () => {
    tokenResponder = () => tokens({ refresh_token: undefined });
    const { call } = makeBff();
    const { cookie } = await signIn(call);
    expect((await api(call, cookie!)).status).toBe(200);
    clock += 301_000;
    expect((await api(call, cookie!)).status).toBe(401);
  });

  it("answers 503 temporarily_unavailable when the store fails or hangs, within the store timeout", async () => {
    const failing: SessionStore = { get: () => new Promise(() => {}), set: async () => {}, delete: async () => {}, lock: (_k, _t, fn) => fn() };
    const { call } = makeBff({ sessionStore: failing, storeTimeoutMs: 100 });
    const t0 = Date.now();
    const answer = await api(call, `__Host-smartbills-session=${"a".repeat(43)}`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: "temporarily_unavailable" });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("an API that answers 401 to the session's token", () => {
  const refreshCount = () => calls.filter((c) => c.body.get("grant_type") === "refresh_token").length;
  const apiCalls = () => calls.filter((c) => c.url.startsWith("https://api.smartbills.test/"));

  it("gets one refresh and one retry for a GET, however many calls see the 401 at once", async () => {
    const { call } = makeBff();
    const { cookie } = await signIn(call);
    clock += 60_000; // the token is a minute old, far from expiry
    apiResponder = (authorization) => (authorization === "Bearer at-1" ? json({ error: "invalid_token" }, 401) : json({ ok: true }));
    tokenResponder = () => tokens({ access_token: "at-2", refresh_token: "rt-2", id_token: undefined });
    const answers = await Promise.all([api(call, cookie!), api(call, cookie!), api(call, cookie!)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(refreshCount()).toBe(1);
  });

  it("passes the 401 on for a body-carrying call, and for a token under 10 s old, without refreshing", async () => {
    const { call } = makeBff();
    const { cookie } = await signIn(call);
    apiResponder = () => json({ error: "invalid_token" }, 401);
    expect((await api(call, cookie!)).status).toBe(401);
    clock += 60_000;
    const post = await call(`${BASE}/api/v1/me`, { method: "POST", body: "x", headers: { cookie: cookie!, "x-smartbills-request": "1" } });
    expect(post.status).toBe(401);
    expect(refreshCount()).toBe(0);
    expect(apiCalls()).toHaveLength(2);
  });

  it("ends the session when the refresh after a 401 is refused", async () => {
    const { call } = makeBff();
    const { cookie } = await signIn(call);
    clock += 60_000;
    apiResponder = () => json({ error: "invalid_token" }, 401);
    tokenResponder = () => json({ error: "invalid_grant" }, 400);
    const answer = await api(call, cookie!);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: "login_required" });
    expect(apiCalls()).toHaveLength(1);
  });
});

describe("garbage in, a 4xx (or a refused redirect) out, never a 500", () => {
  it.each<[string, string, RequestInit?]>([
    ["a malformed escape in the callback", `${BASE}/callback?state=%E0%A4%A&code=%ZZ`],
    ["an error with markup", `${BASE}/callback?error=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&state=s`],
    ["a javascript: returnTo", `${BASE}/login?returnTo=javascript:alert(1)`],
    ["a huge cookie header", `${BASE}/session`, { headers: { cookie: `a=${"x".repeat(20_000)}` } }],
    ["a session cookie full of junk", `${BASE}/api/v1/me`, { headers: { cookie: "__Host-smartbills-session=%00%ff;;;==", "x-smartbills-request": "1" } }],
    ["a logout with a non-JSON body", `${BASE}/logout`, { method: "POST", body: "{{{", headers: { "x-smartbills-request": "1" } }],
    ["a logout with a 2 KB body", `${BASE}/logout`, { method: "POST", body: "x".repeat(2048), headers: { "x-smartbills-request": "1" } }],
    ["a PUT on a GET route", `${BASE}/session`, { method: "PUT" }],
  ])("%s", async (_name, path, init) => {
    const { call } = makeBff();
    const answer = await call(path, init);
    expect(answer.status).toBeLessThan(500);
    if (answer.status === 302) {
      const location = answer.headers.get("location")!;
      expect(location.startsWith("/") || location.startsWith(ISSUER)).toBe(true);
      expect(location).not.toMatch(/javascript:|<img/i);
    } else {
      expect(answer.headers.get("content-type")).toContain("application/json");
      expect(await answer.json()).toBeTypeOf("object");
    }
  });
});

describe("options and pieces", () => {
  it.each<[string, Partial<SmartbillsBffOptions>]>([
    ["a short secret", { secret: "short" }],
    ["an appOrigin with a path", { appOrigin: "https://app.example.com/app" }],
    ["a basePath with a slash at the end", { basePath: "/api/" }],
    ["an apiBaseUrl with credentials", { apiBaseUrl: "https://u:p@api.example.com" }],
    ["a store without lock", { sessionStore: { get: async () => null, set: async () => {}, delete: async () => {} } as unknown as SessionStore }],
    ["a negative timeout", { timeoutMs: -1 }],
    ["an empty client id", { clientId: "" }],
  ])("refuses %s with a TypeError naming it", (_name, bad) => {
    expect(() => makeBff(bad)).toThrow(TypeError);
  });

  it("opens a sealed record only under its own key and secret", async () => {
    const keys = deriveBffKeys(SESSION_SECRET, "t");
    const sealed = await keys.seal("key-a", '{"x":1}');
    expect(sealed).not.toContain('"x"');
    expect(await keys.unseal("key-a", sealed)).toBe('{"x":1}');
    expect(await deriveBffKeys(SESSION_SECRET, "t").unseal("key-b", sealed)).toBeNull();
    expect(await deriveBffKeys("y".repeat(32), "t").unseal("key-a", sealed)).toBeNull();
    const flipped = sealed.slice(0, -2) + (sealed.endsWith("A") ? "B" : "A") + sealed.slice(-1);
    expect(await deriveBffKeys(SESSION_SECRET, "t").unseal("key-a", flipped)).toBeNull();
    expect(await keys.unseal("key-a", "v2.whatever")).toBeNull();
    expect(await keys.seal("key-a", '{"x":1}')).not.toBe(sealed); // a fresh IV per record
  });

  it("reads a cookie once, and not at all when it is planted twice", () => {
    expect(readCookie("a=1; __Host-smartbills-session=abc", "__Host-smartbills-session")).toBe("abc");
    expect(readCookie("__Host-smartbills-session=abc; __Host-smartbills-session=def", "__Host-smartbills-session")).toBeNull();
    expect(readCookie(null, "x")).toBeNull();
  });

  it("never put the secret or a CORS header in any answer of this file", async () => {
    expect(answers.length).toBeGreaterThan(20);
    for (const answer of answers) {
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
      expect(answer.headers.get("location") ?? "").not.toContain("7f3a9c1e");
      expect(await answer.text()).not.toContain("7f3a9c1e");
    }
  });
});
