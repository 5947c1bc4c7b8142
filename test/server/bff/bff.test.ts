// The BFF's routes over real HTTP on 127.0.0.1, against the local authorization server (memory store).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthServer, type AuthServer } from "../../../dev/authServer";
import { signInWithFetch } from "../../../dev/headlessLogin";
import { BASE, Browser, signedInBrowser, signIn, startApp, type App } from "../../support/bff";

let auth: AuthServer;
let app: App;
const upstreamCalls: Array<{ url: string; status: number }> = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  upstreamCalls.push({ url: String(input instanceof Request ? input.url : input), status: response.status });
  return response;
};

beforeAll(async () => {
  auth = await startAuthServer({ redirectUris: ["http://127.0.0.1:1/unused"] });
  app = await startApp(auth, { fetch: recordingFetch });
});
afterAll(async () => {
  await app?.close();
  await auth?.close();
});
beforeEach(() => {
  auth.resetLogs();
  upstreamCalls.length = 0;
});

const codeExchanges = () => auth.tokenRequests.filter((r) => r.grantType === "authorization_code").length;

describe("sign-in", () => {
  it("sends the browser to the authorize endpoint with PKCE S256, state and nonce in a signed HttpOnly login cookie", async () => {
    const browser = new Browser(app.origin);
    const answer = await browser.fetch(`${BASE}/login?returnTo=/x&redirect_uri=https://evil.example&prompt=login`);
    expect(answer.status).toBe(302);
    const url = new URL(answer.headers.get("location")!);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("redirect_uri")).toBe(`${app.origin}${BASE}/callback`);
    expect(url.searchParams.getAll("redirect_uri")).toHaveLength(1);
    expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("prompt")).toBe("login");
    expect(url.searchParams.has("code_verifier")).toBe(false);
    const [cookie] = answer.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-smartbills-login-[A-Za-z0-9_-]{16}=[^;]+; Path=\/; Max-Age=600; HttpOnly; Secure; SameSite=Lax$/);
  });

  it("ends in a new HttpOnly __Host- session cookie and a 302 to the sanitised returnTo", async () => {
    const browser = new Browser(app.origin);
    const answer = await signIn(browser, auth, "alice", "//evil.example/steal");
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe("/");
    const cookies = answer.headers.getSetCookie();
    expect(cookies.some((c) => /^__Host-smartbills-login-[^=]+=; Path=\/; Max-Age=0;/.test(c))).toBe(true);
    expect(cookies.find((c) => c.startsWith("__Host-smartbills-session="))).toMatch(/^__Host-smartbills-session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/);
    expect(codeExchanges()).toBe(1);
  });

  it("answers /session with the user and no token, with no-store and no CORS header", async () => {
    const browser = await signedInBrowser(app, auth);
    const answer = await browser.fetch(`${BASE}/session`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    const body = (await answer.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["authenticated", "authenticatedAt", "expiresAt", "scope", "user"]);
    expect(body).toMatchObject({ authenticated: true, user: { sub: "alice", name: "Alice Martin" } });
    expect(JSON.stringify(body)).not.toMatch(/token|eyJ/i);
  });

  it("says signed out (200) with no cookie, or with a forged one (and clears it)", async () => {
    const none = await new Browser(app.origin).fetch(`${BASE}/session`);
    expect(await none.json()).toEqual({ authenticated: false, user: null, expiresAt: null, scope: null });
    const forged = await new Browser(app.origin).fetch(`${BASE}/session`, { headers: { cookie: `__Host-smartbills-session=${"A".repeat(43)}` } });
    expect(await forged.json()).toMatchObject({ authenticated: false });
    expect(forged.headers.getSetCookie()[0]).toMatch(/^__Host-smartbills-session=; Path=\/; Max-Age=0/);
  });

  it("proxies /api/* to the API with the session's access token", async () => {
    const browser = await signedInBrowser(app, auth);
    const answer = await browser.fetch(`${BASE}/api/v1/me`, { headers: { "on-behalf-of": "acct_alice_store" } });
    expect(answer.status).toBe(200);
    expect(auth.apiRequests.at(-1)).toMatchObject({ path: "/v1/me", sub: "alice", onBehalfOf: "acct_alice_store", status: 200 });
  });

  it("gives server code the session through getSession(headers), and null without one", async () => {
    const browser = await signedInBrowser(app, auth, "bob");
    const session = await app.bff.getSession(new Headers({ cookie: browser.cookieHeader() }));
    expect(session?.user?.sub).toBe("bob");
    expect(JSON.stringify(session)).not.toMatch(/token/i);
    expect(await app.bff.getSession(new Request("http://x/"))).toBeNull();
    expect(await app.bff.getSession(new Headers({ cookie: "__Host-smartbills-session=garbage" }))).toBeNull();
  });

  it("answers /userinfo from the user info endpoint for this session", async () => {
    const browser = await signedInBrowser(app, auth);
    const answer = await browser.fetch(`${BASE}/userinfo`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ sub: "alice", email: "alice@example.com" });
    expect((await new Browser(app.origin).fetch(`${BASE}/userinfo`)).status).toBe(401);
  });
});

