/**
 * The one Chromium of the e2e run. `globalSetup` (below) launches it once as a browser server; each
 * test file connects to it with {@link connectBrowser}. Without an executable, the suite is skipped
 * on a developer's machine (the `npm test` wrapper prints a loud line) and fails loudly under CI=true.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserServer } from "playwright-core";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The browser server's endpoint; "" when there is no browser (the suite is skipped). */
    browserWsEndpoint: string;
  }
}

export const CHROME_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

const INSTALL_HINT =
  "Install Chromium (Debian/Ubuntu: apt-get install -y chromium) or set CHROME_PATH to a Chromium/Chrome executable.";

/** The Chromium executable to use: `CHROME_PATH`, else `/usr/bin/chromium`; null when it does not exist. */
export function chromiumPath(): string | null {
  const path = process.env.CHROME_PATH || "/usr/bin/chromium";
  return existsSync(path) ? path : null;
}

/** Launches Chromium headless with the flags the e2e tests need (no sandbox, no background traffic). */
export function launchChromium(): Promise<Browser> {
  const executablePath = requireChromium();
  return chromium.launch({ executablePath, args: CHROME_ARGS, headless: true, timeout: 30_000 });
}

function requireChromium(): string {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(`No Chromium at ${process.env.CHROME_PATH || "/usr/bin/chromium"}: the browser tests cannot run. ${INSTALL_HINT}`);
  }
  return executablePath;
}

/** Vitest global setup: one browser server for every test file of the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!chromiumPath()) {
    if (process.env.CI === "true") {
      throw new Error(`✖ CI=true but no Chromium at ${process.env.CHROME_PATH || "/usr/bin/chromium"}: the browser tests must run in CI. ${INSTALL_HINT}`);
    }
    console.warn(`[e2e] No Chromium found: the browser tests are skipped. ${INSTALL_HINT}`);
    project.provide("browserWsEndpoint", "");
    return async () => {};
  }
  const server: BrowserServer = await chromium.launchServer({
    executablePath: requireChromium(),
    args: CHROME_ARGS,
    headless: true,
    timeout: 30_000,
  });
  project.provide("browserWsEndpoint", server.wsEndpoint());
  return async () => {
    await server.close();
  };
}

/** Whether this run has a browser; test files use `describe.skipIf(!hasBrowser())`. */
export function hasBrowser(): boolean {
  return inject("browserWsEndpoint") !== "";
}

/** Connects to the run's browser (a few ms): call once per file, in `beforeAll`. */
export function connectBrowser(): Promise<Browser> {
  const endpoint = inject("browserWsEndpoint");
  if (!endpoint) throw new Error("No browser in this run.");
  return chromium.connect(endpoint, { timeout: 15_000 });
}
