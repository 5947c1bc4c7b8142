/**
 * Hostile and unhappy callbacks in Chromium: a forged `state`, a refused consent, a replayed callback
 * URL, and off-origin `returnTo` values. None may cause a code exchange it should not, and every one
 * ends on the app's own origin. SECURITY.md items 3, 4 (E), 6, 8 (E).
 */
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { callApi, grantCounts, openPage, passLoginPages, resetLogs, signIn, sleep, storedTokens, useDemoStack } from "./helpers";

describe.skipIf(!hasBrowser())("callback failures and open-redirect attempts", () => {
  const e2e = useDemoStack();
  const noExchange = { backend: {}, authServer: {} };

  /** The error the callback page shows, once it shows one. */
  async function callbackError() {
    const error = e2e.tab.page.getByTestId("callback-error");
    await error.waitFor();
    return {
      code: await error.getAttribute("data-code"),
      message: await e2e.tab.page.getByTestId("callback-error-message").textContent(),
      description: (await e2e.tab.page.getByTestId("callback-error-description").count())
        ? await e2e.tab.page.getByTestId("callback-error-description").textContent()
        : null,
    };
  }

  it("a forged state is refused with no exchange request, while a login is pending (which still completes) and when none is [3]", async () => {
    const { page } = e2e.tab;
    // A login is pending (its transaction is in this tab's sessionStorage); an attacker's callback arrives.
    await page.goto("/");
    await page.getByTestId("login").click();
    await page.locator("input[name=login]").waitFor();
    const loginPage = page.url();
    const forged = `/callback?code=attacker-code-123&state=forged-state-456&iss=${encodeURIComponent(e2e.stack.authServer.issuer)}`;
    await page.goto(forged);
    expect((await callbackError()).code).toBe("state_mismatch");
    expect(page.url()).not.toContain("attacker-code");
    await sleep(300);
    expect(grantCounts(e2e.stack)).toEqual(noExchange);

    // The user's own pending login was not spoiled by the forged response: it still completes.
    await page.goto(loginPage);
    await passLoginPages(page, e2e.stack);
    await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status")).toBe("authenticated");
    expect(grantCounts(e2e.stack).backend).toEqual({ authorization_code: 1 });
    resetLogs(e2e.stack);

    // In a tab with no pending login at all.
    const other = await openPage(e2e.context);
    try {
      await other.page.goto(forged);
      await other.page.getByTestId("callback-error").waitFor();
      expect(await other.page.getByTestId("callback-error").getAttribute("data-code")).toBe("missing_transaction");
    } finally {
      await other.close();
    }
    await sleep(300);
    expect(grantCounts(e2e.stack)).toEqual(noExchange);
  });

  it("error=access_denied (consent cancelled) shows the server's description and makes no request", async () => {
    const { page } = e2e.tab;
    await page.goto("/");
    await page.getByTestId("login").click();
    await passLoginPages(page, e2e.stack, { deny: true });
    const error = await callbackError();
    expect(error.code).toBe("access_denied");
    expect(error.message).toMatch(/cancelled or refused/i);
    expect(error.description).toBe("End-User aborted interaction");
    expect(page.url()).toBe(`${e2e.stack.appUrl}/callback`);
    await sleep(300);
    expect(grantCounts(e2e.stack)).toEqual(noExchange);
  });

  it("a hostile error_description is shown as text, never as markup [6]", async () => {
    const { page } = e2e.tab;
    await page.goto("/");
    await page.getByTestId("login").click();
    await page.waitForURL((url) => url.origin === e2e.stack.authServer.issuer);
    // The pending login's real state, from the authorize request the browser made.
    const authorize = e2e.tab.requests.find((r) => r.url.startsWith(`${e2e.stack.authServer.issuer}/connect/authorize?`))!;
    const state = new URL(authorize.url).searchParams.get("state");
    expect(state).toBeTruthy();
    const description = '<img src=x onerror="window.__pwned=1">';
    await page.goto(`/callback?error=access_denied&error_description=${encodeURIComponent(description)}&state=${state}`);
    const error = await callbackError();
    expect(error.description).toBe(description);
    expect(await page.locator("[data-testid=callback-error] img").count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(grantCounts(e2e.stack)).toEqual(noExchange);
  });

  it("a replayed callback URL makes no request, and the first token still works [4]", async () => {
    const { page, requests } = e2e.tab;
    await signIn(e2e.tab, e2e.stack);
    const first = await storedTokens(page, e2e.stack.clientId);
    const callbackUrl = requests.find((r) => r.isNavigation && r.url.startsWith(`${e2e.stack.appUrl}/callback?code=`))!.url;
    await sleep(300);
    expect(grantCounts(e2e.stack).backend).toEqual({ authorization_code: 1 });

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
    expect(page.url()).toBe(`${e2e.stack.appUrl}/callback`);
    await sleep(300);
    expect(grantCounts(e2e.stack)).toEqual({ backend: { authorization_code: 1 }, authServer: { authorization_code: 1 } });

    // The grant was not revoked (oidc-provider revokes on a reused code): the first token still works.
    await page.getByTestId("callback-to-dashboard").click();
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    expect((await storedTokens(page, e2e.stack.clientId))?.accessToken).toBe(first?.accessToken);
    const answer = await callApi(page, { url: `${e2e.stack.authServer.url}/v1/me` });
    expect(answer.statuses).toEqual([200]);
    expect(answer.body).toMatchObject({ active: true, sub: "alice" });
    expect(grantCounts(e2e.stack)).toEqual({ backend: { authorization_code: 1 }, authServer: { authorization_code: 1 } });
  });

  it("off-origin returnTo values passed to login always end on the app's origin [8]", async () => {
    const { page } = e2e.tab;
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const hostile = ["//evil.com", "/\\evil.com", "\\/evil.com", "/\t/evil.com", "https:evil.com", "javascript:alert(1)", "https://evil.example/x"];
    for (const returnTo of hostile) {
      await page.goto(`/?returnTo=${encodeURIComponent(returnTo)}`);
      await page.getByTestId("login").click();
      await passLoginPages(page, e2e.stack);
      // The callback finishes, then navigates to the sanitised returnTo: the start page.
      await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status"), { message: returnTo }).toBe("authenticated");
      await expect.poll(() => new URL(page.url()).pathname, { message: returnTo }).toBe("/");
      await sleep(100);
      expect(new URL(page.url()).origin, returnTo).toBe(e2e.stack.appUrl);
      expect(page.url(), returnTo).toBe(`${e2e.stack.appUrl}/`);
      await page.getByTestId("logout").click();
      await expect.poll(() => page.getByTestId("login").isVisible()).toBe(true);
    }
    expect(dialogs).toBe(0);
    expect(grantCounts(e2e.stack).backend).toEqual({ authorization_code: hostile.length });

    // A same-origin path is kept, query and hash included.
    await page.goto(`/?returnTo=${encodeURIComponent("/dashboard?tab=api#call")}`);
    await page.getByTestId("login").click();
    await passLoginPages(page, e2e.stack);
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    expect(page.url()).toBe(`${e2e.stack.appUrl}/dashboard?tab=api#call`);
  });
});
