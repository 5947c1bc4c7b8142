// The dev server in Chromium: dev.signIn() on real pages (also under /auth), and RP-Initiated
// Logout whose page submits itself, after which the next sign-in asks for the password again.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmartbillsDevServer } from "../../src/dev-server/start";
import type { SmartbillsDevServer } from "../../src/dev-server/types";
import { basic, claimsOf, pkce, post } from "./helpers";

const chromePath = process.env["CHROME_PATH"] ?? "/usr/bin/chromium";
const runnable = existsSync(chromePath) || process.env["CI"] === "true";

describe.skipIf(!runnable)("in Chromium", () => {
  let browser: Browser;
  let app: Server;
  let appUrl: string;
  const servers: SmartbillsDevServer[] = [];

  beforeAll(async () => {
    // The "app": any page, so that the callback and the post-logout redirect land somewhere.
    app = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>app</title><p>app</p>"));
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: chromePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)));
  });

  async function start(basePath: string): Promise<SmartbillsDevServer> {
    const dev = await startSmartbillsDevServer({ basePath, clients: [{ clientId: "app", clientSecret: "secret", redirectUris: [`${appUrl}/callback`], tokenEndpointAuthMethod: "client_secret_basic" }], log: false });
    servers.push(dev);
    return dev;
  }

  /** Opens the authorize URL on `page`, signs in with dev.signIn, exchanges the code. */
  async function signInOn(page: Page, dev: SmartbillsDevServer): Promise<{ idToken: string; prompts: string[] }> {
    const { verifier, challenge } = pkce();
    const url = new URL(`${dev.authority}/connect/authorize`);
    const params = { response_type: "code", client_id: "app", redirect_uri: `${appUrl}/callback`, scope: "openid offline_access", state: "s1", nonce: "n1", code_challenge: challenge, code_challenge_method: "S256" };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    await page.goto(url.href);
    const { prompts } = await dev.signIn(page, { login: "bob" });
    const callback = new URL(page.url());
    expect(`${callback.origin}${callback.pathname}`).toBe(`${appUrl}/callback`);
    expect(callback.searchParams.get("iss")).toBe(dev.authority);
    const { body } = await post(dev, "/connect/token", {
      grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: `${appUrl}/callback`, code_verifier: verifier,
    }, { authorization: basic("app", "secret") }); // Basic: the only way under /auth, and chosen here for both
    expect(claimsOf(body.id_token!)).toMatchObject({ sub: "bob", name: "Bob Tremblay", email: "bob@example.com", nonce: "n1" });
    return { idToken: body.id_token!, prompts };
  }

  it.each(["", "/auth"])("signs in with dev.signIn, ends the session, and the next sign-in asks for the password (basePath %j)", async (basePath) => {
    const dev = await start(basePath);
    const context = await browser.newContext();
    const page = await context.newPage();
    const { idToken, prompts } = await signInOn(page, dev);
    expect(prompts).toEqual(["login", "consent"]);
    expect((await signInOn(page, dev)).prompts).toEqual(["consent"]); // the session stands: no password

    const logout = new URL(`${dev.authority}/connect/endsession`);
    logout.search = new URLSearchParams({ id_token_hint: idToken, client_id: "app", post_logout_redirect_uri: `${appUrl}/`, state: "bye" }).toString();
    await page.goto(logout.href);
    await page.waitForURL((url) => url.origin === appUrl, { timeout: 10_000 }); // the page submitted itself
    expect(page.url()).toBe(`${appUrl}/?state=bye`);

    expect((await signInOn(page, dev)).prompts).toEqual(["login", "consent"]); // the password again
    await context.close();
  }, 60_000);

  it("times out clearly when the page never reaches the dev server", async () => {
    const dev = await start("");
    const page = await browser.newPage();
    await page.goto(appUrl);
    await expect(dev.signIn(page, { login: "alice", timeoutMs: 500 })).rejects.toThrow(/no sign-in page of the dev server appeared within 500 ms/);
    await page.close();
  }, 30_000);
});
