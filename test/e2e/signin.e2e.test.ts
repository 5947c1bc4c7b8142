/**
 * The confidential-client flow in Chromium, against the demo stack (oidc-provider + the Vite app +
 * the backend exchange endpoint), with the app in <StrictMode>.
 * SECURITY.md items 7 (code out of the URL and Referer), 11 (no token left after logout),
 * 13 (no token to a foreign origin).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { hasBrowser } from "./browser";
import { callApi, grantCounts, passLoginPages, signIn, sleep, storedTokens, until, useDemoStack } from "./helpers";

describe.skipIf(!hasBrowser())("sign-in with the backend exchange endpoint (confidential client)", () => {
  const e2e = useDemoStack();

  it("signs in from the login button through the login and consent pages, back to returnTo, with one code exchange [7]", async () => {
    const { page, requests } = e2e.tab;
    await page.goto("/?returnTo=" + encodeURIComponent("/dashboard?view=compact"));
    await page.getByTestId("login").click();
    await passLoginPages(page, e2e.stack, { user: "alice" });
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");

    // Back where the login asked to return, with nothing of the callback left in the address bar.
    const landed = new URL(page.url());
    expect(landed.origin).toBe(e2e.stack.appUrl);
    expect(landed.pathname + landed.search).toBe("/dashboard?view=compact");
    expect(page.url()).not.toMatch(/[?&#](code|state|iss)=/);

    // Exactly one exchange, through the backend, also under StrictMode (let any straggler arrive).
    await sleep(500);
    expect(grantCounts(e2e.stack)).toEqual({ backend: { authorization_code: 1 }, authServer: { authorization_code: 1 } });
    expect(e2e.stack.backendRequests[0]).toMatchObject({ status: 200, origin: e2e.stack.appUrl });
    expect(e2e.stack.authServer.tokenRequests[0]).toMatchObject({ status: 200, clientId: e2e.stack.clientId });

    // Item 7: after the callback's own navigation, no URL and no Referer carries the code.
    const callbackIndex = requests.findIndex((r) => r.isNavigation && r.url.startsWith(`${e2e.stack.appUrl}/callback?`));
    expect(callbackIndex).toBeGreaterThan(-1);
    const code = new URL(requests[callbackIndex]!.url).searchParams.get("code")!;
    expect(code).toBeTruthy();
    const later = requests.slice(callbackIndex + 1);
    expect(later.length).toBeGreaterThan(5); // the app's modules, the exchange, the API calls
    for (const { url, request } of later) {
      const headers = await request.allHeaders();
      expect(url, "a request URL after the callback").not.toMatch(/[?&#]code=/);
      expect(url).not.toContain(code);
      expect(headers.referer ?? "", `the Referer of ${url}`).not.toMatch(/[?&#]code=/);
      expect(Object.values(headers).join("\n")).not.toContain(code);
    }
    // The exchange itself went out with no Referer at all.
    const exchange = later.find((r) => r.url === `${e2e.stack.appUrl}/api/smartbills/token`);
    expect(exchange).toBeDefined();
    expect((await exchange!.request.allHeaders()).referer).toBeUndefined();
  });

  it("RequireAuth sends a signed-out visitor to sign in and brings them back to the page they asked for", async () => {
    const { page } = e2e.tab;
    await page.goto("/dashboard?from=bookmark#api");
    await expect.poll(() => new URL(page.url()).origin).toBe(e2e.stack.authServer.issuer);
    await passLoginPages(page, e2e.stack, { user: "bob" });
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Bob Tremblay");
    const landed = new URL(page.url());
    expect(landed.pathname + landed.search + landed.hash).toBe("/dashboard?from=bookmark#api");
    expect(grantCounts(e2e.stack).backend).toEqual({ authorization_code: 1 });
  });

  it("calls the API with the bearer token, and with the on-behalf-of header after switching accounts", async () => {
    const { page, requests } = e2e.tab;
    await signIn(e2e.tab, e2e.stack, { user: "alice" });
    const tokens = await storedTokens(page, e2e.stack.clientId);
    expect(tokens?.accessToken).toBeTruthy();

    const mine = await callApi(page, { url: `${e2e.stack.authServer.url}/v1/me` });
    expect(mine.statuses).toEqual([200]);
    expect(mine.body).toMatchObject({ active: true, kind: "user", sub: "alice", clientId: e2e.stack.clientId, onBehalfOf: null });
    const last = () => e2e.stack.authServer.apiRequests.at(-1)!;
    expect(last()).toMatchObject({ path: "/v1/me", status: 200, sub: "alice", clientId: e2e.stack.clientId, onBehalfOf: null });

    // The header the browser really sent: the stored access token, as a Bearer token.
    const apiCall = requests.filter((r) => r.url === `${e2e.stack.authServer.url}/v1/me` && r.method === "GET").at(-1)!;
    const sent = await apiCall.request.allHeaders();
    expect(sent.authorization).toBe(`Bearer ${tokens!.accessToken}`);
    expect(sent["on-behalf-of"]).toBeUndefined();

    // Switch to a connected account: the provider's onBehalfOf changes, every call carries it.
    await page.getByTestId("account-option-acct_bakery").check();
    await expect.poll(() => page.getByTestId("me-account").getAttribute("data-account-id")).toBe("acct_bakery");
    const asBakery = await callApi(page);
    expect(asBakery.statuses).toEqual([200]);
    expect(asBakery.body).toMatchObject({ active: true, sub: "alice", onBehalfOf: { id: "acct_bakery", name: "Corner Bakery" } });
    expect(last()).toMatchObject({ path: "/v1/me", status: 200, sub: "alice", onBehalfOf: "acct_bakery" });

    const accounts = await callApi(page, { url: `${e2e.stack.authServer.url}/v1/accounts` });
    expect(accounts.statuses).toEqual([200]);
    expect(last()).toMatchObject({ path: "/v1/accounts", status: 200, onBehalfOf: "acct_bakery" });

    // Every API request of this test was authenticated (no 401 anywhere).
    expect(e2e.stack.authServer.apiRequests.every((r) => r.status === 200)).toBe(true);
  });

  it("keeps the session over a reload (sessionStorage); logout leaves no token in any storage or cookie [11]", async () => {
    const { page, requests } = e2e.tab;
    await signIn(e2e.tab, e2e.stack);
    const seen = new Set<string>();
    const remember = async () => {
      const tokens = await storedTokens(page, e2e.stack.clientId);
      if (tokens?.accessToken) seen.add(tokens.accessToken);
      if (tokens?.refreshToken) seen.add(tokens.refreshToken);
      return tokens;
    };
    expect((await remember())?.refreshToken).toBeTruthy();

    // Reload: signed in at once, no new login, no new exchange.
    const before = requests.length;
    await page.reload();
    await expect.poll(() => page.getByTestId("me-name").textContent()).toBe("Alice Martin");
    expect(page.url()).toBe(`${e2e.stack.appUrl}/dashboard`);
    expect(requests.slice(before).some((r) => r.url.startsWith(`${e2e.stack.authServer.issuer}/connect/authorize`))).toBe(false);
    expect(grantCounts(e2e.stack).backend.authorization_code).toBe(1);
    await remember();

    // Logout: home, signed out, and no new sign-in started by the dashboard on its way out.
    const atLogout = requests.length;
    await page.getByTestId("logout").click();
    await expect.poll(() => page.getByTestId("session-status").getAttribute("data-status")).toBe("unauthenticated");
    await expect.poll(() => new URL(page.url()).pathname).toBe("/");
    await sleep(500);
    expect(page.url()).toBe(`${e2e.stack.appUrl}/`);
    expect(requests.slice(atLogout).filter((r) => r.url.startsWith(e2e.stack.authServer.issuer)).map((r) => r.url)).toEqual([]);
    await expect(page.getByTestId("login").isVisible()).resolves.toBe(true);
    const leftovers = await page.evaluate(() => {
      const dump = (storage: Storage) => Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`);
      return { local: dump(localStorage), session: dump(sessionStorage), cookie: document.cookie };
    });
    const all = [...leftovers.local, ...leftovers.session, leftovers.cookie].join("\n");
    for (const token of seen) expect(all).not.toContain(token);
    expect(leftovers.session.filter((entry) => entry.startsWith("smartbills."))).toEqual([]);

    // And the session is really gone: the dashboard asks to sign in again.
    await page.goto("/dashboard");
    await expect.poll(() => new URL(page.url()).origin).toBe(e2e.stack.authServer.issuer);
  });

  it("useSmartbillsFetch sends nothing to a foreign origin [13]", async () => {
    const { page, requests } = e2e.tab;
    // A server on another port of 127.0.0.1 (another origin) that counts every request, preflights included.
    let hits = 0;
    const foreign: Server = createServer((req, res) => {
      hits++;
      res.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/plain" }).end("ok");
    });
    await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
    const foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/steal`;
    try {
      await signIn(e2e.tab, e2e.stack);
      for (const url of [foreignUrl, "https://evil.example/steal", `${foreignUrl}?on-behalf-of=x`]) {
        const answer = await callApi(page, { url });
        expect(answer.error?.code, url).toBe("untrusted_origin");
      }
      await sleep(300);
      expect(hits).toBe(0);
      expect(requests.some((r) => r.url.startsWith(foreignUrl.replace("/steal", "")) || r.url.includes("evil.example"))).toBe(false);

      // The counter works: a plain fetch from the page does reach it.
      await page.evaluate((url) => fetch(url).then((r) => r.text()), foreignUrl);
      await until(() => hits === 1, { message: "the control request" });

      // The API itself still works from the same page.
      const ok = await callApi(page, { url: `${e2e.stack.authServer.url}/v1/me` });
      expect(ok.statuses).toEqual([200]);
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()));
    }
  });
});
