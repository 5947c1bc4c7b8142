/**
 * Signing out for real (issue 11), confidential client: `logout()` revokes the refresh token through
 * the backend's DELETE, so the old token is dead at Smartbills; `logout({ endSession: true })` also
 * ends the Smartbills session, so the next sign-in asks for the password again.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { signIn, storedTokens, until, useDemoStack, WAIT_MS, type DemoStack } from "./helpers";
import { isTokenActive, refreshDirectly } from "./oauth";

/** Clicks the app's "Sign in" and goes through the server's pages; resolves with the prompts shown. */
async function signInAgain(page: Page, stack: DemoStack, login = "alice"): Promise<("login" | "consent")[]> {
  await page.getByTestId("login").click();
  const { prompts } = await stack.authServer.signIn(page, { login, timeoutMs: WAIT_MS });
  await page.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
  return prompts;
}

const signedOut = (page: Page) => expect.poll(() => page.getByTestId("session-status").getAttribute("data-status")).toBe("unauthenticated");

describe.skipIf(!hasBrowser())("sign-out with the backend exchange endpoint", () => {
  const e2e = useDemoStack();

  it("revokes the refresh token with a DELETE through the backend: afterwards it is refused at the token endpoint", async () => {
    const { page, requests } = e2e.tab;
    const { stack } = e2e;
    await signIn(e2e.tab, stack);
    const refreshToken = (await storedTokens(page, stack.clientId))?.refreshToken;
    expect(refreshToken).toBeTruthy();
    expect(await isTokenActive(stack, refreshToken!)).toBe(true);

    await page.getByTestId("logout").click();
    await signedOut(page);
    const deletes = await until(() => {
      const done = stack.backendRequests.filter((r) => r.method === "DELETE" && r.status !== 0);
      return done.length ? done : null;
    }, { message: "the sign-out DELETE" });
    expect(deletes.map((r) => [r.status, r.origin])).toEqual([[204, stack.appUrl]]);
    // The browser sent the refresh token in the DELETE's form body, with the CSRF header.
    const sent = requests.filter((r) => r.method === "DELETE");
    expect(sent.map((r) => r.url)).toEqual([`${stack.appUrl}/api/smartbills/token`]);
    expect(new URLSearchParams(sent[0]!.request.postData() ?? "").get("refresh_token")).toBe(refreshToken);
    expect((await sent[0]!.request.allHeaders())["x-smartbills-request"]).toBe("1");
    // The token read above was the current one: nothing refreshed in between.
    expect(stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token")).toEqual([]);

    // Dead at Smartbills: introspection says so, and a refresh with it (and the secret) is refused.
    expect(await isTokenActive(stack, refreshToken!)).toBe(false);
    const replay = await refreshDirectly(stack, refreshToken!);
    expect([replay.status, replay.body.error]).toEqual([400, "invalid_grant"]);
    expect(JSON.stringify(replay.body)).not.toContain("access_token");
  });

  it("a plain sign-out keeps the Smartbills session (no password next time); 'Sign out of Smartbills too' ends it (login form shown)", async () => {
    const { page, requests } = e2e.tab;
    const { stack } = e2e;
    const { issuer } = stack.authServer;
    await signIn(e2e.tab, stack);

    // Control: the plain sign-out revokes here but leaves the server's session, so no login form.
    await page.getByTestId("logout").click();
    await signedOut(page);
    expect(await signInAgain(page, stack)).not.toContain("login");
    expect(await page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    const { idToken, refreshToken } = ((await storedTokens(page, stack.clientId)) ?? {}) as { idToken?: string; refreshToken?: string };
    expect(idToken && refreshToken).toBeTruthy();

    // From a page outside <RequireAuth> (the test below starts from one inside).
    await page.getByRole("link", { name: "Start" }).click();
    await page.getByTestId("go-dashboard").waitFor({ timeout: WAIT_MS });
    const atEnd = requests.length;
    await page.getByTestId("logout-end-session").click();
    // Through the end-session endpoint and back to the post-logout redirect URI, signed out.
    const toEndSession = (r: { isNavigation: boolean; url: string }) => r.isNavigation && r.url.startsWith(`${issuer}/connect/endsession?`);
    await until(() => requests.slice(atEnd).some(toEndSession), { message: "the end-session navigation" });
    await page.waitForURL((url) => url.origin === new URL(stack.appUrl).origin && url.pathname === "/", { timeout: WAIT_MS });
    await signedOut(page);
    const endSession = requests.slice(atEnd).filter(toEndSession);
    expect(endSession).toHaveLength(1);
    const params = new URL(endSession[0]!.url).searchParams;
    expect(params.get("id_token_hint")).toBe(idToken);
    expect(params.get("client_id")).toBe(stack.clientId);
    expect(params.get("post_logout_redirect_uri")).toBe(`${stack.appUrl}/`);
    expect(params.get("state")).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    // The refresh token was revoked first (the DELETE), then the browser left.
    expect(stack.backendRequests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([204, 204]);
    expect(await isTokenActive(stack, refreshToken!)).toBe(false);
    // Nothing of the session is left in the tab.
    expect(await storedTokens(page, stack.clientId)).toBeNull();

    // The next sign-in asks for the password again.
    expect(await signInAgain(page, stack)).toEqual(["login", "consent"]);
    expect(await page.getByTestId("user-name").textContent()).toBe("Alice Martin");
  });

  // A mounted <RequireAuth> sees the session end while the browser is leaving for the end-session
  // endpoint: it must not start a new login, whose navigation would win (the Smartbills session would
  // never end).
  it("'Sign out of Smartbills too' from a page under <RequireAuth> ends the session, and starts no new login", async () => {
    const { page, requests } = e2e.tab;
    const { stack } = e2e;
    const { issuer } = stack.authServer;
    await signIn(e2e.tab, stack);
    const atEnd = requests.length;
    await page.getByTestId("logout-end-session").click();
    await page.waitForURL((url) => url.origin === new URL(stack.appUrl).origin && url.pathname === "/", { timeout: WAIT_MS });
    await signedOut(page);
    const navigations = requests.slice(atEnd).filter((r) => r.isNavigation && r.url.startsWith(issuer));
    // To the end-session endpoint (and its self-submitting confirmation), never to /connect/authorize.
    expect(navigations.map((r) => new URL(r.url).pathname)).toEqual(["/connect/endsession", "/connect/endsession/confirm"]);
    expect(await signInAgain(page, stack)).toEqual(["login", "consent"]);
  });
});
