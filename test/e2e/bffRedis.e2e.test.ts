/**
 * Backend for frontend with the Redis session store, in Chromium (`npm run demo -- --mode bff --redis
 * redis://127.0.0.1:<port>`): a real redis-server (test/support/redis.ts) holds the sessions, sealed.
 * The same flow as the memory store's: sign-in, the proxy, a reload, a server-side refresh of a 5 s
 * token, sign-out; and Redis holds no token and no session id in the clear.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoOptions } from "../../demo/start";
import { nodeRedisClient, startRedis, type TestRedis } from "../support/redis";
import { hasBrowser } from "./browser";
import { expectNoTokenVisible, issuedTokens, recordBodies, serverSession, sessionCookie, statusOf } from "./bffHelpers";
import { callApi, signIn, sleep, useDemoStack, WAIT_MS } from "./helpers";

describe.skipIf(!hasBrowser())("backend for frontend (Redis store), in Chromium", () => {
  let redis: TestRedis;
  // Filled in before the stack starts (this hook is registered, and so runs, first).
  const options: DemoOptions = { mode: "bff", accessTokenTtl: 5 };
  beforeAll(async () => {
    redis = await startRedis();
    options.redisUrl = redis.url;
  });
  afterAll(async () => {
    await redis?.close();
  });
  const e2e = useDemoStack(options);

  /** Every key and string value in the test Redis. */
  async function dump(): Promise<{ keys: string[]; values: string[] }> {
    const { client, close } = await nodeRedisClient(redis.url);
    try {
      const keys = await client.keys("*");
      const values = await Promise.all(keys.map(async (key) => ((await client.type(key)) === "string" ? ((await client.get(key)) ?? "") : "")));
      return { keys, values };
    } finally {
      close();
    }
  }

  it("signs in, calls the API, survives a reload and a server-side refresh; Redis holds the session sealed; sign-out removes it", async () => {
    const { stack, context } = e2e;
    const { page, requests } = e2e.tab;
    expect(stack.bff?.store).toBe("redis");
    const bodies = recordBodies(page);
    await signIn(e2e.tab, stack);
    expect(await page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    const cookie = (await sessionCookie(context))?.value;
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const signedInAt = Date.now();

    // The session is in Redis, under an HMAC of its id, sealed: no token, no session id, no user name in the clear.
    const stored = await dump();
    expect(stored.keys.length).toBeGreaterThanOrEqual(1);
    expect(stored.keys.every((key) => key.startsWith("smartbills:bff:"))).toBe(true);
    const everything = JSON.stringify(stored);
    for (const secret of [...issuedTokens(stack), cookie!, "Alice Martin", "alice@example.com"]) expect(everything.includes(secret)).toBe(false);

    // A reload reads the session back from Redis: no new sign-in.
    const before = requests.length;
    await page.reload();
    await page.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
    expect(requests.slice(before).filter((r) => r.isNavigation && new URL(r.url).pathname === "/api/smartbills/login")).toEqual([]);

    // Past the 5 s token's life: the BFF refreshes under the Redis lock, the browser takes no part.
    await sleep(Math.max(0, 6_000 - (Date.now() - signedInAt)));
    const refreshes = () => stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token");
    // Whatever was refreshed before (the reload's calls may come after half the token's life), the
    // current token is due now: five calls at once make exactly one refresh (the session's lock).
    const earlier = refreshes().length;
    expect(await callApi(page, { burst: true })).toMatchObject({ statuses: [200, 200, 200, 200, 200] });
    expect(refreshes().length - earlier).toBe(1);
    for (const refresh of refreshes()) expect(refresh).toMatchObject({ status: 200, authMethod: "client_secret_post", origin: null });
    expect(requests.filter((r) => r.url.includes("/connect/token"))).toEqual([]);
    const resealed = JSON.stringify(await dump());
    for (const token of issuedTokens(stack)) expect(resealed.includes(token)).toBe(false);
    await expectNoTokenVisible(page, stack, bodies);

    await page.getByRole("link", { name: "Start" }).click();
    await page.getByTestId("go-dashboard").waitFor({ timeout: WAIT_MS });
    await page.getByTestId("logout").click();
    await expect.poll(() => statusOf(page)).toBe("unauthenticated");
    expect(await serverSession(context, stack, cookie)).toMatchObject({ authenticated: false });
    // The session's record is gone from Redis. What may stay is the used-login marker (the login
    // cookie's replay guard: "used", no secret), which Redis drops by itself within the login's 10 minutes.
    const sessionKeys = stored.keys.filter((key) => !key.startsWith("smartbills:bff:s:login."));
    expect(sessionKeys).toHaveLength(1);
    await expect.poll(async () => (await dump()).keys.filter((key) => sessionKeys.includes(key))).toEqual([]);
    const left = await dump();
    expect(left.values.every((value) => value === "used")).toBe(true);
    const { client, close } = await nodeRedisClient(redis.url);
    try {
      for (const key of left.keys) expect(await client.pTTL(key)).toBeGreaterThan(0);
      for (const key of left.keys) expect(await client.pTTL(key)).toBeLessThanOrEqual(600_000);
    } finally {
      close();
    }
  });
});
