/**
 * Pieces of the backend-for-frontend e2e tests (`npm run demo -- --mode bff`): what the page could
 * see (cookies visible to script, storage, every answer it received), and the real token values
 * the BFF got from the authorization server, to search that for them.
 */
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { DemoStack } from "./helpers";

export const SESSION_COOKIE = "__Host-smartbills-session";

/** Every answer a page received (bodies read as text; a redirect or an unreadable one counts as ""), with its URL. */
export function recordBodies(page: Page): { url: string; body: Promise<string> }[] {
  const bodies: { url: string; body: Promise<string> }[] = [];
  page.on("response", (response) => {
    bodies.push({ url: response.url(), body: response.status() >= 300 && response.status() < 400 ? Promise.resolve("") : response.text().catch(() => "") });
  });
  return bodies;
}

/** The access, refresh and ID tokens the BFF received from the token endpoint so far (real values). */
export function issuedTokens(stack: DemoStack): string[] {
  if (!stack.bff) throw new Error("not a bff-mode stack");
  return [...stack.bff.record.tokens];
}

/**
 * Asserts that no token the BFF ever received is in what the page can read: `document.cookie`,
 * localStorage, sessionStorage, or the body of any answer it got (and that there were tokens to look for).
 */
export async function expectNoTokenVisible(page: Page, stack: DemoStack, bodies: { url: string; body: Promise<string> }[]): Promise<void> {
  const tokens = issuedTokens(stack);
  // At least one sign-in's access, refresh and ID token.
  expect(tokens.length).toBeGreaterThanOrEqual(3);
  const visible = await page.evaluate(() => JSON.stringify({ cookie: document.cookie, local: { ...localStorage }, session: { ...sessionStorage } }));
  const answers = await Promise.all(bodies.map(async ({ url, body }) => ({ url, body: await body })));
  // The check must have looked at real answers (the app's modules, /session, the API's JSON).
  expect(answers.some(({ url }) => url.includes("/api/smartbills/session"))).toBe(true);
  expect(answers.some(({ url }) => url.includes("/api/smartbills/api/"))).toBe(true);
  for (const token of tokens) {
    expect(visible.includes(token), "a token in document.cookie or storage").toBe(false);
    const leaked = answers.filter(({ body }) => body.includes(token)).map(({ url }) => url);
    expect(leaked, "answers the page received that hold a token").toEqual([]);
  }
}

/** The session cookie as the browser holds it (asserting its attributes), or undefined. */
export async function sessionCookie(context: BrowserContext) {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** What `GET /api/smartbills/session` says for this browser context's cookies (asked outside any page). */
export async function serverSession(context: BrowserContext, stack: DemoStack, cookie?: string): Promise<{ authenticated: boolean; user?: { sub?: string } | null }> {
  const response = await context.request.get(`${stack.appUrl}/api/smartbills/session`, {
    ...(cookie !== undefined && { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } }),
    timeout: 10_000,
  });
  return (await response.json()) as { authenticated: boolean; user?: { sub?: string } | null };
}

/** The session status the demo's top bar shows. */
export const statusOf = (page: Page) => page.getByTestId("session-status").getAttribute("data-status");
