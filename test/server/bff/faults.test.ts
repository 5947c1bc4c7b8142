// Faults with real parts: a real Redis stopped and restarted under the BFF (both clients), the
// authorization server unreachable during a refresh, refused refreshes, timeouts, sealed records.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthServer, type AuthServer } from "../../../dev/authServer";
import { createRedisSessionStore } from "../../../src/server/bff/redisSessionStore";
import { BASE, Browser, signedInBrowser, startApp, type App } from "../../support/bff";
import { ioRedisClient, nodeRedisClient, startRedis, type TestRedis } from "../../support/redis";

let auth: AuthServer;
let redis: TestRedis;
let skew = 0;
let authDown = false;
const issued: Array<{ access_token: string; refresh_token?: string; id_token?: string }> = [];
const closers: Array<() => unknown> = [];

/** The BFF's fetch: records issued tokens; while `authDown`, the token endpoint is a closed port (a real ECONNREFUSED). */
const bffFetch: typeof fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const isToken = url.endsWith("/connect/token");
  const response = await fetch(isToken && authDown ? "http://127.0.0.1:1/connect/token" : input, init);
  if (isToken && response.ok) issued.push((await response.clone().json()) as (typeof issued)[number]);
  return response;
};
const now = () => Date.now() + skew;
const refreshes = () => auth.tokenRequests.filter((r) => r.grantType === "refresh_token");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error("not within time");
}

beforeAll(async () => {
  auth = await startAuthServer({ redirectUris: ["http://127.0.0.1:1/unused"] });
  redis = await startRedis();
});
afterAll(async () => {
  for (const close of closers) await close();
  await redis?.close();
  await auth?.close();
});
beforeEach(() => {
  skew = 0;
  authDown = false;
  auth.resetLogs();
});

describe.each(["node-redis", "ioredis"] as const)("with a real Redis through %s", (kind) => {
  let app: App;
  let raw: Awaited<ReturnType<typeof nodeRedisClient>>["client"];
  beforeAll(async () => {
    const { client, close } = kind === "node-redis" ? await nodeRedisClient(redis.url) : await ioRedisClient(redis.url);
    const inspector = await nodeRedisClient(redis.url);
    raw = inspector.client;
    closers.push(close, inspector.close);
    app = await startApp(auth, { sessionStore: createRedisSessionStore({ client, keyPrefix: `${kind}:` }), fetch: bffFetch, now });
    closers.push(() => app.close());
  });

  it("keeps no token and no session id in Redis: a dump shows sealed records under HMAC'd keys", async () => {
    issued.length = 0;
    const browser = await signedInBrowser(app, auth);
    const id = browser.cookieHeader().match(/__Host-smartbills-session=([^;]+)/)![1]!;
    const keys = await raw.keys(`${kind}:*`);
    expect(keys.length).toBeGreaterThan(0);
    const dump = (await Promise.all(keys.map((k) => raw.get(k).catch(() => "")))).join("\n") + keys.join("\n");
    const secrets = issued.flatMap((t) => [t.access_token, t.refresh_token, t.id_token]).filter((s): s is string => !!s);
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const secret of [...secrets, id]) expect(dump).not.toContain(secret);
    expect(dump).not.toMatch(/alice/i);
    // The record expires in Redis itself (the session's idle timeout, 30 min).
    const sessionKey = keys.find((k) => k.startsWith(`${kind}:s:`) && !k.includes("login."))!;
    expect(await raw.pTTL(sessionKey)).toBeGreaterThan(29 * 60 * 1000);
  });

  it("refuses a cross-user record: another user's sealed session copied under this id's key → 401", async () => {
    const alice = await signedInBrowser(app, auth, "alice");
    const before = new Set(await raw.keys(`${kind}:s:*`));
    await signedInBrowser(app, auth, "bob");
    const bobKey = (await raw.keys(`${kind}:s:*`)).find((k) => !before.has(k) && !k.includes("login."))!;
    const aliceKeys = [...before].filter((k) => !k.includes("login."));
    const bobRecord = (await raw.get(bobKey))!;
    for (const key of aliceKeys) await raw.set(key, bobRecord, { PX: 60_000 });
    const answer = await alice.fetch(`${BASE}/api/v1/me`);
    expect(answer.status).toBe(401);
    expect(auth.apiRequests.filter((r) => r.sub === "bob")).toHaveLength(0);
  });

  it("answers 503 temporarily_unavailable within 2 s while Redis is stopped, and has every session back after", async () => {
    const browsers = [await signedInBrowser(app, auth), await signedInBrowser(app, auth, "bob")];
    await redis.stop();
    try {
      for (const path of [`${BASE}/api/v1/me`, `${BASE}/session`]) {
        const t0 = Date.now();
        const answer = await browsers[0]!.fetch(path);
        expect(Date.now() - t0).toBeLessThan(2000);
        expect(answer.status).toBe(503);
        expect(await answer.json()).toMatchObject({ error: "temporarily_unavailable" });
      }
      expect(await app.bff.getSession(new Headers({ cookie: browsers[0]!.cookieHeader() })).catch((e: { code?: string }) => e.code)).toBe("temporarily_unavailable");
    } finally {
      await redis.start();
    }
    await eventually(async () => (await browsers[0]!.fetch(`${BASE}/api/v1/me`)).status === 200);
    expect((await browsers[1]!.fetch(`${BASE}/api/v1/me`)).status).toBe(200);
  }, 20_000);

  it("loses no session when Redis restarts (AOF)", async () => {
    const browser = await signedInBrowser(app, auth);
    await redis.restart();
    await eventually(async () => (await browser.fetch(`${BASE}/session`)).status === 200);
    expect(await (await browser.fetch(`${BASE}/session`)).json()).toMatchObject({ authenticated: true, user: { sub: "alice" } });
    expect((await browser.fetch(`${BASE}/api/v1/me`)).status).toBe(200);
  }, 20_000);
});

