/**
 * Shared pieces of the e2e tests: the demo stack, a page that records every request, the sign-in
 * through the authorization server's real login and consent pages, and bounded waits.
 */
import { resolve } from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { startDemo, type DemoOptions, type DemoStack } from "../../demo/start";
import { connectBrowser } from "./browser";

export type { DemoStack } from "../../demo/start";

/** Upper bound of any single wait in these tests. */
export const WAIT_MS = 15_000;

/** The demo stack on free ports, quiet, with its own Vite cache. */
export function startStack(options: DemoOptions = {}): Promise<DemoStack> {
  return startDemo({
    appPort: 0,
    logLevel: "error",
    cacheDir: resolve(import.meta.dirname, `../../node_modules/.vite/e2e-${options.mode ?? "confidential"}`),
    // Someone editing src/ during the run must not hot-reload a page in the middle of a test.
    hotReload: false,
    ...options,
  });
}

/** What {@link useDemoStack} gives a test file's tests. */
export interface DemoFixture {
  browser: Browser;
  /** One demo stack for the file. */
  stack: DemoStack;
  /** One browser context for the file (its HTTP cache keeps the app's modules between tests). */
  context: BrowserContext;
  /** A fresh recorded tab for each test, with the stack's logs reset. */
  tab: TrackedPage;
}

/** Console errors that React's development build prints for bugs in components or hooks. */
const REACT_WARNING = /Cannot update a component|Maximum update depth|while rendering a different component|react\.dev\/link\/|Warning: /;

/**
 * Registers the hooks every browser test file needs: a browser and a demo stack for the file, a
 * fresh recorded tab per test (closed after it, its console errors printed when it failed).
 */
export function useDemoStack(options: DemoOptions = {}): DemoFixture {
  const fixture = {} as DemoFixture;
  beforeAll(async () => {
    [fixture.browser, fixture.stack] = await Promise.all([connectBrowser(), startStack(options)]);
    fixture.context = await openContext(fixture.browser, fixture.stack);
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.stack?.close();
  });
  beforeEach(async () => {
    resetLogs(fixture.stack);
    fixture.tab = await openPage(fixture.context);
  });
  afterEach(async (test) => {
    if (test.task.result?.state === "fail" && fixture.tab.problems.length) console.error(fixture.tab.problems.join("\n"));
    await fixture.tab.close();
    // React's own warnings (a setState during another component's render, an update loop) are bugs
    // even when the page still works; the demo runs React's development build, which reports them.
    const reactWarnings = fixture.tab.problems.filter((problem) => REACT_WARNING.test(problem));
    expect(reactWarnings, "React warnings in the page's console").toEqual([]);
  });
  return fixture;
}

export interface RecordedRequest {
  url: string;
  method: string;
  isNavigation: boolean;
  request: Request;
}

export interface TrackedPage {
  context: BrowserContext;
  page: Page;
  /** Every request of the page, in order. */
  requests: RecordedRequest[];
  /** Console errors and uncaught page errors, for failure messages. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A browser context for one test file: its HTTP cache keeps the app's pre-bundled dependencies
 * between tests (a cold load of the dev server's modules costs a second or two each time).
 */
export async function openContext(browser: Browser, stack: DemoStack): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: stack.appUrl });
  context.setDefaultTimeout(WAIT_MS);
  context.setDefaultNavigationTimeout(WAIT_MS);
  return context;
}

/**
 * A fresh tab that records everything it requests. Tabs share nothing that matters: sessionStorage
 * (where the library keeps the token and the login transactions) is per tab, and the authorization
 * server's session cookies are cleared here. (The app keeps nothing in localStorage.)
 */
export async function openPage(context: BrowserContext): Promise<TrackedPage> {
  await context.clearCookies();
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const page = await context.newPage();
  page.on("request", (request) => {
    requests.push({ url: request.url(), method: request.method(), isNavigation: request.isNavigationRequest(), request });
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
  });
  return { context, page, requests, problems, close: () => page.close() };
}

/**
 * Once the app has started a login: waits for the authorization server's pages, then goes back to the app:
 * fills the dev login form (if the server has no session yet), clicks the consent page's
 * "Continue", until the browser is on the app's origin again.
 */
