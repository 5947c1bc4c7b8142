/**
 * The public-client mode: no `exchangeEndpoint`, so the browser redeems the code (PKCE only, no
 * secret) and refreshes at the authorization server's token endpoint itself, through its CORS.
 */
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { callApi, signIn, sleep, storedTokens, until, useDemoStack } from "./helpers";
import { isTokenActive, refreshDirectly } from "./oauth";

const TTL_S = 6;

describe.skipIf(!hasBrowser())("public client (no exchangeEndpoint)", () => {
  const e2e = useDemoStack({ mode: "public", accessTokenTtl: TTL_S });

  it("signs in, calls the API and refreshes with the token endpoint directly", async () => {
    const { page, requests } = e2e.tab;
    expect(e2e.stack.clientId).toBe("smartbills-demo-public");
    await signIn(e2e.tab, e2e.stack, { user: "bob" });
    expect(await page.getByTestId("me-email").textContent()).toBe("bob@example.com");
    expect(page.url()).toBe(`${e2e.stack.appUrl}/dashboard`);

    // The browser itself posted to /connect/token (cross-origin, allowed by CORS for this origin only).
    await sleep(300);
    const tokenRequests = e2e.stack.authServer.tokenRequests;
    expect(tokenRequests.map((r) => [r.grantType, r.clientId, r.status, r.origin])).toEqual([
      ["authorization_code", "smartbills-demo-public", 200, e2e.stack.appUrl],
    ]);
    expect(e2e.stack.backendRequests).toEqual([]);
    expect(requests.some((r) => r.url.includes("/api/smartbills/token"))).toBe(false);

    const answer = await callApi(page, { url: `${e2e.stack.authServer.url}/v1/me` });
    expect(answer.statuses).toEqual([200]);
    expect(answer.body).toMatchObject({ active: true, sub: "bob", clientId: "smartbills-demo-public" });

    await page.getByTestId("account-option-acct_bob_cafe").check();
    const asCafe = await callApi(page);
    expect(asCafe.body).toMatchObject({ onBehalfOf: { id: "acct_bob_cafe" } });
    expect(e2e.stack.authServer.apiRequests.at(-1)).toMatchObject({ onBehalfOf: "acct_bob_cafe", status: 200 });

    // The refresh goes to the token endpoint too, from the browser, once per expiry.
    await expect.poll(async () => Number(await page.getByTestId("refresh-count").textContent()), { timeout: 2 * TTL_S * 1000 }).toBeGreaterThanOrEqual(1);
    expect((await callApi(page)).statuses).toEqual([200]);
    await e2e.tab.close();
    const refreshes = e2e.stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token");
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    expect(refreshes.map((r) => [r.clientId, r.status, r.error, r.origin])).toEqual(
      refreshes.map(() => ["smartbills-demo-public", 200, null, e2e.stack.appUrl]),
    );
    expect(e2e.stack.backendRequests).toEqual([]);
  });

  it("logout revokes the refresh token at the revocation endpoint itself (RFC 7009, client_id, no secret)", async () => {
    const { page, requests } = e2e.tab;
    const { stack } = e2e;
    const { issuer } = stack.authServer;
    await signIn(e2e.tab, stack);
    const refreshToken = (await storedTokens(page, stack.clientId))?.refreshToken;
    // (Not introspected here: with 6 s tokens a refresh could rotate it meanwhile. Only a refresh or
    // the revocation ends a refresh token, and a refresh shows in the server's log.)
    expect(refreshToken).toBeTruthy();

    await page.getByTestId("logout").click();
    await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status")).toBe("unauthenticated");
    const revocations = await until(() => {
      const found = requests.filter((r) => r.url === `${issuer}/connect/revocation`);
      return found.length ? found : null;
    }, { message: "the revocation request" });
    expect(revocations.map((r) => r.method)).toEqual(["POST"]);
    const form = new URLSearchParams(revocations[0]!.request.postData() ?? "");
    const revoked = form.get("token");
    expect([form.get("token_type_hint"), form.get("client_id"), form.get("client_secret")]).toEqual(["refresh_token", stack.clientId, null]);
    // The token the tab held at logout: the one read above, unless a refresh (6 s tokens, on a slow
    // machine) rotated it in between; then the newest one, which only the revocation can kill.
    if (stack.authServer.tokenRequests.every((r) => r.grantType !== "refresh_token")) expect(revoked).toBe(refreshToken);
    expect(revoked).toBeTruthy();
    expect((await revocations[0]!.request.response())?.status()).toBe(200);
    expect(await isTokenActive(stack, revoked!, "public")).toBe(false);
    const replay = await refreshDirectly(stack, revoked!, "public");
    expect([replay.status, replay.body.error]).toEqual([400, "invalid_grant"]);
    expect(stack.backendRequests).toEqual([]);
  });

  it("a revocation endpoint that never answers does not hold the sign-out: signed out within 5 s, nothing left in storage at once", async () => {
    const { page } = e2e.tab;
    const { stack } = e2e;
    await signIn(e2e.tab, stack);
    let hung = 0;
    // Swallowed: never fulfilled, never continued (the request hangs until the tab closes).
    await page.route(`${stack.authServer.issuer}/connect/revocation`, () => void hung++);
    const clicked = Date.now();
    await page.getByTestId("logout").click();
    // The token leaves the tab's storage before the revocation is even tried.
    await expect.poll(() => storedTokens(page, stack.clientId), { timeout: 1_000 }).toBeNull();
    await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status"), { timeout: 8_000 }).toBe("unauthenticated");
    // It did wait for the revocation (revoked before signed out), up to the library's 5 s bound.
    const elapsed = Date.now() - clicked;
    expect(elapsed).toBeGreaterThan(4_500);
    expect(elapsed).toBeLessThan(6_500);
    expect(hung).toBe(1);
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });
});
