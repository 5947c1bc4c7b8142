// Two app instances (two node:http servers, each with its own BFF and Redis connection) sharing one
// real Redis behind one origin: a tiny round-robin forwarder, as a load balancer would be.
import { createServer, request as httpRequest, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAuthServer, type AuthServer } from "../../../dev/authServer";
import { createRedisSessionStore } from "../../../src/server/bff/redisSessionStore";
import { BASE, closeServer, listen, signedInBrowser, startApp, type App } from "../../support/bff";
import { nodeRedisClient, ioRedisClient, startRedis, type TestRedis } from "../../support/redis";

let auth: AuthServer;
let redis: TestRedis;
let forwarder: Server;
let origin: string;
let skew = 0;
const instances: Array<{ app: App; alive: boolean; served: number; killRedis: () => unknown }> = [];
const closers: Array<() => unknown> = [];
/** Instance A's token requests never get an answer while set; resolves `aHolding` when one starts. */
let hangA = false;
let aHolding: () => void = () => {};

const now = () => Date.now() + skew;
const refreshes = () => auth.tokenRequests.filter((r) => r.grantType === "refresh_token");

function startForwarder(): Server {
  let next = 0;
  return createServer((req, res) => {
    const alive = instances.filter((i) => i.alive);
    const target = alive[next++ % alive.length];
    if (!target) return void res.writeHead(502).end();
    target.served++;
    const upstream = httpRequest({ host: "127.0.0.1", port: target.app.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
}

beforeAll(async () => {
  auth = await startAuthServer({ redirectUris: ["http://127.0.0.1:1/unused"] });
  redis = await startRedis();
  forwarder = startForwarder();
  origin = `http://127.0.0.1:${await listen(forwarder)}`;
  for (const name of ["A", "B"] as const) {
    // One instance on each client kind: they share the lock and the sealed records.
    const { client, close } = name === "A" ? await nodeRedisClient(redis.url) : await ioRedisClient(redis.url);
    closers.push(close);
    const fetchFn: typeof fetch = (input, init) => {
      if (name === "A" && hangA && String(input).endsWith("/connect/token")) {
        aHolding();
        return new Promise<Response>(() => {}); // never answers, ignoring the abort signal
      }
      return fetch(input, init);
    };
    const app = await startApp(auth, { origin, sessionStore: createRedisSessionStore({ client }), fetch: fetchFn, now, timeoutMs: 2000 });
    closers.push(() => app.close());
    instances.push({ app, alive: true, served: 0, killRedis: close });
  }
});
afterAll(async () => {
  for (const close of closers) await Promise.resolve(close()).catch(() => {});
  if (forwarder) await closeServer(forwarder);
  await redis?.close();
  await auth?.close();
});
beforeEach(() => {
  skew = 0;
  auth.resetLogs();
  for (const instance of instances) instance.served = 0;
});

describe("two instances, one Redis", () => {
  it("signs in across instances (login on one, callback on the other) and shares the session", async () => {
    const browser = await signedInBrowser({ ...instances[0]!.app, origin }, auth);
    expect(instances.every((i) => i.served > 0)).toBe(true);
    for (let i = 0; i < 4; i++) expect((await browser.fetch(`${BASE}/api/v1/me`)).status).toBe(200);
  });

  it("refreshes exactly once for 20 concurrent proxied calls with an expired access token, all 200", async () => {
    const browser = await signedInBrowser({ ...instances[0]!.app, origin }, auth);
    skew = 301_000; // past the 300 s access token
    auth.resetLogs();
    for (const instance of instances) instance.served = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => browser.fetch(`${BASE}/api/v1/me`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(refreshes()).toHaveLength(1);
    expect(instances.map((i) => i.served)).toEqual([10, 10]);
    expect(auth.apiRequests.filter((r) => r.status === 200)).toHaveLength(20);
  });

  it("lets the other instance refresh within the lock TTL when one dies holding the lock", async () => {
    const browser = await signedInBrowser({ ...instances[0]!.app, origin }, auth);
    skew = 301_000;
    auth.resetLogs();
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    hangA = true;
    const holding = new Promise<void>((resolve) => (aHolding = resolve));
    // Straight to A: it takes the lock and its refresh never comes back.
    void fetch(`http://127.0.0.1:${a.app.port}${BASE}/api/v1/me`, {
      headers: { cookie: browser.cookieHeader(), "x-smartbills-request": "1" },
    }).catch(() => {});
    await holding;
    const lockTakenAt = Date.now();
    // A dies: its connections (HTTP and Redis) go away; its lock stays in Redis until the TTL.
    a.alive = false;
    await a.killRedis();
    await a.app.close();

    const answer = await browser.fetch(`${BASE}/api/v1/me`);
    const waited = Date.now() - lockTakenAt;
    expect(answer.status).toBe(200);
    expect(b.served).toBeGreaterThan(0);
    expect(refreshes()).toHaveLength(1);
    // The lock's TTL is timeoutMs + 2 s = 4 s: B waited for it, and not much longer.
    expect(waited).toBeGreaterThan(3000);
    expect(waited).toBeLessThan(5500);
    hangA = false;
  }, 20_000);
});