describe("refresh faults (memory store)", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp(auth, { fetch: bffFetch, now, timeoutMs: 1000 });
    closers.push(() => app.close());
  });

  it("answers 502 when the authorization server is down during a refresh, keeps the session, and refreshes once it is back", async () => {
    const browser = await signedInBrowser(app, auth);
    skew = 301_000; // the 300 s access token has expired
    authDown = true;
    const failed = await browser.fetch(`${BASE}/api/v1/me`);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ error: "temporarily_unavailable" });
    expect(await (await browser.fetch(`${BASE}/session`)).json()).toMatchObject({ authenticated: true });
    authDown = false;
    expect((await browser.fetch(`${BASE}/api/v1/me`)).status).toBe(200);
    expect(refreshes()).toHaveLength(1);
  });

  it("keeps using a still-valid access token when the refresh ahead of expiry fails", async () => {
    const browser = await signedInBrowser(app, auth);
    skew = 285_000; // 15 s left: due for refresh, still valid
    authDown = true;
    expect((await browser.fetch(`${BASE}/api/v1/me`)).status).toBe(200);
    expect((await browser.fetch(`${BASE}/api/v1/me`)).status).toBe(200);
    expect(refreshes()).toHaveLength(0);
  });

  it("ends the session when the refresh is refused (revoked refresh token): 401 login_required, then signed out", async () => {
    issued.length = 0;
    const browser = await signedInBrowser(app, auth);
    const refreshToken = issued.at(-1)!.refresh_token!;
    const { clientId, clientSecret } = auth.clients.confidential;
    const revoked = await fetch(`${auth.issuer}/connect/revocation`, { method: "POST", body: new URLSearchParams({ token: refreshToken, client_id: clientId, client_secret: clientSecret }) });
    expect(revoked.status).toBe(200);
    skew = 301_000;
    const answer = await browser.fetch(`${BASE}/api/v1/me`);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: "login_required" });
    expect(await (await browser.fetch(`${BASE}/session`)).json()).toMatchObject({ authenticated: false });
    expect(refreshes()).toHaveLength(1);
  });

  it("refreshes once for many concurrent calls in one instance, rotating the refresh token", async () => {
    issued.length = 0;
    const browser = await signedInBrowser(app, auth);
    skew = 301_000;
    const answers = await Promise.all(Array.from({ length: 10 }, () => browser.fetch(`${BASE}/api/v1/me`)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(refreshes()).toHaveLength(1);
    expect(issued.at(-1)!.refresh_token).not.toBe(issued.at(-2)!.refresh_token);
  });

  it.each([
    ["the absolute timeout (8 h)", 8 * 3600_000 + 1000],
    ["the idle timeout (30 min)", 31 * 60_000],
  ])("ends a session past %s: 401, nothing forwarded", async (_name, later) => {
    const browser = await signedInBrowser(app, auth);
    skew = later;
    auth.resetLogs();
    expect((await browser.fetch(`${BASE}/api/v1/me`)).status).toBe(401);
    expect(auth.apiRequests).toHaveLength(0);
    expect(await (await browser.fetch(`${BASE}/session`)).json()).toMatchObject({ authenticated: false });
  });

  it("keeps an active session alive past the idle timeout", async () => {
    const browser = await signedInBrowser(app, auth);
    for (const minutes of [20, 40, 60]) {
      skew = minutes * 60_000;
      expect(await (await browser.fetch(`${BASE}/session`)).json()).toMatchObject({ authenticated: true });
    }
  });

  it("sends no request for an unsigned-in /api call", async () => {
    auth.resetLogs();
    expect((await new Browser(app.origin).fetch(`${BASE}/api/v1/me`)).status).toBe(401);
    expect(auth.apiRequests).toHaveLength(0);
  });
});
