/**
 * Backend for frontend in Chromium (`npm run demo -- --mode bff`, sessions in memory): the demo's
 * backend mounts `createSmartbillsBff` at /api/smartbills on the app's origin (http://127.0.0.1:<port>:
 * Chromium takes the `Secure`, `__Host-` session cookie there, as a potentially trustworthy origin),
 * and the app renders `<SmartbillsProvider bff="/api/smartbills">`. Access tokens live 5 s, so the
 * server refreshes them during the tests. No token may ever be visible to the page.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { expectNoTokenVisible, recordBodies, serverSession, sessionCookie, statusOf } from "./bffHelpers";
import { callApi, signIn, sleep, until, useDemoStack, WAIT_MS, type DemoStack } from "./helpers";

const authOrigin = (stack: DemoStack) => new URL(stack.authServer.issuer).origin;

/** Clicks the start page's "Sign in" and goes through the server's pages; resolves with the prompts shown. */
async function signInAgain(page: Page, stack: DemoStack): Promise<("login" | "consent")[]> {
  await page.getByTestId("login").click();
  const { prompts } = await stack.authServer.signIn(page, { login: "alice", timeoutMs: WAIT_MS });
  await page.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
  return prompts;
}

/** Goes to the start page in-app (outside <RequireAuth>), still signed in. */
async function toStart(page: Page): Promise<void> {
  await page.getByRole("link", { name: "Start" }).click();
  await page.getByTestId("go-dashboard").waitFor({ timeout: WAIT_MS });
}

