/// <reference types="node" />
/**
 * The example app's own end-to-end test, as an app would write it: a local Smartbills from
 * `@smartbills/react/dev-server`, the app built and served by Vite (its backend's exchange endpoint
 * proxied, as in development), and a real sign-in in Chromium. No Smartbills account, no network.
 *
 *   npm i -D vitest playwright-core oidc-provider      # and a Chromium
 *   npx vitest run e2e
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSmartbillsDevServer, type SmartbillsDevServer } from "@smartbills/react/dev-server";
import { createTokenHandler, toNodeHandler } from "@smartbills/react/server";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const appRoot = fileURLToPath(new URL("..", import.meta.url));
const chromePath = process.env["CHROME_PATH"] ?? "/usr/bin/chromium";
const CLIENT = { clientId: "example-app", clientSecret: "example-dev-secret" };

const listen = (server: Server, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

/** A free port on 127.0.0.1 for the app (its redirect URI must be known before the dev server starts). */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Without a Chromium, skipped on a developer's machine (loudly, by Vitest), never under CI.
const runnable = existsSync(chromePath) || process.env["CI"] === "true";

describe.skipIf(!runnable)("examples/react-router signs in against the Smartbills dev server", () => {
  let dev: SmartbillsDevServer;
  let backend: Server;
  let app: PreviewServer;
  let browser: Browser;
  let appUrl: string;
  const outDir = mkdtempSync(join(tmpdir(), "smartbills-example-e2e-"));

  beforeAll(async () => {
    const appPort = await freePort();
    appUrl = `http://127.0.0.1:${appPort}`;
    const redirectUri = `${appUrl}/callback`;
    dev = await startSmartbillsDevServer({ clients: [{ ...CLIENT, redirectUris: [redirectUri] }], log: false });

    // The app's backend: what server.ts runs, pointed at the dev server.
    backend = createServer(toNodeHandler(createTokenHandler({ ...CLIENT, authority: dev.authority, allowedRedirectUris: [redirectUri] })));
    const backendPort = await listen(backend);

    await build({
      root: appRoot,
      logLevel: "error",
      define: {
        "import.meta.env.VITE_SMARTBILLS_CLIENT_ID": JSON.stringify(CLIENT.clientId),
        "import.meta.env.VITE_SMARTBILLS_AUTHORITY": JSON.stringify(dev.authority),
      },
      build: { outDir, emptyOutDir: true },
    });
    app = await preview({
      root: appRoot,
      logLevel: "error",
      build: { outDir },
      preview: { host: "127.0.0.1", port: appPort, strictPort: true, proxy: { "/api/smartbills": `http://127.0.0.1:${backendPort}` } },
    });

    browser = await chromium.launch({
      executablePath: chromePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => (backend ? backend.close(resolve) : resolve(undefined)));
    await dev?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  /** A page that may reach 127.0.0.1 only (the example's API calls to api.smartbills.io are cut). */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    await context.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : route.abort()));
    return context.newPage();
  }

  it("signs alice in and shows who she is", async () => {
    const page = await newPage();
    await page.goto(appUrl);
    await page.getByRole("button", { name: "Sign in with Smartbills" }).click();
    await dev.signIn(page, { login: "alice" });

    await expect.poll(() => page.getByLabel("Signed-in user").textContent(), { timeout: 15_000 }).toBe("Signed in as Alice Martin");
    const url = new URL(page.url());
    expect(url.pathname).toBe("/invoices"); // back where the sign-in was headed
    expect(url.search).toBe(""); // no code or state left in the address bar
    // One code exchange, through the app's backend (the secret never reached the browser).
    expect(dev.requests.map((r) => [r.grantType, r.clientId, r.status])).toEqual([["authorization_code", CLIENT.clientId, 200]]);
    await page.context().close();
  }, 60_000);

  it("refuses a login that is no test user, and the app stays signed out", async () => {
    const page = await newPage();
    await page.goto(appUrl);
    await page.getByRole("button", { name: "Sign in with Smartbills" }).click();
    await expect(dev.signIn(page, { login: "mallory", timeoutMs: 5_000 })).rejects.toThrow(/"mallory" was refused/);
    await page.goto(appUrl);
    await expect.poll(() => page.getByRole("button", { name: "Sign in with Smartbills" }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByLabel("Signed-in user").count()).toBe(0);
    await page.context().close();
  }, 60_000);
});
