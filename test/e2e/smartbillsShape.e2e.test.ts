/**
 * Smartbills as its .NET SDK sees it (issue 11): the authority under `/auth`, the endpoints read
 * from its discovery document (browser and backend), and a confidential client that the server
 * accepts with HTTP Basic only (`clientAuthentication: "client_secret_basic"` at the backend), and
 * the connected account in `x-tenant-id` (the provider's `accountHeader`), as the SDK sends it.
 */
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { callApi, signIn, storedTokens, until, useDemoStack } from "./helpers";
import { isTokenActive, refreshDirectly } from "./oauth";

describe.skipIf(!hasBrowser())("--shape smartbills: authority under /auth, discovery, HTTP Basic", () => {
  const e2e = useDemoStack({ shape: "smartbills", accountHeader: "x-tenant-id" });

  it("signs in with the endpoints from the discovery document and the backend on Basic; a reload reads nothing again; the account goes in x-tenant-id", async () => {
    const { page, requests } = e2e.tab;
    const { stack } = e2e;
    const { issuer, url: origin } = stack.authServer;
    expect(issuer).toBe(`${origin}/auth`);
    await signIn(e2e.tab, stack);
    await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    await expect.poll(() => page.getByTestId("userinfo-name").textContent()).toBe("Alice Martin");

    // The browser read the metadata once, then used its endpoints, all under /auth.
    const toAuthServer = requests.filter((r) => r.url.startsWith(origin) && !r.url.startsWith(`${origin}/v1/`));
    const paths = toAuthServer.map((r) => new URL(r.url).pathname);
    expect(paths.filter((p) => p.endsWith("/.well-known/openid-configuration"))).toEqual(["/auth/.well-known/openid-configuration"]);
    expect(paths.indexOf("/auth/.well-known/openid-configuration")).toBeLessThan(paths.indexOf("/auth/connect/authorize"));
    expect(paths.filter((p) => !p.startsWith("/auth/"))).toEqual([]);
    expect(paths).toContain("/auth/connect/userinfo");

    // The backend redeemed the code with HTTP Basic (the only method this server takes from it).
    expect(stack.authServer.tokenRequests.map((r) => [r.grantType, r.clientId, r.authMethod, r.status])).toEqual([
      ["authorization_code", stack.clientId, "client_secret_basic", 200],
    ]);
    expect(stack.backendRequests.map((r) => [r.method, r.grantType, r.status])).toEqual([["POST", "authorization_code", 200]]);

    // A reload with the token still valid: no metadata read (kept for the tab's life), no token request.
    const atReload = requests.length;
    await page.reload();
    await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    await page.getByTestId("me-name").waitFor();
    const afterReload = requests.slice(atReload).map((r) => new URL(r.url).pathname);
    expect(afterReload.filter((p) => p.includes("/.well-known/") || p.startsWith("/auth/connect/authorize") || p.startsWith("/auth/connect/token"))).toEqual([]);
    expect(stack.authServer.tokenRequests).toHaveLength(1);

    // The connected account goes in x-tenant-id, and on-behalf-of is never sent.
    await page.getByTestId("account-option-acct_bakery").check();
    const asBakery = await callApi(page);
    expect(asBakery.statuses).toEqual([200]);
    expect(asBakery.body).toMatchObject({ onBehalfOf: { id: "acct_bakery" } });
    const apiCall = requests.filter((r) => r.url === `${origin}/v1/me`).at(-1)!;
    const headers = await apiCall.request.allHeaders();
    expect([headers["x-tenant-id"], headers["on-behalf-of"]]).toEqual(["acct_bakery", undefined]);
  });

  it("signs out through the backend, which revokes at the discovered revocation endpoint with Basic", async () => {
    const { page } = e2e.tab;
    const { stack } = e2e;
    await signIn(e2e.tab, stack);
    const refreshToken = (await storedTokens(page, stack.clientId))?.refreshToken;
    expect(refreshToken).toBeTruthy();
    expect(await isTokenActive(stack, refreshToken!)).toBe(true);

    await page.getByTestId("logout").click();
    await until(() => stack.backendRequests.some((r) => r.method === "DELETE" && r.status === 204), { message: "the sign-out DELETE" });
    expect(stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token")).toEqual([]);
    // A 204 is answered even when the revocation fails (best effort): the token's state is the proof.
    expect(await isTokenActive(stack, refreshToken!)).toBe(false);
    const replay = await refreshDirectly(stack, refreshToken!);
    expect([replay.status, replay.body.error]).toEqual([400, "invalid_grant"]);
  });

  it("a discovery document naming another issuer stops the sign-in with invalid_metadata: nothing sent to its endpoints", async () => {
    const { page, requests } = e2e.tab;
    const { issuer } = e2e.stack.authServer;
    await page.route(`${issuer}/.well-known/openid-configuration`, async (route) => {
      const response = await route.fetch();
      const metadata = (await response.json()) as Record<string, unknown>;
      await route.fulfill({ response, json: { ...metadata, issuer: "https://evil.example/auth", authorization_endpoint: "https://evil.example/auth/connect/authorize" } });
    });
    await page.goto("/");
    await page.getByTestId("login").click();
    await expect.poll(() => page.getByTestId("login-error").getAttribute("data-code")).toBe("invalid_metadata");
    expect(new URL(page.url()).origin).toBe(e2e.stack.appUrl);
    expect(requests.filter((r) => r.url.endsWith("/.well-known/openid-configuration"))).toHaveLength(1);
    expect(requests.filter((r) => r.url.includes("/connect/")).map((r) => r.url)).toEqual([]);
    expect(e2e.stack.authServer.tokenRequests).toEqual([]);
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });
});

describe.skipIf(!hasBrowser())("--shape smartbills, public client: the browser finds the token and revocation endpoints in the metadata", () => {
  const TTL_S = 4;
  const e2e = useDemoStack({ mode: "public", shape: "smartbills", accessTokenTtl: TTL_S });

  it("signs in, refreshes and revokes at the endpoints under /auth that discovery named", async () => {
    const { page, requests } = e2e.tab;
    const { stack } = e2e;
    const { issuer } = stack.authServer;
    await signIn(e2e.tab, stack);
    await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    await expect.poll(async () => Number(await page.getByTestId("refresh-count").textContent()), { timeout: 2 * TTL_S * 1000 }).toBeGreaterThanOrEqual(1);
    expect(stack.authServer.tokenRequests.slice(0, 2).map((r) => [r.grantType, r.clientId, r.authMethod, r.status, r.origin])).toEqual([
      ["authorization_code", stack.clientId, "none", 200, stack.appUrl],
      ["refresh_token", stack.clientId, "none", 200, stack.appUrl],
    ]);

    await page.getByTestId("logout").click();
    const revocation = await until(() => requests.find((r) => r.url === `${issuer}/connect/revocation`), { message: "the revocation request" });
    const revoked = new URLSearchParams(revocation.request.postData() ?? "").get("token");
    expect((await revocation.request.response())?.status()).toBe(200);
    const replay = await refreshDirectly(stack, revoked!, "public");
    expect([replay.status, replay.body.error]).toEqual([400, "invalid_grant"]);
    // One metadata read for the whole tab, and nothing outside /auth but the API.
    const paths = requests.filter((r) => r.url.startsWith(stack.authServer.url)).map((r) => new URL(r.url).pathname);
    expect(paths.filter((p) => p.endsWith("/openid-configuration"))).toEqual(["/auth/.well-known/openid-configuration"]);
    expect(paths.filter((p) => !p.startsWith("/auth/") && !p.startsWith("/v1/"))).toEqual([]);
  });
});