export async function passLoginPages(page: Page, stack: DemoStack, { user = "alice", deny = false } = {}): Promise<void> {
  const app = new URL(stack.appUrl).origin;
  const auth = new URL(stack.authServer.issuer).origin;
  // The interaction pages live under the server's base path ("/auth/interaction/…" with --shape smartbills).
  const interactions = `${new URL(stack.authServer.issuer).pathname.replace(/\/$/, "")}/interaction/`;
  // First off to the authorization server (the app redirects after its first render).
  await page.waitForURL((url) => url.origin === auth, { timeout: WAIT_MS });
  for (let step = 0; step < 6; step++) {
    await page.waitForURL((url) => url.origin === app || (url.origin === auth && url.pathname.startsWith(interactions)), { timeout: WAIT_MS });
    if (new URL(page.url()).origin === app) return;
    const before = page.url();
    const loginField = page.locator("input[name=login]");
    const consent = page.locator("button", { hasText: "Continue" });
    await loginField.or(consent).first().waitFor({ timeout: WAIT_MS });
    if (deny) {
      // The layout's "[ Cancel ]" link aborts the interaction: back to the app with error=access_denied.
      await Promise.all([page.waitForURL((url) => url.href !== before, { timeout: WAIT_MS }), page.getByText("[ Cancel ]").click()]);
      continue;
    }
    if (await loginField.count()) {
      await loginField.fill(user);
      await page.locator("input[name=password]").fill("any password");
      await Promise.all([page.waitForURL((url) => url.href !== before, { timeout: WAIT_MS }), page.locator("button[type=submit]").click()]);
    } else {
      await Promise.all([page.waitForURL((url) => url.href !== before, { timeout: WAIT_MS }), consent.click()]);
    }
  }
  throw new Error(`The sign-in did not come back to the app; still at ${new URL(page.url()).pathname}`);
}

/** Opens /dashboard signed out, signs in through the real pages, and waits for the dashboard's data. */
export async function signIn(tracked: TrackedPage, stack: DemoStack, { user = "alice", path = "/dashboard" } = {}): Promise<void> {
  const { page } = tracked;
  await page.goto(path);
  await passLoginPages(page, stack, { user });
  await page.getByTestId("me-name").waitFor({ timeout: WAIT_MS });
}

/** Polls `check` until it returns a truthy value, at most `timeout` ms; returns that value. */
export async function until<T>(check: () => T | Promise<T>, { timeout = WAIT_MS, interval = 50, message = "condition" } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${message} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** How many token requests (POSTs) of each grant type reached the backend endpoint and the authorization server; sign-out DELETEs are not counted. */
export function grantCounts(stack: DemoStack): { backend: Record<string, number>; authServer: Record<string, number> } {
  const count = (entries: { grantType: string | null }[]) => {
    const counts: Record<string, number> = {};
    for (const { grantType } of entries) counts[grantType ?? "null"] = (counts[grantType ?? "null"] ?? 0) + 1;
    return counts;
  };
  return { backend: count(stack.backendRequests.filter((r) => r.method === "POST")), authServer: count(stack.authServer.tokenRequests) };
}

/** Forgets what the stack recorded so far (between tests sharing a stack). */
export function resetLogs(stack: DemoStack): void {
  stack.backendRequests.length = 0;
  stack.authServer.resetLogs();
}

/** Sleeps `ms` (only where real time must pass: token lifetimes). */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The token set the library keeps in sessionStorage (default storage), read in the page. */
export async function storedTokens(page: Page, clientId: string): Promise<{ accessToken: string; refreshToken?: string } | null> {
  const raw = await page.evaluate((key) => sessionStorage.getItem(key), `smartbills.token.${clientId}`);
  return raw ? (JSON.parse(raw) as { accessToken: string; refreshToken?: string }) : null;
}

/** The answer shown by the dashboard's "Call the API" card after the call numbered > `afterSeq`. */
export async function callApi(page: Page, { url, burst = false }: { url?: string; burst?: boolean } = {}) {
  const outcome = page.getByTestId("api-outcome");
  const seq = Number(await outcome.getAttribute("data-seq"));
  if (url !== undefined) await page.getByTestId("api-url").fill(url);
  await page.getByTestId(burst ? "call-api-burst" : "call-api").click();
  await page.locator(`[data-testid=api-outcome][data-seq="${seq + 1}"]`).waitFor({ timeout: WAIT_MS });
  const error = page.getByTestId("api-error");
  if (await error.count()) return { error: { code: await error.getAttribute("data-code"), text: await error.textContent() } } as const;
  const statuses = ((await page.getByTestId("api-status").getAttribute("data-statuses")) ?? "").split(",").map(Number);
  const body = JSON.parse((await page.getByTestId("api-result").textContent()) ?? "null") as Record<string, unknown>;
  return { statuses, body } as const;
}
