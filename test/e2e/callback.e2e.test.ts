/**
 * Hostile and unhappy callbacks in Chromium: a forged `state`, a refused consent, a replayed callback
 * URL, and off-origin `returnTo` values. None may cause a code exchange it should not, and every one
 * ends on the app's own origin. SECURITY.md items 3, 4 (E), 6, 8 (E).
 */
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectBrowser, hasBrowser } from "./browser";
import {
  callApi,
  grantCounts,
  openContext,
  openPage,
  passLoginPages,
  resetLogs,
  signIn,
  sleep,
  startStack,
  storedTokens,
  type DemoStack,
  type TrackedPage,
} from "./helpers";

describe.skipIf(!hasBrowser())("callback failures and open-redirect attempts", () => {
  let browser: Browser;
  let stack: DemoStack;
  let context: BrowserContext;
  let tab: TrackedPage;
  const noExchange = { backend: {}, authServer: {} };

  beforeAll(async () => {
    [browser, stack] = await Promise.all([connectBrowser(), startStack()]);
    context = await openContext(browser, stack);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    resetLogs(stack);
    tab = await openPage(context);
  });
  afterEach(async (context) => {
    if (context.task.result?.state === "fail" && tab.problems.length) console.error(tab.problems.join("\n"));
    await tab.close();
  });

  /** The error the callback page shows, once it shows one. */
  async function callbackError() {
    const error = tab.page.getByTestId("callback-error");
    await error.waitFor();
    return {
      code: await error.getAttribute("data-code"),
      message: await tab.page.getByTestId("callback-error-message").textContent(),
      description: (await tab.page.getByTestId("callback-error-description").count())
        ? await tab.page.getByTestId("callback-error-description").textContent()
        : null,
    };
  }

  it("a forged state is refused with no exchange request, while a login is pending (which still completes) and when none is [3]", async () => {
    const { page } = tab;
    // A login is pending (its transaction is in this tab's sessionStorage); an attacker's callback arrives.
    await page.goto("/");
    await page.getByTestId("login").click();
    await page.locator("input[name=login]").waitFor();
    const loginPage = page.url();
    const forged = `/callback?code=attacker-code-123&state=forged-state-456&iss=${encodeURIComponent(stack.authServer.issuer)}`;
    await page.goto(forged);
    expect((await callbackError()).code).toBe("state_mismatch");
    expect(page.url()).not.toContain("attacker-code");
    await sleep(300);
    expect(grantCounts(stack)).toEqual(noExchange);

    // The user's own pending login was not spoiled by the forged response: it still completes.
    await page.goto(loginPage);
    await passLoginPages(page, stack);
    await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status")).toBe("authenticated");
    expect(grantCounts(stack).backend).toEqual({ authorization_code: 1 });
    resetLogs(stack);

    // In a tab with no pending login at all.
    const other = await openPage(context);
    try {
      await other.page.goto(forged);
      await other.page.getByTestId("callback-error").waitFor();
      expect(await other.page.getByTestId("callback-error").getAttribute("data-code")).toBe("missing_transaction");
    } finally {
      await other.close();
    }
    await sleep(300);
    expect(grantCounts(stack)).toEqual(noExchange);
  });

  it("error=access_denied (consent cancelled) shows the server's description and makes no request", async () => {
    const { page } = tab;
    await page.goto("/");
    await page.getByTestId("login").click();
    await passLoginPages(page, stack, { deny: true });
    const error = await callbackError();
    expect(error.code).toBe("access_denied");
    expect(error.message).toMatch(/cancelled or refused/i);
    expect(error.description).toBe("End-User aborted interaction");
    expect(page.url()).toBe(`${stack.appUrl}/callback`);
    await sleep(300);
    expect(grantCounts(stack)).toEqual(noExchange);
  });

  it("a hostile error_description is shown as text, never as markup [6]", async () => {
    const { page } = tab;
    await page.goto("/");
    await page.getByTestId("login").click();
    await page.waitForURL((url) => url.origin === stack.authServer.issuer);
    // The pending login's real state, from the authorize request the browser made.
    const authorize = tab.requests.find((r) => r.url.startsWith(`${stack.authServer.issuer}/connect/authorize?`))!;
    const state = new URL(authorize.url).searchParams.get("state");
    expect(state).toBeTruthy();
    const description = '<img src=x onerror="window.__pwned=1">';
    await page.goto(`/callback?error=access_denied&error_description=${encodeURIComponent(description)}&state=${state}`);
    const error = await callbackError();
    expect(error.description).toBe(description);
    expect(await page.locator("[data-testid=callback-error] img").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(grantCounts(stack)).toEqual(noExchange);
  });

  it("a replayed callback URL makes no request, and the first token still works [4]", async () => {
    const { page, requests } = tab;
    await signIn(tab, stack);
    const first = await storedTokens(page, stack.clientId);
    const callbackUrl = requests.find((r) => r.isNavigation && r.url.startsWith(`${stack.appUrl}/callback?code=`))!.url;
    await sleep(300);
    expect(grantCounts(stack).backend).toEqual({ authorization_code: 1 });

    // The back button cannot reach the callback URL: its history entry was rewritten.
    await page.goBack();
    await page.waitForLoadState();
    expect(page.url()).not.toMatch(/[?&]code=/);
    await page.goForward();
    await page.waitForLoadState();
    expect(page.url()).not.toMatch(/[?&]code=/);

    // Re-opening the old callback URL in the same tab: refused before any request.
    await page.goto(callbackUrl);
    expect((await callbackError()).code).toBe("missing_transaction");
    expect(page.url()).toBe(`${stack.appUrl}/callback`);
    await sleep(300);
    expect(grantCounts(stack)).toEqual({ backend: { authorization_code: 1 }, authServer: { authorization_code: 1 } });

    // The grant was not revoked (oidc-provider revokes on a reused code): the first token still works.
    await page.getByTestId("callback-to-dashboard").click();
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    expect((await storedTokens(page, stack.clientId))?.accessToken).toBe(first?.accessToken);
    const answer = await callApi(page, { url: `${stack.authServer.url}/v1/me` });
    expect(answer.statuses).toEqual([200]);
    expect(answer.body).toMatchObject({ active: true, sub: "alice" });
    expect(grantCounts(stack)).toEqual({ backend: { authorization_code: 1 }, authServer: { authorization_code: 1 } });
  });

  it("off-origin returnTo values passed to login always end on the app's origin [8]", async () => {
    const { page } = tab;
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const hostile = ["//evil.com", "/\\evil.com", "\\/evil.com", "/\t/evil.com", "https:evil.com", "javascript:alert(1)", "https://evil.example/x"];
    for (const returnTo of hostile) {
      await page.goto(`/?returnTo=${encodeURIComponent(returnTo)}`);
      await page.getByTestId("login").click();
      await passLoginPages(page, stack);
      // The callback finishes, then navigates to the sanitised returnTo: the start page.
      await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status"), { message: returnTo }).toBe("authenticated");
      await expect.poll(() => new URL(page.url()).pathname, { message: returnTo }).toBe("/");
      await sleep(100);
      expect(new URL(page.url()).origin, returnTo).toBe(stack.appUrl);
      expect(page.url(), returnTo).toBe(`${stack.appUrl}/`);
      await page.getByTestId("logout").click();
      await expect.poll(() => page.getByTestId("login").isVisible()).toBe(true);
    }
    expect(dialogs).toBe(0);
    expect(grantCounts(stack).backend).toEqual({ authorization_code: hostile.length });

    // A same-origin path is kept, query and hash included.
    await page.goto(`/?returnTo=${encodeURIComponent("/dashboard?tab=api#call")}`);
    await page.getByTestId("login").click();
    await passLoginPages(page, stack);
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    expect(page.url()).toBe(`${stack.appUrl}/dashboard?tab=api#call`);
  });
});
