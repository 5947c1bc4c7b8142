// The /api/* proxy over real HTTP: path escapes, header allow-lists both ways, bounded bodies, slow upstreams.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startAuthServer, type AuthServer } from "../../../dev/authServer";
import { proxyTarget } from "../../../src/server/bff/proxy";
import { BASE, Browser, rawRequest, signedInBrowser, startApp, startUpstream, type App, type Upstream } from "../../support/bff";

let auth: AuthServer;
let upstream: Upstream;
let app: App;
let browser: Browser;

beforeAll(async () => {
  auth = await startAuthServer({ redirectUris: ["http://127.0.0.1:1/unused"] });
  upstream = await startUpstream();
  app = await startApp(auth, { apiBaseUrl: `${upstream.url}/base`, timeoutMs: 800 });
  browser = await signedInBrowser(app, auth);
});
afterAll(async () => {
  await app?.close();
  await upstream?.close();
  await auth?.close();
});
beforeEach(() => {
  upstream.calls.length = 0;
});

describe("path escapes → 400, nothing forwarded", () => {
  it.each([
    "/api/..%2f..%2fadmin",
    "/api/..%2F..%2Fadmin",
    "/api//evil.example/x",
    "/api/http://evil.example/x",
    "/api/https:%2f%2fevil.example",
    "/api/\\evil.example",
    "/api/%5cevil.example",
    "/api/%5Cevil.example",
    "/api/a/%252e%252e/admin",
    "/api/a/%00",
    "/api",
    "/api/",
  ])("%s", async (path) => {
    const answer = await rawRequest(app.port, `${BASE}${path}`, { cookie: browser.cookieHeader(), "x-smartbills-request": "1" });
    expect(answer.status).toBe(400);
    expect(upstream.calls).toHaveLength(0);
  });

  it.each(["/api/../login/../../x", "/api/%2e%2e/admin", "/api/.%2e/.%2e/x"])("sees %s as the URL parser does (collapsed outside /api): 404, not a forward", async (path) => {
    const answer = await rawRequest(app.port, `${BASE}${path}`, { cookie: browser.cookieHeader(), "x-smartbills-request": "1" });
    expect(answer.status).toBe(404);
    expect(upstream.calls).toHaveLength(0);
  });

  it("keeps targets on apiBaseUrl's origin and path prefix (unit)", () => {
    const base = new URL("https://api.smartbills.io/v2/");
    expect(proxyTarget(base, "/me", "?a=1")?.href).toBe("https://api.smartbills.io/v2/me?a=1");
    expect(proxyTarget(base, "/a/b%20c", "")?.href).toBe("https://api.smartbills.io/v2/a/b%20c");
    for (const rest of ["//evil.example", "/./x", "/../x", "/x\\y", "me", "/%2fx"]) expect(proxyTarget(base, rest, "")).toBeNull();
  });
});

describe("headers", () => {
  it("forwards only allow-listed request headers plus the bearer token: never cookies, hop-by-hop or the browser's Authorization", async () => {
    const answer = await rawRequest(app.port, `${BASE}/api/echo?q=1`, {
      cookie: `${browser.cookieHeader()}; other=1`,
      "x-smartbills-request": "1",
      connection: "keep-alive, x-hop",
      "x-hop": "should-go",
      "keep-alive": "timeout=99",
      te: "trailers",
      "proxy-authorization": "Basic abc",
      authorization: "Bearer stolen-token",
      "x-forwarded-for": "1.2.3.4",
      accept: "application/json",
      "accept-language": "fr-CA",
      "if-none-match": '"v0"',
      "on-behalf-of": "acct_alice_store",
    });
    expect(answer.status).toBe(200);
    const [call] = upstream.calls;
    expect(call?.url).toBe("/base/echo?q=1");
    const forwarded = Object.keys(call!.headers).filter((h) => !["host", "connection", "accept-encoding", "sec-fetch-mode", "user-agent", "content-length", "cache-control", "pragma"].includes(h));
    expect(forwarded.sort()).toEqual(["accept", "accept-language", "authorization", "if-none-match", "on-behalf-of"]);
    expect(call!.headers["authorization"]).toMatch(/^Bearer (?!stolen-token)/);
    expect(call!.headers["connection"]).not.toContain("x-hop");
    // fetch's own for a conditional request, not the browser's.
    expect(call!.headers["cache-control"] ?? "no-cache").toBe("no-cache");
  });

  it("sends back only safe response headers: no Set-Cookie, CORS, upstream keep-alive or internal headers", async () => {
    const answer = await browser.fetch(`${BASE}/api/echo`);
    expect(answer.status).toBe(200);
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(answer.headers.get("x-upstream-secret")).toBeNull();
    expect(answer.headers.get("keep-alive") ?? "").not.toContain("timeout=77");
    expect(answer.headers.get("etag")).toBe('"v1"');
    expect(answer.headers.get("content-type")).toBe("application/json");
  });

  it("turns an upstream redirect into a 502 (the browser is not sent anywhere unchecked)", async () => {
    const answer = await browser.fetch(`${BASE}/api/redirect`);
    expect(answer.status).toBe(502);
    expect(answer.headers.get("location")).toBeNull();
  });
});

