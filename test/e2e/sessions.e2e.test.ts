/**
 * Sessions across tabs (issue 5), in one browser context against the local authorization server:
 * sign-in and logout spread to the open tabs, a new tab joins without signing in, one refresh for
 * the whole browser when every tab sees the token expiring, and the cookie mode (refresh token in
 * the backend's HttpOnly cookie) survives a reload with no token in web storage and refuses a
 * cross-site refresh.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBrowser, hasBrowser } from "./browser";
import { grantCounts, passLoginPages, resetLogs, sleep, startStack, storedTokens, until, WAIT_MS, type DemoStack } from "./helpers";
import { isTokenActive } from "./oauth";

const TTL_S = 6;
const status = (page: Page) => page.getByTestId("session-status").getAttribute("data-status", { timeout: 500 });
const waitForStatus = (page: Page, expected: string, timeout = WAIT_MS) =>
  until(async () => (await status(page)) === expected, { timeout, message: `session-status ${expected} at ${page.url()}` });

/** Every string the page's script can read from storage and cookies. */
const scriptVisibleStorage = (page: Page) =>
  page.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, cookie: document.cookie }));

describe.skipIf(!hasBrowser())("sessions across tabs (default sessionStorage)", () => {
  let browser: Browser;
  let stack: DemoStack;
  let context: BrowserContext;

  beforeAll(async () => {
    [browser, stack] = await Promise.all([connectBrowser(), startStack({ accessTokenTtl: TTL_S })]);
    context = await browser.newContext({ baseURL: stack.appUrl });
    context.setDefaultTimeout(WAIT_MS);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("shows a sign-in in the open tabs, lets a new tab join, makes one refresh per expiry for all, and spreads logout", async () => {
    resetLogs(stack);
    const [first, second] = [await context.newPage(), await context.newPage()];
    await Promise.all([first.goto("/"), second.goto("/")]);
    await Promise.all([waitForStatus(first, "unauthenticated"), waitForStatus(second, "unauthenticated")]);

    // Sign in in the first tab: the second, already open, follows within a second.
    await first.goto("/dashboard");
    await passLoginPages(first, stack);
    await waitForStatus(first, "authenticated");
    const signedInAt = Date.now();
    await waitForStatus(second, "authenticated", 1_000);
    expect(Date.now() - signedInAt).toBeLessThan(1_000);

    // A tab opened now joins the session: no login, no code exchange, no refresh.
    const third = await context.newPage();
    await third.goto("/dashboard");
    await third.getByTestId("me-name").waitFor();
    expect(grantCounts(stack).backend).toEqual({ authorization_code: 1 });

    // Three tabs see the same token expiring: one refresh request per expiry for the whole browser.
    resetLogs(stack);
    const started = Date.now();
    await sleep(TTL_S * 1000 + 1_500);
    const elapsed = Date.now() - started;
    const refreshes = stack.backendRequests.filter((r) => r.grantType === "refresh_token");
    const atServer = stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token");
    console.info(`[sessions] 3 tabs over ${elapsed} ms of ${TTL_S} s tokens: ${refreshes.length} refresh request(s) at the backend, ${atServer.length} at the server`);
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    // Every ~half lifetime one refresh, not one per tab (which would be three times as many).
    expect(refreshes.length).toBeLessThanOrEqual(Math.ceil(elapsed / ((TTL_S * 1000) / 2)) + 1);
    // Rotation: a second tab redeeming a spent refresh token would get invalid_grant and revoke the grant.
    expect(atServer.map((r) => [r.status, r.error])).toEqual(atServer.map(() => [200, null]));
    for (const page of [first, second, third]) expect(await status(page)).toBe("authenticated");
    // Every tab holds the same, latest token set (each in its own sessionStorage).
    await sleep(300);
    const tokens = await Promise.all([first, second, third].map((page) => storedTokens(page, stack.clientId)));
    expect(new Set(tokens.map((t) => t?.refreshToken)).size).toBe(1);

    // Logout in one tab ends the session in all of them (a tab on a protected page then goes to sign
    // in again, through RequireAuth), and leaves no token anywhere.
    for (const page of [first, third]) await page.evaluate(() => sessionStorage.setItem("e2e.marker", "before-logout"));
    await second.getByTestId("logout").click();
    const loggedOutAt = Date.now();
    const auth = new URL(stack.authServer.issuer).origin;
    const signedOut = async (page: Page) => new URL(page.url()).origin === auth || (await status(page)) === "unauthenticated";
    await until(async () => (await signedOut(first)) && (await signedOut(third)), { timeout: 1_000, message: "logout in the other tabs" });
    expect(Date.now() - loggedOutAt).toBeLessThan(1_000);
    // Both were on a protected page, so each goes on to sign in again: let those navigations land
    // before leaving the pages (a goto racing them is interrupted).
    for (const page of [first, third]) await page.waitForURL((url) => url.origin === auth, { timeout: WAIT_MS });
    // Back on the app's public page, each tab's own sessionStorage is readable again: nothing left.
    for (const page of [first, second, third]) {
      await page.goto("/");
      await waitForStatus(page, "unauthenticated");
      const visible = await scriptVisibleStorage(page);
      expect(visible).not.toMatch(/smartbills\.token|accessToken/);
      if (page !== second) expect(visible).toContain("before-logout"); // the same tab storage as before
    }
    await Promise.all([first.close(), second.close(), third.close()]);
  });
});

describe.skipIf(!hasBrowser())('storage="cookie": the refresh token stays in the backend\'s HttpOnly cookie', () => {
  let browser: Browser;
  let stack: DemoStack;
  let context: BrowserContext;

  beforeAll(async () => {
    [browser, stack] = await Promise.all([connectBrowser(), startStack({ accessTokenTtl: TTL_S, storage: "cookie" })]);
    context = await browser.newContext({ baseURL: stack.appUrl });
    context.setDefaultTimeout(WAIT_MS);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("signs in, survives a reload with one request and no token in web storage, refreshes, and logs out through the endpoint", async () => {
    resetLogs(stack);
    const page = await context.newPage();
    await page.goto("/dashboard");
    await passLoginPages(page, stack);
    await page.getByTestId("me-name").waitFor();

    const cookies = await context.cookies(stack.appUrl);
    const refreshCookie = cookies.find((c) => c.name === "__Host-smartbills-refresh");
    expect(refreshCookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    const visible = await scriptVisibleStorage(page);
    expect(visible).not.toContain(refreshCookie!.value);
    expect(visible).not.toMatch(/smartbills\.token/);

    // Reload: the access token was in memory only; one request restores it from the cookie.
    resetLogs(stack);
    await page.reload();
    await page.getByTestId("me-name").waitFor();
    expect(grantCounts(stack).backend).toEqual({ refresh_token: 1 });
    expect(await scriptVisibleStorage(page)).not.toMatch(/smartbills\.token|accessToken/);

    // The token refreshes on its own through the cookie (rotated each time).
    resetLogs(stack);
    await until(() => stack.backendRequests.filter((r) => r.grantType === "refresh_token" && r.status === 200).length >= 1, { timeout: TTL_S * 1000 + 2_000, message: "a cookie refresh" });
    const rotated = (await context.cookies(stack.appUrl)).find((c) => c.name === "__Host-smartbills-refresh");
    expect(rotated?.value).not.toBe(refreshCookie!.value);

    // Logout clears the cookie through the endpoint (a DELETE), which revokes the token it held.
    const refreshCount = () => stack.backendRequests.filter((r) => r.grantType === "refresh_token").length;
    const atLogout = refreshCount();
    const held = (await context.cookies(stack.appUrl)).find((c) => c.name === "__Host-smartbills-refresh")!.value;
    await page.getByTestId("logout").click();
    await waitForStatus(page, "unauthenticated");
    await until(async () => !(await context.cookies(stack.appUrl)).some((c) => c.name === "__Host-smartbills-refresh"), { message: "the cookie cleared" });
    expect(stack.backendRequests.filter((r) => r.method === "DELETE").map((r) => r.status)).toEqual([204]);
    // (Unless a refresh rotated it in the few ms between reading and clicking: then it is dead anyway.)
    if (refreshCount() === atLogout) expect(await isTokenActive(stack, decodeURIComponent(held))).toBe(false);
    await page.close();
  });

  it("refuses a cross-site refresh: no CORS for another origin, and no request without the custom header", async () => {
    const page = await context.newPage();
    await page.goto("/dashboard");
    await passLoginPages(page, stack);
    await page.getByTestId("me-name").waitFor();
    resetLogs(stack);

    // A page on another origin (the authorization server's port: same site, other origin).
    const evil = await context.newPage();
    await evil.goto(`${stack.authServer.issuer}/.well-known/openid-configuration`);
    const outcome = await evil.evaluate(async (endpoint) => {
      const body = "grant_type=refresh_token&client_id=smartbills-demo";
      const results: string[] = [];
      try {
        // With the header: needs a CORS preflight, which the endpoint never grants.
        const res = await fetch(endpoint, { method: "POST", credentials: "include", headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Smartbills-Request": "1" }, body });
        results.push(`read ${res.status}`);
      } catch {
        results.push("blocked");
      }
      // Without it: a "simple" request goes out, but the endpoint refuses it.
      await fetch(endpoint, { method: "POST", mode: "no-cors", credentials: "include", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body }).catch(() => undefined);
      return results;
    }, `${stack.appUrl}/api/smartbills/token`);
    expect(outcome).toEqual(["blocked"]);
    await sleep(300);
    // Nothing was refreshed for the foreign page: whatever reached the endpoint was refused.
    expect(stack.backendRequests.filter((r) => r.status === 200)).toEqual([]);
    expect(stack.authServer.tokenRequests).toEqual([]);
    await Promise.all([page.close(), evil.close()]);
  });
});
