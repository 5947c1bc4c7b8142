import type { QueryObserverOptions } from "@tanstack/react-query";
import { hasCallbackParams, stripCallbackParams } from "../core/callbackUrl.js";
import { SmartbillsAuthError, toSmartbillsAuthError } from "../core/errors.js";
import type { ExchangeTransport } from "../core/exchange.js";
import { CSRF_HEADER, isTransientError } from "../core/session.js";
import { claimsOf } from "../core/jwt.js";
import { assertTrustedUrl } from "../core/origins.js";
import type { RefreshState } from "../core/refreshTiming.js";
import { sanitizeReturnTo } from "../core/returnTo.js";
import { createTokenStore } from "../core/storage.js";
import { isExpired, isRefreshDue, type TokenSet } from "../core/tokenSet.js";
import { isCallbackPending, joinCallback } from "./callbackRegistry.js";
import type { CallbackResult, LoginOptions, LogoutOptions, SmartbillsClient, SmartbillsClientOptions } from "./clientTypes.js";
import { createEndpointResolver } from "./endpoints.js";
import { createExternalStore } from "./externalStore.js";
import { load } from "./lazy.js";
import { startRefreshSchedule } from "./refreshSchedule.js";
import { SESSION_QUERY_DEFAULTS } from "./queryDefaults.js";
import { smartbillsKeys } from "./smartbillsKeys.js";
import { createTabSession } from "./tabSession.js";

export type { CallbackResult, LoginOptions, LogoutOptions, SmartbillsClient, SmartbillsClientLike, SmartbillsClientOptions } from "./clientTypes.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * The browser side of the flow, with no React in it, composed of one-job modules: the endpoints
 * (`endpoints.ts`, discovery), the refresh timing (`core/refreshTiming.ts`, `refreshSchedule.ts`),
 * the session across tabs (`tabSession.ts`), the ID token checks (`core/idToken.ts`) and the
 * revocation (`core/revocation.ts`). What stays here is the one react-query query that holds the
 * {@link TokenSet}: React Query dedupes concurrent fetches of a query, which is what makes "one
 * refresh for N callers" hold. A closure rather than a class: its internals minify to single letters.
 */
