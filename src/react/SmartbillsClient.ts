import type { QueryCacheNotifyEvent, QueryClient, QueryObserverOptions } from "@tanstack/react-query";
import { buildAuthorizeUrl } from "../core/authorizeUrl.js";
import { checkIssuer, hasCallbackParams, parseCallback, stripCallbackParams } from "../core/callback.js";
import type { ResolvedConfig } from "../core/config.js";
import { DEV } from "../core/dev.js";
import { SmartbillsAuthError, toSmartbillsAuthError } from "../core/errors.js";
import { CSRF_HEADER, endBackendSession, exchangeCode, isTransientError, refreshTokenSet, type ExchangeTransport } from "../core/exchange.js";
import { isOAuthErrorCode } from "../core/oauthErrorCode.js";
import { assertTrustedUrl } from "../core/origins.js";
import { createPkcePair } from "../core/pkce.js";
import { createState } from "../core/random.js";
import { sanitizeReturnTo } from "../core/returnTo.js";
import { createTokenStore, type TokenStore } from "../core/storage.js";
import { deserializeTokenSet, isExpired, isRefreshDue, MIN_REFRESH_INTERVAL_MS, refreshDueAt, type TokenSet } from "../core/tokenSet.js";
import { withBrowserLock } from "../core/browserLock.js";
import { createTabSync, type TabSync } from "../core/tabSync.js";
import { createTransactionStore, type TransactionStore } from "../core/transaction.js";
import { isCallbackPending, joinCallback } from "./callbackRegistry.js";
import { createExternalStore, type ExternalStore } from "./externalStore.js";
import { smartbillsKeys } from "./smartbillsKeys.js";

/** Options of `useSmartbillsLogin().login` (and of `LoginButton`'s props). */
export interface LoginOptions {
  /** Where to land after signing in: a path on this origin (anything else becomes `/`). Default: the current path. */
  returnTo?: string;
  /** Scopes for this login only. Default: the provider's `scope`. */
  scope?: string;
  /** OIDC `prompt` (`login`, `consent`, `select_account`, `none`). */
  prompt?: string;
  /** Pre-fills the login form. */
  loginHint?: string;
  /** More authorize parameters (`ui_locales`, …). The flow's own parameters cannot be overridden. */
  extraParams?: Record<string, string>;
  /** Opens the authorize URL. Default: `window.location.assign`. Useful for native shells. */
  openUrl?: (url: string) => void | Promise<void>;
}

/** Options of `logout`. */
export interface LogoutOptions {
  /** A path on this origin to go to once signed out. Default: stay. */
  returnTo?: string;
}

/** What a completed callback yields. */
export interface CallbackResult {
  tokenSet: TokenSet;
  /** The sanitised same-origin path the login asked to return to. */
  returnTo: string;
}

/**
 * What the hooks and components need from a client. The real one ({@link createSmartbillsClient})
 * and the testing entry's mock both implement it.
 */
export interface SmartbillsClientLike {
  /** The validated configuration, defaults applied. */
  readonly config: ResolvedConfig;
  /** The query client that holds the token query. */
  readonly queryClient: QueryClient;
  /** The options of the token query (`smartbillsKeys.token(clientId)`), for `useQuery` and `fetchQuery`. */
  tokenQueryOptions(): QueryObserverOptions<TokenSet | null, SmartbillsAuthError, TokenSet | null, TokenSet | null, readonly unknown[]>;
  /** Starts a sign-in; see `useSmartbillsLogin`. */
  login(options?: LoginOptions): Promise<void>;
  /** Ends the session here and in the other tabs. */
  logout(options?: LogoutOptions): Promise<void>;
  /** A valid access token, refreshed first when due; rejects with `login_required` without a session. */
  getAccessToken(): Promise<string>;
  /** `fetch` with the bearer token and `on-behalf-of`; see `useSmartbillsFetch`. */
  fetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response>;
  /** Handles the authorization response at `href` (once per URL, whoever asks). */
  completeCallback(href: string): Promise<CallbackResult>;
  /** Goes to a same-origin path through the provider's `onRedirectCallback`. */
  navigate(returnTo: string): void;
  /** Whether a login is sending the browser away. */
  readonly redirecting: ExternalStore<boolean>;
  /** Why the last login could not start. */
  readonly loginError: ExternalStore<SmartbillsAuthError | null>;
  /** Starts the background work (refresh schedule); returns its stop function. */
  start(): () => void;
}

