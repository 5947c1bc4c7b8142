/**
 * The token lifecycle with 5-second access tokens: the library refreshes through the backend on its
 * own, once per expiry however many consumers ask at that moment, and rotated refresh tokens keep
 * working (oidc-provider revokes the whole grant if a spent refresh token is ever reused, so a
 * duplicate refresh would end the session). SECURITY.md item 12 (E).
 */
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { callApi, grantCounts, resetLogs, signIn, sleep, storedTokens, until, useDemoStack } from "./helpers";
import { jwtClaims } from "./oauth";

const TTL_S = 5;

describe.skipIf(!hasBrowser())(`refresh with ${TTL_S} s access tokens`, () => {
  const e2e = useDemoStack({ accessTokenTtl: TTL_S });

  it("refreshes once per expiry while bursts of API calls run, and three rotations in a row succeed [12]", async () => {
    const { page } = e2e.tab;
    await signIn(e2e.tab, e2e.stack);
    const refreshTokens = new Set<string>();
    const idTokens = new Set<string>();
    const sample = async () => {
      const tokens = (await storedTokens(page, e2e.stack.clientId)) as { refreshToken?: string; idToken?: string } | null;
      if (tokens?.refreshToken) refreshTokens.add(tokens.refreshToken);
      if (tokens?.idToken) idTokens.add(tokens.idToken);
    };
    await sample();

    // Keep 5 concurrent API calls in flight, back to back, across three refreshes: each burst calls
    // getAccessToken 5 times, the countdown and the queries read the token, and the refresh timer
    // fires in the middle of it all.
    const started = Date.now();
    let bursts = 0;
    while (Number(await page.getByTestId("refresh-count").textContent()) < 3) {
      if (Date.now() - started > 4 * TTL_S * 1000) throw new Error("fewer than 3 refreshes in 4 token lifetimes");
      const answer = await callApi(page, { burst: true });
      expect(answer.statuses).toEqual([200, 200, 200, 200, 200]);
      bursts++;
      await sample();
    }
    // Each refresh brought a new ID token for the same user, which the library checked (same sub) and kept.
    expect(await page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    expect(idTokens.size).toBeGreaterThanOrEqual(2);
    expect([...idTokens].map((t) => jwtClaims(t).sub)).toEqual([...idTokens].map(() => "alice"));
    // Stop the page (and its refresh timer) before counting.
    await e2e.tab.close();
    await sleep(300);

    const refreshes = e2e.stack.backendRequests.filter((r) => r.grantType === "refresh_token");
    const atServer = e2e.stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token");
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    // Every refresh went through the backend, reached the server once, and was accepted: a second
    // refresh for the same expiry would have reused a spent refresh token and got invalid_grant.
    expect(atServer.length).toBe(refreshes.length);
    expect(refreshes.map((r) => r.status)).toEqual(refreshes.map(() => 200));
    expect(atServer.map((r) => [r.status, r.error])).toEqual(atServer.map(() => [200, null]));
    // One per expiry: consecutive refreshes are about half a lifetime apart, never bunched together.
    const gaps = refreshes.slice(1).map((r, i) => r.at - refreshes[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThan((TTL_S * 1000) / 2 - 1_000);
    // About one refresh per half-lifetime elapsed, not one per burst.
    const elapsed = Date.now() - started;
    expect(refreshes.length).toBeLessThanOrEqual(Math.ceil(elapsed / ((TTL_S * 1000) / 2)) + 1);
    expect(bursts).toBeGreaterThan(refreshes.length);
    // Rotation: each refresh brought a new refresh token.
    expect(refreshTokens.size).toBeGreaterThanOrEqual(3);
    // Every API call of the run was authenticated (no 401s, no retry needed).
    expect(e2e.stack.authServer.apiRequests.length).toBeGreaterThanOrEqual(bursts * 5);
    expect(e2e.stack.authServer.apiRequests.filter((r) => r.status !== 200)).toEqual([]);
    expect(grantCounts(e2e.stack).backend.authorization_code).toBe(1);
  });

  it("after the token expired while the app was closed, many consumers at start-up share one refresh", async () => {
    const { page } = e2e.tab;
    await signIn(e2e.tab, e2e.stack);
    // Leave the app (its timers stop) until the access token has expired; sessionStorage stays.
    await page.goto("about:blank");
    await sleep(TTL_S * 1000 + 500);
    resetLogs(e2e.stack);

    // Back: the provider, the token query, RequireAuth, the header and the dashboard (twice each
    // under StrictMode) all want a token at once.
    await page.goto(`${e2e.stack.appUrl}/dashboard`);
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    await sleep(300);
    expect(grantCounts(e2e.stack)).toEqual({ backend: { refresh_token: 1 }, authServer: { refresh_token: 1 } });
    expect(e2e.stack.backendRequests[0]?.status).toBe(200);
    expect(page.url()).toBe(`${e2e.stack.appUrl}/dashboard`);
    const answer = await callApi(page, { url: `${e2e.stack.authServer.url}/v1/me` });
    expect(answer.statuses).toEqual([200]);
  });

  it("a 429 with Retry-After on a refresh is passed through by the backend and honoured: no new attempt before it, the session kept", async () => {
    const { page } = e2e.tab;
    const { stack } = e2e;
    await signIn(e2e.tab, stack);
    // The next token request (the scheduled refresh, halfway through the 5 s token) gets 429, Retry-After: 2.
    // Without it the library would retry after its own backoff (0.5–1 s).
    stack.authServer.rateLimitNext(1, 2);
    const refreshes = () => stack.backendRequests.filter((r) => r.grantType === "refresh_token" && r.status !== 0);
    await until(() => refreshes().length >= 2, { timeout: TTL_S * 1000 + 3_000, message: "the refresh after the 429" });
    const [limited, retried] = refreshes();
    expect([limited!.status, retried!.status]).toEqual([429, 200]);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(2_000);
    // The backend passed the server's Retry-After on (the one upstream header it copies).
    const answers = await Promise.all(e2e.tab.requests.filter((r) => r.url.endsWith("/api/smartbills/token")).map((r) => r.request.response()));
    const limitedAnswer = answers.find((answer) => answer?.status() === 429);
    expect(await limitedAnswer?.headerValue("retry-after")).toBe("2");
    // The token stayed in use meanwhile: still signed in, the API answers.
    expect(await page.getByTestId("session-status").getAttribute("data-status")).toBe("authenticated");
    expect((await callApi(page)).statuses).toEqual([200]);
    expect(stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token" || r.status === 429).map((r) => r.status)).toEqual([429, 200]);
  });
});
