/**
 * Who is signed in (issue 11): `useSmartbillsAuth().user` from the sign-in's ID token, checked with
 * the login's nonce, and `useSmartbillsUserInfo()` from the user info endpoint, in the demo app.
 */
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { passLoginPages, signIn, storedTokens, useDemoStack, WAIT_MS } from "./helpers";
import { jwtClaims } from "./oauth";

describe.skipIf(!hasBrowser())("who is signed in: the ID token's claims and the user info", () => {
  const e2e = useDemoStack();

  it("shows the name from the ID token, which carries the nonce the login sent, and the user info endpoint's claims", async () => {
    const { page, requests } = e2e.tab;
    const { issuer } = e2e.stack.authServer;
    await signIn(e2e.tab, e2e.stack);

    // The header and the profile card: the ID token's claims, no request needed.
    await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    expect(await page.getByTestId("idtoken-name").textContent()).toBe("Alice Martin");
    expect(await page.getByTestId("idtoken-email").textContent()).toBe("alice@example.com");
    expect(await page.getByTestId("idtoken-user").getAttribute("data-sub")).toBe("alice");

    // The login sent a fresh nonce (≥ 128 bits), and the ID token the library accepted carries it.
    const authorize = requests.filter((r) => r.isNavigation && r.url.startsWith(`${issuer}/connect/authorize?`));
    expect(authorize).toHaveLength(1);
    const nonce = new URL(authorize[0]!.url).searchParams.get("nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const tokens = (await storedTokens(page, e2e.stack.clientId)) as { accessToken: string; idToken?: string } | null;
    expect(tokens?.idToken).toBeTruthy();
    expect(jwtClaims(tokens!.idToken!)).toMatchObject({ sub: "alice", nonce, aud: e2e.stack.clientId, iss: issuer, name: "Alice Martin" });

    // The user info: one GET to the endpoint with the access token, shared by every component that asks.
    await page.getByTestId("userinfo-name").waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId("userinfo-name").textContent()).toBe("Alice Martin");
    expect(await page.getByTestId("userinfo-email").textContent()).toBe("alice@example.com");
    const userinfo = requests.filter((r) => r.url.startsWith(`${issuer}/connect/userinfo`));
    expect(userinfo.map((r) => r.method)).toEqual(["GET"]);
    expect((await userinfo[0]!.request.allHeaders()).authorization).toBe(`Bearer ${tokens!.accessToken}`);
    expect((await userinfo[0]!.request.response())?.status()).toBe(200);
    // No claim or token in the address bar, ever.
    expect(page.url()).toBe(`${e2e.stack.appUrl}/dashboard`);
  });

  it("another user signing in after a sign-out in the same tab sees their own name and user info, never the last one's", async () => {
    const { page, requests } = e2e.tab;
    const { issuer } = e2e.stack.authServer;
    await signIn(e2e.tab, e2e.stack, { user: "alice" });
    await page.getByTestId("userinfo-name").waitFor({ timeout: WAIT_MS });

    await page.getByTestId("logout").click();
    await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status")).toBe("unauthenticated");
    // A plain sign-out keeps alice's session at the server: forget it (as a shared computer would be cleared).
    await e2e.context.clearCookies();

    const atBob = requests.length;
    await page.getByTestId("login").click();
    await passLoginPages(page, e2e.stack, { user: "bob" });
    await page.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
    await expect.poll(() => page.getByTestId("user-name").textContent()).toBe("Bob Tremblay");
    await expect.poll(() => page.getByTestId("userinfo-name").textContent()).toBe("Bob Tremblay");
    expect(await page.getByTestId("userinfo-email").textContent()).toBe("bob@example.com");
    expect(await page.getByTestId("idtoken-user").getAttribute("data-sub")).toBe("bob");
    // Bob's user info was fetched for bob (a new query), with bob's token.
    const tokens = await storedTokens(page, e2e.stack.clientId);
    const bobsUserinfo = requests.slice(atBob).filter((r) => r.url.startsWith(`${issuer}/connect/userinfo`));
    expect(bobsUserinfo).toHaveLength(1);
    expect((await bobsUserinfo[0]!.request.allHeaders()).authorization).toBe(`Bearer ${tokens!.accessToken}`);
  });

  it("an ID token for another login (its nonce changed in transit) refuses the sign-in with invalid_id_token and stores nothing", async () => {
    const { page } = e2e.tab;
    // The backend's real answer, with the ID token's nonce swapped (the signature is not what the
    // library relies on: the nonce ties the token to this tab's login).
    await page.route("**/api/smartbills/token", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      const [header, , signature] = String(body.id_token).split(".");
      const claims = { ...jwtClaims(String(body.id_token)), nonce: "another-login-nonce-0123456789" };
      body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
      await route.fulfill({ response, json: body });
    });
    await page.goto("/dashboard");
    await passLoginPages(page, e2e.stack);
    await expect.poll(() => page.getByTestId("callback-error").getAttribute("data-code")).toBe("invalid_id_token");
    expect(await page.getByTestId("session-status").getAttribute("data-status")).toBe("unauthenticated");
    expect(await storedTokens(page, e2e.stack.clientId)).toBeNull();
    const shown = (await page.locator("body").textContent()) ?? "";
    expect(shown).not.toContain("another-login-nonce");
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });
});