/** Options of {@link createSmartbillsClient}. */
export interface SmartbillsClientOptions {
  config: ResolvedConfig;
  queryClient: QueryClient;
  /** Where `logout({returnTo})` and the default callback navigation go. */
  onRedirectCallback?: (returnTo: string) => void;
  /** Default: the global `fetch` at call time (so test stubs apply). */
  fetch?: typeof fetch;
  /** The clock, in epoch ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** The client {@link createSmartbillsClient} makes, with its writable stores. */
export interface SmartbillsClient extends SmartbillsClientLike {
  readonly redirecting: ExternalStore<boolean> & { set(value: boolean): void };
  readonly loginError: ExternalStore<SmartbillsAuthError | null> & { set(value: SmartbillsAuthError | null): void };
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/**
 * How long a new tab waits for an open tab to hand it the session, and how long a tab that got the
 * refresh lock asks the others whether they refreshed already.
 */
const PEER_TIMEOUT_MS = 150;

/**
 * The browser side of the flow, with no React in it: login, callback, refresh schedule and
 * authenticated fetch over one react-query query that holds the {@link TokenSet}. React Query
 * dedupes concurrent fetches of a query, which is what makes "one refresh for N callers" hold.
 * A closure rather than a class: its internals minify to single letters.
 */
export function createSmartbillsClient(options: SmartbillsClientOptions): SmartbillsClient {
  const { config, queryClient, onRedirectCallback } = options;
  const { clientId } = config;
  const clock = options.now || Date.now;
  const browser = typeof window !== "undefined";
  const store: TokenStore = createTokenStore(config.storage, clientId);
  const cookieMode = store.kind === "cookie";
  /** Per-tab storage: tabs hand tokens to each other in memory, and a hint says a tab holds a session. */
  const perTab = store.kind === "session" || cookieMode;
  /** Storage every tab reads: a refreshed or removed token shows there at once. */
  const sharedStorage = store.kind === "local" || store.kind === "custom";
  const transactions: TransactionStore = createTransactionStore(clientId);
  const queryKey: readonly unknown[] = smartbillsKeys.token(clientId);
  const lockName = `smartbills.refresh.${clientId}`;
  const hintKey = `smartbills.session-hint.${clientId}`;
  const redirecting = createExternalStore(false);
  const loginError = createExternalStore<SmartbillsAuthError | null>(null);
  // The global fetch is looked up at call time, so test stubs and later polyfills apply.
  const fetchImpl: typeof fetch = (input, init) => (options.fetch || fetch)(input, init);
  const transport: ExchangeTransport = { endpoint: config.tokenEndpoint, clientId, fetch: fetchImpl, now: clock };
  if (cookieMode) {
    // The refresh-token cookie must travel, and the custom header makes a cross-site request preflight.
    transport.credentials = "include";
    transport.headers = { [CSRF_HEADER]: "1" };
  }
  /** The access token a 401 has declared dead: refresh even if its clock says it is fine. */
  let forcedFor: string | null = null;
  let failures = 0;
  let lastAttemptAt = 0;
  let initialDataRead = false;
  let sync: TabSync | null | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;

  const queryOptions = {
    queryKey,
    queryFn: loadSession,
    // A still-valid stored token is used at once, with no request and no loading render.
    initialData,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
    // Refreshing is scheduled by token expiry, not by focus or reconnect heuristics.
    refetchOnMount: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    // Offline, react-query would pause the fetch forever; we want a prompt network_error.
    networkMode: "always",
    // The token set carries a redacting toJSON that structural sharing would drop.
    structuralSharing: false,
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

  async function login(options: LoginOptions = {}): Promise<void> {
    loginError.set(null);
    try {
      const { redirectUri } = config;
      if (!redirectUri || !browser) {
        throw new SmartbillsAuthError("unsupported_environment", { description: DEV ? "login() needs a browser window." : undefined });
      }
      const returnTo = sanitizeReturnTo(options.returnTo ?? currentPath(), location.origin);
      const { codeVerifier, codeChallenge } = await createPkcePair();
      const state = createState();
      // Built before the transaction is saved: a bad extraParams throws and leaves nothing behind.
      // (prompt, loginHint and extraParams come from the options; the flow's own parameters win.)
      const url = buildAuthorizeUrl({
        ...options,
        authorizeEndpoint: config.authorizeEndpoint,
        clientId,
        redirectUri,
        scope: options.scope ?? config.scope,
        state,
        codeChallenge,
      });
      transactions.save({ state, codeVerifier, redirectUri, returnTo, createdAt: clock() });
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
    tabSync()?.publishLogout();
    setSessionHint(false);
    store.clear();
    // Cookie mode: the backend forgets its cookie (bounded, best effort) before the page shows
    // signed out, or a guarded page could start a new login, and unload, before the cookie is gone.
    if (cookieMode) await endBackendSession(transport);
    transactions.clear();
    forcedFor = null;
    failures = 0;
    await queryClient.cancelQueries({ queryKey, exact: true });
    setData(null);
    if (options.returnTo !== undefined && browser) navigate(sanitizeReturnTo(options.returnTo, location.origin));
  }

  async function getAccessToken(): Promise<string> {
    const tokenSet = await ensureFresh();
    if (!isLive(tokenSet)) {
      throw new SmartbillsAuthError("login_required", { description: DEV ? "No session: the user must sign in." : undefined });
    }
    return tokenSet.accessToken;
  }

  async function authFetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response> {
    const request = typeof Request !== "undefined" && input instanceof Request ? input : undefined;
    const pageOrigin = browser ? location.origin : undefined;
    const url = assertTrustedUrl(request ? request.url : String(input), pageOrigin, config.trustedOrigins);
    // A one-shot stream body cannot be sent twice, so such a request gets no retry.
    const canRetry = !(init?.body instanceof ReadableStream) && !request?.bodyUsed;
    const send = async (accessToken: string) => {
      const headers = new Headers(request?.headers);
      new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
      headers.set("Authorization", `Bearer ${accessToken}`);
      if (onBehalfOf) headers.set("on-behalf-of", onBehalfOf);
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
    clearTimeout(closeTimer);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const { queryHash } = tokenQuery();
    const refreshNow = () => {
      // Either way the schedule goes on: after a failure (the query holds it for the UI), and after a
      // check that found nothing to do (another tab refreshed meanwhile), which no cache event follows.
      ensureFresh().then(schedule, schedule);
    };
    function schedule() {
      clearTimeout(timer);
      const { data, fetchStatus } = tokenQuery().state;
      if (stopped || !data || fetchStatus === "fetching") return;
      const now = clock();
      let at: number;
      if (!canRefresh(data)) {
        at = data.expiresAt; // then the session ends (loadSession clears it): consumers must see it
      } else if (failures > 0 && needsRefresh(data)) {
        // Backoff, for a refresh still due (a fresh token from another tab ends it). Jitter: tabs
        // and clients must not retry in step.
        at = now + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
      } else {
        at = refreshDueAt(data);
      }
      // Never a storm: whatever the token's lifetime, at most one automatic attempt per interval.
      const delay = Math.max(0, at - now, lastAttemptAt + MIN_REFRESH_INTERVAL_MS - now);
      timer = setTimeout(refreshNow, Math.min(delay, 2 ** 31 - 1));
    }
    // The query is read through the cache, not a QueryObserver, so the app may remove or reset it
    // (queryClient.clear(), resetQueries()): then the session is loaded again, as a mounted
    // useQuery would do. An error leaves the status "error", so this never loops; only at start
    // (no event) is a failed first load tried again, as a mounting useQuery would. Other than
    // "updated", events (observers coming and going) leave the schedule, and its jitter, alone.
    const check = (event?: QueryCacheNotifyEvent) => {
      const { data, status, fetchStatus } = tokenQuery().state;
      if (data === undefined && fetchStatus === "idle" && (!event || status === "pending")) refreshNow();
      else if (!event || event.type === "updated") schedule();
    };
    const unsubscribe = queryClient.getQueryCache().subscribe((event) => {
      if (event.query.queryHash === queryHash) check(event);
    });
    // Waking up (a laptop lid, a background tab, a train leaving a tunnel): timers may have been
    // frozen, so check at once instead of trusting them, and once only.
    const wake = (event: Event) => {
      if (document.visibilityState === "hidden") return;
      const online = event.type === "online";
      if (online) failures = 0;
      const { data, error } = tokenQuery().state;
      // Back online after a failure (even a first load that never got data): try again at once.
      if ((online && error) || (data && needsRefresh(data))) refreshNow();
      else schedule();
    };
    const listen = (add: boolean) => {
      if (!browser) return;
      const method = add ? "addEventListener" : "removeEventListener";
      window[method]("online", wake);
      window[method]("storage", onStorageEvent as EventListener);
      document[method]("visibilitychange", wake);
    };
    listen(true);
    tabSync();
    check();
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      listen(false);
      // Deferred: StrictMode stops and restarts at once, and a join in flight must keep its channel.
      closeTimer = setTimeout(() => {
        sync?.close();
        sync = undefined;
      }, 0);
    };
  }

  /** A token set can be refreshed with its refresh token, or, in cookie mode, with the backend's. */
  function canRefresh(tokenSet: TokenSet): boolean {
    return !!tokenSet.refreshToken || cookieMode;
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
    if (!stored) return cookieMode || mayJoinPeers() ? undefined : null;
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
      current = store.load() || (await joinPeers());
      // Cookie mode: one request restores the session from the backend's cookie, if any.
      if (!current && cookieMode) return refresh(null).catch((error) => (isTransientError(error) ? Promise.reject(error) : null));
    }
    if (!current || !needsRefresh(current)) return current;
    if (!canRefresh(current)) {
      if (isLive(current)) return current;
      store.clear();
      return null;
    }
    lastAttemptAt = clock();
    try {
      return await refresh(current);
    } catch (error) {
      const authError = toSmartbillsAuthError(error, "network_error");
      // A 401's forced refresh is tried once; the backoff schedule takes it from here.
      forcedFor = null;
      if (isTransientError(authError)) {
        failures += 1;
        // Offline or a server hiccup: a token that still works is kept, and retried with backoff.
        if (isLive(current)) return current;
      } else {
        // The grant is gone: the session ends here, and the query keeps this error for the UI.
        store.clear();
        setSessionHint(false);
        failures = 0;
        setData(null);
      }
      throw authError;
    }
  }

  /**
   * One refresh for the whole browser: with rotation, a second tab redeeming the same refresh
   * token would make the server revoke the grant. `stale` null restores a cookie-mode session.
   */
  function refresh(stale: TokenSet | null): Promise<TokenSet> {
    // Another tab's refresh, done while this one waited for the lock, else our own.
    return withBrowserLock(lockName, async () => (stale && (await newerSharedSession(stale))) || keep(await refreshTokenSet(transport, stale)));
  }

  /** Keeps a token set the server just issued (sign-in, refresh): stored, and told to the other tabs. */
  function keep(tokenSet: TokenSet): TokenSet {
    forcedFor = null;
    failures = 0;
    store.save(tokenSet);
    tabSync()?.publish(tokenSet);
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
        let params: ReturnType<typeof parseCallback>;
        try {
          params = parseCallback(new URL(href).search);
        } catch (error) {
          throw toSmartbillsAuthError(error, "invalid_callback");
        }
        checkIssuer(params.iss, config.issuer);
        const transaction = transactions.take(params.state, clock());
        if (params.kind === "error") {
          // The server's own code is kept, if it looks like one.
          throw new SmartbillsAuthError(isOAuthErrorCode(params.error) ? params.error : "invalid_callback", { description: params.errorDescription });
        }
        // The redirect URI and code verifier come from the transaction (exchangeCode sends only those and the code).
        const tokenSet = keep(await exchangeCode(transport, { ...transaction, code: params.code }));
        setSessionHint(true);
        return { tokenSet, returnTo: sanitizeReturnTo(transaction.returnTo, location.origin) };
      })();
      return { cleanedHref, promise };
    });
  }

  /** The cross-tab channel, made on first use in a browser; tokens travel only for per-tab storage. */
  function tabSync(): TabSync | null {
    if (sync === undefined && browser) {
      sync = createTabSync(
        clientId,
        {
          onSession: adopt,
          onLogout() {
            // Another tab logged out: end the session here too, without telling anyone.
            store.clear();
            forcedFor = null;
            setData(null);
          },
          currentSession: () => live(getData()),
        },
        // Tokens travel between tabs only where they would be in script memory anyway.
        perTab,
      );
    }
    return sync || null;
  }

  /** Takes a token set another tab got, if it expires later than ours (null: an unreadable one, ignored). */
  function adopt(tokenSet: TokenSet | null): void {
    const current = getData();
    if (!isLive(tokenSet) || (current && current.expiresAt >= tokenSet.expiresAt)) return;
    store.save(tokenSet);
    failures = 0;
    setData(tokenSet);
  }

  function onStorageEvent({ key, newValue }: StorageEvent): void {
    if (!sharedStorage) return;
    // A null key: another tab cleared the whole storage; the session went with it if ours is gone.
    if (key === null ? !store.load() : key === store.key && newValue === null) setData(null);
    else if (key === store.key) adopt(deserializeTokenSet(newValue!));
  }

  /**
   * After waiting for the refresh lock: did another tab refresh meanwhile? Shared storage tells at
   * once; with per-tab sessionStorage the open tabs are asked.
   */
  async function newerSharedSession(stale: TokenSet): Promise<TokenSet | null> {
    const fresh = (candidate: TokenSet | null | undefined) =>
      candidate && candidate.accessToken !== stale.accessToken && !needsRefresh(candidate) ? candidate : null;
    const cached = fresh(getData());
    if (cached || sharedStorage) return cached || fresh(store.load());
    // (Tokens are asked for only with per-tab storage: the request answers null at once otherwise.)
    return tabSync()?.hasPeers() ? askPeers(fresh) : null;
  }

  /** Asks the open tabs for their session, and keeps what `accept` returns of the answer. */
  async function askPeers(accept: (tokenSet: TokenSet | null | undefined) => TokenSet | null): Promise<TokenSet | null> {
    const heard = accept(await tabSync()?.request(PEER_TIMEOUT_MS));
    if (heard) store.save(heard);
    return heard;
  }

  /** A new tab with per-tab storage, while another tab may hold a session (a hint says so). */
  function mayJoinPeers(): boolean {
    try {
      return perTab && typeof BroadcastChannel !== "undefined" && localStorage.getItem(hintKey) === "1";
    } catch {
      return false;
    }
  }

  /** A new tab's first load: the session of an open tab, if the hint says one may hold it. */
  async function joinPeers(): Promise<TokenSet | null> {
    if (!mayJoinPeers()) return null;
    const joined = await askPeers(live);
    if (!joined && !tabSync()?.hasPeers()) setSessionHint(false); // nobody answered: the hint is stale
    return joined;
  }

  /**
   * A token-free marker in localStorage that some tab holds a session, so a new tab knows whether
   * to wait for one. Only for per-tab storage, where tokens are handed over in memory.
   */
  function setSessionHint(present: boolean): void {
    if (!perTab || !browser) return;
    try {
      if (present) localStorage.setItem(hintKey, "1");
      else localStorage.removeItem(hintKey);
    } catch {
      // Blocked storage: new tabs will sign in again, nothing worse.
    }
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
  };
}

function currentPath(): string {
  return location.pathname + location.search + location.hash;
}