export function createSmartbillsClient(options: SmartbillsClientOptions): SmartbillsClient {
  const { config, queryClient, onRedirectCallback } = options;
  const { clientId, issuer, isPublicClient } = config;
  const clock = options.now || Date.now;
  const browser = typeof window !== "undefined";
  const store = createTokenStore(config.storage, clientId);
  const cookieMode = store.kind === "cookie";
  const queryKey: readonly unknown[] = smartbillsKeys.token(clientId);
  const redirecting = createExternalStore(false);
  const loginError = createExternalStore<SmartbillsAuthError | null>(null);
  // The global fetch is looked up at call time, so test stubs and later polyfills apply.
  const fetchImpl: typeof fetch = (input, init) => (options.fetch || fetch)(input, init);
  const endpoints = createEndpointResolver(config, queryClient, fetchImpl);
  const transport: ExchangeTransport = { endpoint: config.tokenEndpoint, clientId, fetch: fetchImpl, now: clock };
  if (cookieMode) {
    // The refresh-token cookie must travel, and the custom header makes a cross-site request preflight.
    transport.credentials = "include";
    transport.headers = { [CSRF_HEADER]: "1" };
  }
  /** The transport of a token request: a public client with discovery reads its token endpoint from the metadata. */
  const tokenTransport = async (): Promise<ExchangeTransport> =>
    isPublicClient && config.discovery ? { ...transport, endpoint: (await endpoints()).token! } : transport;
  /** The access token a 401 has declared dead: refresh even if its clock says it is fine. */
  let forcedFor: string | null = null;
  const refreshState: RefreshState = { failures: 0, lastAttemptAt: 0, notBefore: 0 };
  let initialDataRead = false;
  /** logout({ endSession }) is sending the browser away. */
  let leaving = false;

  const queryOptions = {
    queryKey,
    queryFn: loadSession,
    // A still-valid stored token is used at once, with no request and no loading render.
    initialData,
    ...SESSION_QUERY_DEFAULTS,
  } satisfies QueryObserverOptions<TokenSet | null, SmartbillsAuthError, TokenSet | null, TokenSet | null, readonly unknown[]>;

  const getData = () => queryClient.getQueryData<TokenSet | null>(queryKey);
  const setData = (tokenSet: TokenSet | null) => queryClient.setQueryData<TokenSet | null>(queryKey, tokenSet);
  // With the client's defaults applied, as fetchQuery and useQuery do: an app's queryKeyHashFn must
  // not make this a second query.
  const tokenQuery = () => queryClient.getQueryCache().build(queryClient, queryClient.defaultQueryOptions(queryOptions));
  const isLive = (tokenSet: TokenSet | null | undefined): tokenSet is TokenSet => !!tokenSet && !isExpired(tokenSet, clock());
  /** The token set if it can still be used, else null. */
  const live = (tokenSet: TokenSet | null | undefined) => (isLive(tokenSet) ? tokenSet : null);
  /** Whether a token set must be refreshed before use: it is due, or a 401 has declared it dead. */
  const needsRefresh = (tokenSet: TokenSet) => forcedFor === tokenSet.accessToken || isRefreshDue(tokenSet, clock());
  /** A token set can be refreshed with its refresh token, or, in cookie mode, with the backend's. */
  const canRefresh = (tokenSet: TokenSet) => !!tokenSet.refreshToken || cookieMode;
  /** The session ends here, without telling anyone: another tab logged out, or the grant is gone. */
  const endLocally = () => {
    store.clear();
    forcedFor = null;
    setData(null);
  };

  const tabs = createTabSession({
    clientId,
    store,
    getData,
    setData,
    live,
    needsRefresh,
    onAdopt: () => (refreshState.failures = 0),
    onLogout: endLocally,
  });

  async function login(options: LoginOptions = {}): Promise<void> {
    // The page is on its way to the end-session endpoint (until a back-forward restore resets redirecting).
    if (leaving && redirecting.get()) return;
    loginError.set(null);
    try {
      const { redirectUri } = config;
      if (!redirectUri || !browser) {
        throw new SmartbillsAuthError("unsupported_environment", { description: process.env.NODE_ENV !== "production" ? "login() needs a browser window." : undefined });
      }
      // PKCE and the URL are built by a module loaded at the first sign-in, not at start-up.
      const [{ prepareLogin }, { authorization }] = await Promise.all([load(import("./loginFlow.js")), endpoints()]);
      const url = await prepareLogin(config, authorization!, redirectUri, options, clock());
      redirecting.set(true);
      await (options.openUrl ?? ((href: string) => location.assign(href)))(url);
    } catch (error) {
      redirecting.set(false);
      if (error instanceof TypeError) throw error; // a programming error: keep it loud and typed as such
      const authError = toSmartbillsAuthError(error, "unsupported_environment");
      loginError.set(authError);
      throw authError;
    }
  }

  async function logout(options: LogoutOptions = {}): Promise<void> {
    const ended = getData();
    tabs.publishLogout();
    tabs.setHint(false);
    store.clear();
    forcedFor = null;
    refreshState.failures = 0;
    // Revoked before the page shows signed out, or a guarded page could start a new login, and
    // unload, before the grant is gone. Bounded; if even its code cannot load, the user is still
    // signed out here.
    const { url, error } = await load(import("./logoutFlow.js")).then(
      (flow) => flow.signOut(ended, options, { clientId, isPublicClient, transport, endpoints, postLogoutRedirectUri: config.postLogoutRedirectUri }),
      (cause: unknown) => ({ error: cause, url: undefined }),
    );
    // Leaving for the end-session endpoint: set before the session ends here, so that a
    // <RequireAuth> that sees it end does not start a sign-in whose navigation would win.
    leaving = !!url;
    if (url) redirecting.set(true);
    await queryClient.cancelQueries({ queryKey, exact: true });
    setData(null);
    queryClient.removeQueries({ queryKey: smartbillsKeys.userInfo(clientId) });
    if (options.endSession) {
      if (!url) {
        throw error
          ? toSmartbillsAuthError(error, "network_error")
          : new SmartbillsAuthError("unsupported", { description: process.env.NODE_ENV !== "production" ? "The authorization server has no end-session endpoint." : undefined });
      }
      await (options.openUrl ?? ((href: string) => location.assign(href)))(url);
      // A custom opener (a native shell) may keep this page: it can sign in again.
      if (options.openUrl) redirecting.set((leaving = false));
    } else if (options.returnTo !== undefined && browser) {
      navigate(sanitizeReturnTo(options.returnTo, location.origin));
    }
  }

  async function getAccessToken(): Promise<string> {
    const tokenSet = await ensureFresh();
    if (!isLive(tokenSet)) {
      throw new SmartbillsAuthError("login_required", { description: process.env.NODE_ENV !== "production" ? "No session: the user must sign in." : undefined });
    }
    return tokenSet.accessToken;
  }

  async function authFetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response> {
    const request = typeof Request !== "undefined" && input instanceof Request ? input : undefined;
    const pageOrigin = browser ? location.origin : undefined;
    // A Request is judged by its own URL: String(request) would read as the same-origin path "/[object Request]".
    const url = assertTrustedUrl(request ? request.url : String(input), pageOrigin, config.trustedOrigins);
    // A one-shot stream body cannot be sent twice, so such a request gets no retry.
    const canRetry = !(init?.body instanceof ReadableStream) && !request?.bodyUsed;
    const send = async (accessToken: string) => {
      const headers = new Headers(request?.headers);
      new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
      headers.set("Authorization", `Bearer ${accessToken}`);
      if (onBehalfOf) headers.set(config.accountHeader, onBehalfOf);
      try {
        return await fetchImpl(request ? request.clone() : pageOrigin ? String(input) : url.href, { ...init, headers });
      } catch (error) {
        throw toSmartbillsAuthError(error, "network_error");
      }
    };
    const accessToken = await getAccessToken();
    const response = await send(accessToken);
    if (response.status !== 401 || !canRetry) return response;
    // The server says the token is dead (revoked, clock skew): refresh once and retry once.
    forcedFor = accessToken;
    const next = await ensureFresh();
    return isLive(next) && next.accessToken !== accessToken ? send(next.accessToken) : response;
  }

  function completeCallback(href: string): Promise<CallbackResult> {
    const result = processCallback(href);
    // Through the query client, so that getAccessToken() callers during the exchange join it.
    return queryClient
      .fetchQuery({ ...queryOptions, queryFn: () => result.then((done) => done.tokenSet, loadSession), staleTime: 0 })
      // The callback's own outcome, also when storing it in the query failed or was cancelled (a
      // logout meanwhile): <Callback/> reports why the sign-in failed, not a later load's error.
      .then(() => result, () => result);
  }

  function navigate(returnTo: string): void {
    if (onRedirectCallback) onRedirectCallback(returnTo);
    else if (browser) location.assign(returnTo);
  }

  function start(): () => void {
    tabs.listen(true);
    const stop = startRefreshSchedule({ queryClient, tokenQuery, ensureFresh, needsRefresh, canRefresh, state: refreshState, now: clock });
    return () => {
      stop();
      tabs.listen(false);
    };
  }

  function isCallbackPage(): boolean {
    if (!browser || !config.redirectUri) return false;
    const { href, origin, pathname, search } = location;
    const redirect = new URL(config.redirectUri);
    return isCallbackPending(clientId, href) || (origin + pathname === redirect.origin + redirect.pathname && hasCallbackParams(search));
  }

  function initialData(): TokenSet | null | undefined {
    // React Query re-reads initialData whenever the query has no data (after a failed first load,
    // too); storage is read for the first evaluation only, so an ended session stays ended.
    // Undefined means "loading": on a server render, on the callback page (the callback decides),
    // and while another tab or the backend's cookie may hand over a session.
    if (initialDataRead) return undefined;
    initialDataRead = true;
    if (!browser || isCallbackPage()) return undefined;
    const stored = store.load();
    if (!stored) return cookieMode || tabs.mayJoin() ? undefined : null;
    return needsRefresh(stored) ? undefined : stored;
  }

  /** The query function: the session from the callback, the cache or storage, refreshed when due. */
  async function loadSession(): Promise<TokenSet | null> {
    if (isCallbackPage()) {
      try {
        return (await processCallback(location.href)).tokenSet;
      } catch {
        // <Callback/> shows why; a refused or replayed callback does not end the session this tab
        // already has (it goes on below, from storage), nor does it become the session's error.
      }
    }
    let current = getData();
    if (current === undefined) {
      // First load: storage, else an open tab's session.
      current = store.load() || (await tabs.join());
      // Cookie mode: one request restores the session from the backend's cookie, if any.
      if (!current && cookieMode) return refresh(null).catch((error) => (isTransientError(error) ? Promise.reject(error) : null));
    }
    if (!current || !needsRefresh(current)) return current;
    if (!canRefresh(current)) {
      if (isLive(current)) return current;
      store.clear();
      return null;
    }
    const now = clock();
    if (now < refreshState.notBefore) {
      // The server asked for a pause (Retry-After): the token is used while it is valid, and no
      // request goes out before the pause ends, whoever asks.
      if (isLive(current)) return current;
      throw new SmartbillsAuthError("network_error", { description: process.env.NODE_ENV !== "production" ? "The token endpoint asked to wait (Retry-After)." : undefined, status: 429 });
    }
    refreshState.lastAttemptAt = now;
    try {
      return await refresh(current);
    } catch (error) {
      const authError = toSmartbillsAuthError(error, "network_error");
      // A 401's forced refresh is tried once; the backoff schedule takes it from here.
      forcedFor = null;
      if (isTransientError(authError)) {
        refreshState.failures += 1;
        // The server's Retry-After, if it sent one: no attempt before it, whoever asks.
        const wait = await load(import("./refreshFlow.js")).then((flow) => flow.pauseAfter(authError, clock()), () => null);
        if (wait) refreshState.notBefore = clock() + wait;
        // Offline or a server hiccup: a token that still works is kept, and retried with backoff.
        if (isLive(current)) return current;
      } else {
        // The grant is gone (or the ID token names another user): the session ends here, and the
        // query keeps this error for the UI.
        tabs.setHint(false);
        refreshState.failures = 0;
        endLocally();
      }
      throw authError;
    }
  }

  /** One refresh for the whole browser (see `refreshFlow.ts`, loaded at the first refresh). */
  function refresh(stale: TokenSet | null): Promise<TokenSet> {
    return load(import("./refreshFlow.js")).then((flow) => flow.refreshSession(stale, { clientId, issuer, now: clock, transport: tokenTransport, newer: tabs.newer, keep }));
  }

  /** Keeps a token set the server just issued (sign-in, refresh): stored, and told to the other tabs. */
  function keep(tokenSet: TokenSet): TokenSet {
    forcedFor = null;
    refreshState.failures = 0;
    refreshState.notBefore = 0;
    store.save(tokenSet);
    tabs.publish(tokenSet);
    return tokenSet;
  }

  async function ensureFresh(): Promise<TokenSet | null> {
    const { data, fetchStatus } = tokenQuery().state;
    // No session, or one to use as it is: no request (unless one is under way, which is joined).
    if (fetchStatus !== "fetching" && (data === null || (data && !needsRefresh(data)))) return data;
    try {
      return await queryClient.fetchQuery({ ...queryOptions, staleTime: 0 });
    } catch (error) {
      throw toSmartbillsAuthError(error, "network_error");
    }
  }

  function processCallback(href: string): Promise<CallbackResult> {
    return joinCallback(clientId, href, () => {
      let cleanedHref = href;
      try {
        // The code leaves the address bar and the history entry before anything else happens.
        cleanedHref = stripCallbackParams(href);
        if (browser && location.href === href && cleanedHref !== href) history.replaceState(history.state, "", cleanedHref);
      } catch {
        // A URL we cannot rewrite is still refused by the checks below.
      }
      const promise = (async () => {
        // The callback's checks and the exchange live in a module loaded on the callback page only.
        const { finishSignIn } = await load(import("./callbackFlow.js"));
        const result = await finishSignIn(href, clientId, issuer, tokenTransport, clock);
        keep(result.tokenSet);
        tabs.setHint(true);
        return result;
      })();
      return { cleanedHref, promise };
    });
  }

  return {
    config,
    queryClient,
    redirecting,
    loginError,
    tokenQueryOptions: () => queryOptions,
    login,
    logout,
    getAccessToken,
    fetch: authFetch,
    completeCallback,
    navigate,
    start,
    endpoints,
    send: fetchImpl,
    user: (tokenSet) => (tokenSet?.idToken ? claimsOf(tokenSet.idToken) : null),
  };
}
