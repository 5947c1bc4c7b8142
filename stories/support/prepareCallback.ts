import { createFakeTokenEndpoint, randomString, type ExchangeBehaviour, type FakeTokenEndpoint } from "./fakeTokenEndpoint.js";

/** The client id of every story that uses the real `SmartbillsProvider`. */
export const STORY_CLIENT_ID = "storybook-demo";
/** The exchange endpoint the stories' provider posts to; the fake `fetch` answers it. */
export const STORY_EXCHANGE_ENDPOINT = "/api/smartbills/token";
/** The issuer the stories' provider expects in a callback's `iss`. */
export const STORY_ISSUER = "https://api.smartbills.io";

/** What a story's loader arranged: the browser as Smartbills leaves it when it sends the user back. */
export interface PreparedCallback {
  /** The provider's `redirectUri`: this very page, so `<Callback/>` reads the arranged URL. */
  redirectUri: string;
  state: string;
  code: string;
  returnTo: string;
  /** The exchange endpoint, faked. */
  fetch: FakeTokenEndpoint;
}

/** Which of the pending login and the callback URL a story gets. */
export interface CallbackArrangement {
  /** `"this"`: the login of the callback is pending (the normal case); `"other"`: only another login is; `"none"`: none is. */
  pending?: "this" | "other" | "none";
  /** The authorization response's parameters. Default: `code` and `state`. */
  response?: (login: { code: string; state: string }) => [string, string][];
  /** How the fake exchange endpoint answers. */
  exchange?: ExchangeBehaviour;
  exchangeDelayMs?: number;
  returnTo?: string;
}

/**
 * A story loader: it does what `login()` and Smartbills would have done before `<Callback/>` mounts.
 * It stores the pending login in sessionStorage (the record `login()` keeps for its callback, under
 * its `state`) and puts the authorization response into the address bar. The page's own query
 * (Storybook's `?id=…`) is kept, so the story still reloads.
 */
export function prepareCallback(arrangement: CallbackArrangement = {}) {
  return async (): Promise<{ callback: PreparedCallback }> => {
    const { pending = "this", exchange = "token", exchangeDelayMs = 0, returnTo = "/invoices" } = arrangement;
    clearPendingLogins();
    const state = randomString(43);
    const code = randomString(32);
    const codeVerifier = randomString(64);
    const redirectUri = `${window.location.origin}${window.location.pathname}`;
    if (pending !== "none") {
      const pendingState = pending === "this" ? state : randomString(43);
      window.sessionStorage.setItem(
        `smartbills.tx.${STORY_CLIENT_ID}.${pendingState}`,
        JSON.stringify({ state: pendingState, codeVerifier, redirectUri, returnTo, createdAt: Date.now() }),
      );
    }
    const url = new URL(window.location.href);
    for (const name of ["code", "state", "iss", "error", "error_description"]) url.searchParams.delete(name);
    const response = arrangement.response ?? ((login) => [["code", login.code], ["state", login.state]]);
    for (const [name, value] of response({ code, state })) url.searchParams.append(name, value);
    window.history.replaceState(window.history.state, "", url.href);
    const fetch = createFakeTokenEndpoint({ behaviour: exchange, code, codeVerifier, delayMs: exchangeDelayMs });
    return { callback: { redirectUri, state, code, returnTo, fetch } };
  };
}

/** Forgets the pending logins a previous story left behind, so each story starts from its own arrangement. */
export function clearPendingLogins(): void {
  const prefix = `smartbills.tx.${STORY_CLIENT_ID}.`;
  for (let i = window.sessionStorage.length - 1; i >= 0; i--) {
    const key = window.sessionStorage.key(i);
    if (key?.startsWith(prefix)) window.sessionStorage.removeItem(key);
  }
}