describe("refused callbacks: 302 to /?smartbills_error=…, nothing exchanged, nothing stored", () => {
  async function startLogin(browser: Browser): Promise<string> {
    const start = await browser.fetch(`${BASE}/login`);
    return signInWithFetch({ authorizeUrl: start.headers.get("location")!, login: "alice", password: "any" });
  }
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
  const errorOf = (answer: Response) => new URL(answer.headers.get("location")!, app.origin).searchParams.get("smartbills_error");
  const sessionCookieOf = (answer: Response) => answer.headers.getSetCookie().find((c) => c.startsWith("__Host-smartbills-session=") && !c.includes("Max-Age=0"));

  it("refuses a replayed login cookie with its callback URL (single use, no second exchange)", async () => {
    const browser = new Browser(app.origin);
    const callbackUrl = await startLogin(browser);
    const cookies = browser.cookieHeader();
    expect((await browser.fetch(pathOf(callbackUrl))).status).toBe(302);
    const replay = await new Browser(app.origin).fetch(pathOf(callbackUrl), { headers: { cookie: cookies } });
    expect(errorOf(replay)).toBe("missing_transaction");
    expect(sessionCookieOf(replay)).toBeUndefined();
    expect(codeExchanges()).toBe(1);
  });

  it("refuses a callback in another browser: without a login cookie, or with its own login's", async () => {
    const callbackUrl = await startLogin(new Browser(app.origin));
    const other = new Browser(app.origin);
    expect(errorOf(await other.fetch(pathOf(callbackUrl)))).toBe("missing_transaction");
    await other.fetch(`${BASE}/login`);
    const withOwn = await other.fetch(pathOf(callbackUrl));
    expect(errorOf(withOwn)).toBe("state_mismatch");
    expect(sessionCookieOf(withOwn)).toBeUndefined();
    expect(codeExchanges()).toBe(0);
  });

  it("refuses a tampered login cookie", async () => {
    const browser = new Browser(app.origin);
    const callbackUrl = await startLogin(browser);
    const cookie = browser.cookieHeader().replace(/(__Host-smartbills-login-[^=]+=)(.)/, (_, name: string, first: string) => name + (first === "e" ? "f" : "e"));
    expect(errorOf(await new Browser(app.origin).fetch(pathOf(callbackUrl), { headers: { cookie } }))).toBe("state_mismatch");
    expect(codeExchanges()).toBe(0);
  });

  it.each([
    ["a second state", (u: URL) => u.searchParams.append("state", "x"), "invalid_callback"],
    ["both code and error", (u: URL) => u.searchParams.set("error", "access_denied"), "invalid_callback"],
    ["a foreign iss", (u: URL) => u.searchParams.set("iss", "https://evil.example"), "issuer_mismatch"],
    ["no code", (u: URL) => u.searchParams.delete("code"), "missing_code"],
  ])("refuses a callback with %s", async (_name, tamper, code) => {
    const browser = new Browser(app.origin);
    const url = new URL(await startLogin(browser));
    tamper(url);
    const answer = await browser.fetch(url.pathname + url.search);
    expect(errorOf(answer)).toBe(code);
    expect(sessionCookieOf(answer)).toBeUndefined();
    expect(codeExchanges()).toBe(0);
  });
});