describe.skipIf(!hasBrowser())("backend for frontend (memory store), in Chromium", () => {
  const e2e = useDemoStack({ mode: "bff", accessTokenTtl: 5 });

  it("signs in through the BFF and calls /v1/me through its proxy; the page never sees a token", async () => {
    const { stack, context } = e2e;
    const { page, requests } = e2e.tab;
    const bodies = recordBodies(page);
    await signIn(e2e.tab, stack);
    expect(await page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    expect(await page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    // The sign-in started at the BFF and came back to its callback, which set the session cookie.
    const navigations = requests.filter((r) => r.isNavigation).map((r) => new URL(r.url));
    expect(navigations.some((url) => url.pathname === "/api/smartbills/login")).toBe(true);
    expect(navigations.some((url) => url.pathname === "/api/smartbills/callback")).toBe(true);
    expect(await sessionCookie(context)).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });

    const answer = await callApi(page);
    expect(answer).toMatchObject({ statuses: [200], body: { sub: "alice", active: true } });
    // The page called its own origin's proxy, never the API or the token endpoint itself.
    const apiCalls = requests.filter((r) => !r.isNavigation && new URL(r.url).pathname.startsWith("/api/smartbills/api/"));
    expect(apiCalls.length).toBeGreaterThanOrEqual(2);
    expect(apiCalls.every((r) => new URL(r.url).origin === stack.appUrl)).toBe(true);
    expect(requests.filter((r) => !r.isNavigation && new URL(r.url).origin === authOrigin(stack))).toEqual([]);
    // The API saw alice's token, sent by the BFF.
    expect(stack.authServer.apiRequests.filter((r) => r.path === "/v1/me" && r.status === 200 && r.sub === "alice").length).toBeGreaterThanOrEqual(2);

    await expectNoTokenVisible(page, stack, bodies);
  });

  it("a reload and a new tab are still signed in, with no new sign-in", async () => {
    const { stack, context } = e2e;
    const { page, requests } = e2e.tab;
    await signIn(e2e.tab, stack);
    const codes = () => stack.authServer.tokenRequests.filter((r) => r.grantType === "authorization_code").length;
    expect(codes()).toBe(1);

    const before = requests.length;
    await page.reload();
    await page.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId("user-name").textContent()).toBe("Alice Martin");
    const again = requests.slice(before).filter((r) => r.isNavigation && (new URL(r.url).pathname === "/api/smartbills/login" || new URL(r.url).origin === authOrigin(stack)));
    expect(again).toEqual([]);

    const other = await context.newPage();
    try {
      const bodies = recordBodies(other);
      await other.goto("/dashboard");
      await other.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
      expect(await other.getByTestId("user-name").textContent()).toBe("Alice Martin");
      expect(new URL(other.url()).pathname).toBe("/dashboard");
      expect(codes()).toBe(1);
      await expectNoTokenVisible(other, stack, bodies);
    } finally {
      await other.close();
    }
  });

  it("signing out in one tab signs out the others, and ends the session on the server", async () => {
    const { stack, context } = e2e;
    const { page } = e2e.tab;
    await signIn(e2e.tab, stack);
    const cookie = (await sessionCookie(context))?.value;
    expect(cookie).toBeTruthy();
    // The other tab on the start page (outside <RequireAuth>, which would start a new sign-in).
    const other = await context.newPage();
    try {
      await other.goto("/");
      await expect.poll(() => statusOf(other)).toBe("authenticated");

      // From the start page (a test below signs out from under <RequireAuth>).
      await toStart(page);
      await page.getByTestId("logout").click();
      await expect.poll(() => statusOf(page)).toBe("unauthenticated");
      await expect.poll(() => statusOf(other)).toBe("unauthenticated");
      expect(await sessionCookie(context)).toBeUndefined();
      // The old session id, replayed, is nobody's.
      expect(await serverSession(context, stack, cookie)).toMatchObject({ authenticated: false });
      const replay = await context.request.get(`${stack.appUrl}/api/smartbills/api/v1/me`, {
        headers: { cookie: `__Host-smartbills-session=${cookie}`, "x-smartbills-request": "1" },
        timeout: 10_000,
      });
      expect(replay.status()).toBe(401);
      expect(await replay.json()).toMatchObject({ error: "login_required" });
    } finally {
      await other.close();
    }
  });

  it("'Sign out of Smartbills too' goes through the end-session endpoint (no id_token_hint); the next sign-in asks for the password", async () => {
    const { stack } = e2e;
    const { page, requests } = e2e.tab;
    await signIn(e2e.tab, stack);
    // Control: a plain sign-out keeps the Smartbills session, so signing in again asks for no password.
    await toStart(page);
    await page.getByTestId("logout").click();
    await expect.poll(() => statusOf(page)).toBe("unauthenticated");
    await page.goto("/");
    expect(await signInAgain(page, stack)).not.toContain("login");

    const atEnd = requests.length;
    await page.getByTestId("logout-end-session").click();
    const toEndSession = (r: { isNavigation: boolean; url: string }) => r.isNavigation && r.url.startsWith(`${stack.authServer.issuer}/connect/endsession?`);
    await until(() => requests.slice(atEnd).some(toEndSession), { message: "the end-session navigation" });
    // Without an id_token_hint (no token reaches the page), Smartbills asks the user to confirm.
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((url) => url.origin === stack.appUrl && url.pathname === "/", { timeout: WAIT_MS });
    await expect.poll(() => statusOf(page)).toBe("unauthenticated");
    const params = new URL(requests.slice(atEnd).find(toEndSession)!.url).searchParams;
    expect(params.get("id_token_hint")).toBeNull();
    expect(params.get("client_id")).toBe(stack.clientId);
    // No new sign-in was started on the way out.
    expect(requests.slice(atEnd).filter((r) => r.isNavigation && new URL(r.url).pathname.endsWith("/connect/authorize"))).toEqual([]);

    expect(await signInAgain(page, stack)).toEqual(["login", "consent"]);
    expect(await page.getByTestId("user-name").textContent()).toBe("Alice Martin");
  });

  it("the 5 s access token is refreshed by the server: API calls keep working after 6 s, with no token request from the browser", async () => {
    const { stack } = e2e;
    const { page, requests } = e2e.tab;
    const bodies = recordBodies(page);
    // What the BFF itself recorded in this test (its record is not reset between tests).
    const grantsBefore = stack.bff!.record.grants.length;
    await signIn(e2e.tab, stack);
    const signedInAt = Date.now();
    expect(await callApi(page)).toMatchObject({ statuses: [200], body: { sub: "alice" } });
    // Past the first access token's life: the BFF must have refreshed to answer these.
    await sleep(Math.max(0, 6_000 - (Date.now() - signedInAt)));
    expect(await callApi(page)).toMatchObject({ statuses: [200], body: { sub: "alice", active: true } });
    expect(await callApi(page, { burst: true })).toMatchObject({ statuses: [200, 200, 200, 200, 200] });
    await sleep(3_000);
    expect(await callApi(page)).toMatchObject({ statuses: [200], body: { sub: "alice" } });

    const refreshes = stack.authServer.tokenRequests.filter((r) => r.grantType === "refresh_token");
    expect(refreshes.length).toBeGreaterThanOrEqual(1);
    // From the backend: the confidential client with its secret, no Origin (no browser sends that request).
    for (const refresh of refreshes) expect(refresh).toMatchObject({ status: 200, clientId: stack.clientId, authMethod: "client_secret_post", origin: null });
    expect(stack.bff!.record.grants.slice(grantsBefore).filter((g) => g.grantType === "refresh_token").length).toBe(refreshes.length);
    // The browser asked the authorization server for nothing after the sign-in pages.
    expect(requests.filter((r) => !r.isNavigation && new URL(r.url).origin === authOrigin(stack))).toEqual([]);
    expect(requests.filter((r) => r.url.includes("/connect/token"))).toEqual([]);
    // The rotated tokens did not reach the page either.
    await expectNoTokenVisible(page, stack, bodies);
  });

  // A mounted <RequireAuth> sees the session end: the navigation to returnTo must come first, or its
  // login() would send the user straight back to Smartbills.
  it("a plain sign-out from a page under <RequireAuth> lands on / signed out, with no new sign-in", async () => {
    const { stack } = e2e;
    const { page, requests } = e2e.tab;
    await signIn(e2e.tab, stack);
    const atLogout = requests.length;
    await page.getByTestId("logout").click();
    await page.waitForURL((url) => url.origin === stack.appUrl && url.pathname === "/", { timeout: WAIT_MS });
    await expect.poll(() => statusOf(page)).toBe("unauthenticated");
    await sleep(1_000);
    expect(requests.slice(atLogout).filter((r) => r.isNavigation && new URL(r.url).pathname === "/api/smartbills/login")).toEqual([]);
  });

  it("a session id the browser invents gets nothing: /session is signed out, the proxy answers 401 and forwards nothing", async () => {
    const { stack, context } = e2e;
    const { page } = e2e.tab;
    const forged = "A".repeat(43);
    await page.goto("/");
    // A cookie the page's own script plants (an XSS, or a sibling app): it is no session.
    await page.evaluate((value) => (document.cookie = `__Host-smartbills-session=${value}; Path=/; Secure; SameSite=Lax`), forged);
    expect((await context.cookies()).find((cookie) => cookie.name === "__Host-smartbills-session")?.value).toBe(forged);
    await page.reload();
    await expect.poll(() => statusOf(page)).toBe("unauthenticated");
    const apiCalls = stack.authServer.apiRequests.length;
    const status = await page.evaluate(async () => (await fetch("/api/smartbills/api/v1/me", { headers: { "X-Smartbills-Request": "1" } })).status);
    expect(status).toBe(401);
    // Without the CSRF header: 403, nothing forwarded either.
    const noCsrf = await page.evaluate(async () => (await fetch("/api/smartbills/api/v1/me")).status);
    expect(noCsrf).toBe(403);
    expect(stack.authServer.apiRequests.length).toBe(apiCalls);
  });
});
