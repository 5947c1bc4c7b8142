/**
 * `dev.signIn(page, { login })`: completes the dev server's login and consent pages in a Playwright
 * page (typed structurally, see {@link DevServerPage}), then waits until the browser has left the
 * server (the app's callback). Every wait is bounded.
 */
import type { DevServerPage, DevServerSignInOptions, DevServerSignInResult } from "./types.js";

const MAX_PAGES = 4;

/** Signs in on `page` at the dev server whose origin is `origin` and whose pages live under `basePath`. */
export async function signInOnPage(page: DevServerPage, origin: string, basePath: string, options: DevServerSignInOptions): Promise<DevServerSignInResult> {
  const timeout = options.timeoutMs ?? 10_000;
  const interaction = `${basePath}/interaction/`;
  const atInteraction = (url: URL) => url.origin === origin && url.pathname.startsWith(interaction);
  const offServer = (url: URL) => url.origin !== origin;
  const waitFor = async (predicate: (url: URL) => boolean, what: string): Promise<void> => {
    try {
      await page.waitForURL(predicate, { timeout });
    } catch {
      // The URL only: it may hold a code or a state, but never on the server's own pages we name here.
      throw new Error(`signIn: ${what} within ${timeout} ms (page at ${new URL(page.url()).pathname})`);
    }
  };

  let loggedIn = false;
  const prompts: DevServerSignInResult["prompts"] = [];
  for (let step = 0; step < MAX_PAGES; step++) {
    // First a sign-in page (the page may still be on its way from the app); later also the way out.
    await waitFor((url) => atInteraction(url) || (step > 0 && offServer(url)), "no sign-in page of the dev server appeared");
    const here = new URL(page.url());
    if (offServer(here)) return { prompts };
    const html = await page.content();
    const before = here.href;
    if (/name="login"/.test(html)) {
      if (loggedIn) throw new Error(`signIn: the login ${JSON.stringify(options.login)} was refused (not a user of this dev server)`);
      await page.fill('input[name="login"]', options.login);
      await page.fill('input[name="password"]', options.password ?? "password");
      loggedIn = true;
      prompts.push("login");
    } else if (!/name="prompt" value="consent"/.test(html)) {
      throw new Error(`signIn: an unexpected page at ${here.pathname}`);
    } else {
      prompts.push("consent");
    }
    await page.click('button[type="submit"]');
    await waitFor((url) => url.href !== before, "the page did not move on after submitting");
  }
  throw new Error(`signIn: still at the dev server after ${MAX_PAGES} pages`);
}