describe("session cookies the server did not issue, or no longer honours → 401", () => {
  it.each([
    ["an invented id", () => `__Host-smartbills-session=${"x".repeat(43)}`],
    ["a malformed id", () => "__Host-smartbills-session=../../etc"],
    ["two session cookies (one planted)", (real: string) => `${real}; __Host-smartbills-session=${"y".repeat(43)}`],
    ["a tampered id", (real: string) => real.replace(/=(.)/, (_, c: string) => `=${c === "A" ? "B" : "A"}`)],
  ])("refuses %s on /api and /userinfo, forwarding nothing", async (_name, forge) => {
    const browser = await signedInBrowser(app, auth);
    auth.resetLogs();
    const cookie = forge(browser.cookieHeader());
    for (const path of [`${BASE}/api/v1/me`, `${BASE}/userinfo`]) {
      const answer = await new Browser(app.origin).fetch(path, { headers: { cookie } });
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({ error: "login_required" });
    }
    expect(auth.apiRequests).toHaveLength(0);
  });

  it("refuses a session issued by another BFF (another secret) with the same id format", async () => {
    const other = await startApp(auth, { secret: "another-secret-another-secret-another-secret" });
    try {
      const foreign = await signedInBrowser(other, auth);
      const answer = await new Browser(app.origin).fetch(`${BASE}/api/v1/me`, { headers: { cookie: foreign.cookieHeader() } });
      expect(answer.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe("logout", () => {
  it("needs the CSRF header and the app's Origin, and then revokes, deletes and clears", async () => {
    const browser = await signedInBrowser(app, auth);
    const stolen = browser.cookieHeader();
    expect((await browser.fetch(`${BASE}/logout`, { method: "POST", csrf: false })).status).toBe(403);
    expect((await browser.fetch(`${BASE}/logout`, { method: "POST", headers: { origin: "https://evil.example" } })).status).toBe(403);
    expect((await browser.fetch(`${BASE}/session`).then((r) => r.json())) as object).toMatchObject({ authenticated: true });

    const answer = await browser.fetch(`${BASE}/logout`, { method: "POST", headers: { origin: app.origin } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({});
    expect(answer.headers.getSetCookie()).toContain("__Host-smartbills-session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
    expect(upstreamCalls.find((c) => c.url.endsWith("/connect/revocation"))?.status).toBe(200);
    // The id replayed after logout gets nothing.
    const replay = await new Browser(app.origin).fetch(`${BASE}/api/v1/me`, { headers: { cookie: stolen } });
    expect(replay.status).toBe(401);
  });

  it("answers the end-session URL when asked, with no token in it", async () => {
    const browser = await signedInBrowser(app, auth);
    const answer = await browser.fetch(`${BASE}/logout`, { method: "POST", body: JSON.stringify({ endSession: true }), headers: { "content-type": "application/json" } });
    const { endSessionUrl } = (await answer.json()) as { endSessionUrl: string };
    const url = new URL(endSessionUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${auth.issuer}/connect/endsession`);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${app.origin}/`);
    expect(url.searchParams.get("client_id")).toBe(auth.clients.confidential.clientId);
    expect(url.searchParams.has("id_token_hint")).toBe(false);
  });
});

describe("routing and CSRF", () => {
  it("refuses /api/* without the CSRF header or with a foreign Origin (403), forwarding nothing", async () => {
    const browser = await signedInBrowser(app, auth);
    auth.resetLogs();
    const noHeader = await browser.fetch(`${BASE}/api/v1/me`, { csrf: false });
    const foreign = await browser.fetch(`${BASE}/api/v1/me`, { headers: { origin: "https://evil.example" } });
    const preflight = await browser.fetch(`${BASE}/api/v1/me`, { method: "OPTIONS", csrf: false, headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    for (const answer of [noHeader, foreign, preflight]) {
      expect(answer.status).toBe(403);
      expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    }
    expect(auth.apiRequests).toHaveLength(0);
  });

  it("answers unknown routes 404 and wrong methods 405 with Allow", async () => {
    const browser = new Browser(app.origin);
    expect((await browser.fetch(`${BASE}/nope`)).status).toBe(404);
    expect((await browser.fetch("/elsewhere")).status).toBe(404);
    const wrong = await browser.fetch(`${BASE}/logout`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });
});
