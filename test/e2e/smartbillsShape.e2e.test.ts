/**
 * Smartbills as its .NET SDK sees it (issue 11): the authority under `/auth`, the endpoints read
 * from its discovery document (browser and backend), and a confidential client that the server
 * accepts with HTTP Basic only (`clientAuthentication: "client_secret_basic"` at the backend).
 */
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { signIn, storedTokens, until, useDemoStack } from "./helpers";
import { isTokenActive, refreshDirectly } from "./oauth";

describe.skipIf(!hasBrowser())("--shape smartbills: authority under /auth, discovery, HTTP Basic", () => {
  const e2e = useDemoStack({ shape: "smartbills" });

  it("signs in with the endpoints from the discovery document and the backend authenticating with Basic", async () => {
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
});