describe("bodies and time", () => {
  it("streams a small body through, method kept", async () => {
    const answer = await browser.fetch(`${BASE}/api/upload`, { method: "PUT", body: "x".repeat(1000), headers: { "content-type": "text/plain" } });
    expect(answer.status).toBe(200);
    expect(upstream.calls[0]).toMatchObject({ method: "PUT", bodyBytes: 1000 });
  });

  it("refuses a declared 50 MB upload with 413 at once, forwarding nothing", async () => {
    const t0 = Date.now();
    app.statuses.length = 0;
    const seen = await new Promise<number | "reset">((resolve) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: app.port, path: `${BASE}/api/upload`, method: "POST", headers: { cookie: browser.cookieHeader(), "x-smartbills-request": "1", "content-length": String(50 * 1024 * 1024) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", () => resolve("reset"));
      req.write(Buffer.alloc(64 * 1024));
    });
    expect([413, "reset"]).toContain(seen);
    await vi.waitFor(() => expect(app.statuses).toEqual([413]), { timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(upstream.calls).toHaveLength(0);
  });

  it("cuts a chunked 50 MB upload off with 413 after the 10 MB limit", async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    app.statuses.length = 0;
    // The client may see the 413 or, racing its own writes against the closing connection, a reset
    // (Node's client drops an answer that arrives mid-upload): what the server answered is what counts.
    const seen = await new Promise<number | "reset">((resolve) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: app.port, path: `${BASE}/api/upload`, method: "POST", headers: { cookie: browser.cookieHeader(), "x-smartbills-request": "1", "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on("error", () => resolve("reset"));
      const pump = () => {
        while (sent < 50) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect([413, "reset"]).toContain(seen);
    await vi.waitFor(() => expect(app.statuses).toEqual([413]), { timeout: 3000 });
    expect(sent).toBeLessThan(50);
    expect(upstream.calls.reduce((n, c) => n + c.bodyBytes, 0)).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it("answers 504 within the timeout when the API never answers", async () => {
    const t0 = Date.now();
    const answer = await browser.fetch(`${BASE}/api/slow`);
    expect(answer.status).toBe(504);
    expect(await answer.json()).toMatchObject({ error: "temporarily_unavailable" });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it("answers 504 within the timeout when the API stops half-way through a small answer", async () => {
    const t0 = Date.now();
    const answer = await browser.fetch(`${BASE}/api/stall`);
    expect(answer.status).toBe(504);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it("answers 504 in time even with a fetch that ignores its abort signal", async () => {
    const deaf = await startApp(auth, { apiBaseUrl: upstream.url, timeoutMs: 300, fetch: (input, init) => (String(input).includes("/slow") ? new Promise<Response>(() => {}) : fetch(input, init)) });
    try {
      const who = await signedInBrowser(deaf, auth);
      const t0 = Date.now();
      expect((await who.fetch(`${BASE}/api/slow`)).status).toBe(504);
      expect(Date.now() - t0).toBeLessThan(1000);
    } finally {
      await deaf.close();
    }
  });

  it("answers 502 when the API is down", async () => {
    const down = await startApp(auth, { apiBaseUrl: "http://127.0.0.1:1" });
    try {
      const who = await signedInBrowser(down, auth);
      const answer = await who.fetch(`${BASE}/api/v1/me`);
      expect(answer.status).toBe(502);
      expect(await answer.text()).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await down.close();
    }
  });
});
