import type { QueryClient, QueryObserverOptions } from "@tanstack/react-query";
import { buildAuthorizeUrl } from "../core/authorizeUrl.js";
import { checkIssuer, hasCallbackParams, parseCallback, stripCallbackParams } from "../core/callback.js";
import type { ResolvedConfig } from "../core/config.js";
import { SmartbillsAuthError, SmartbillsErrorCodes, toSmartbillsAuthError } from "../core/errors.js";
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

const BACKOFF_BASE_MS = 1_000;
/** How long a new tab waits for an open tab to hand it the session. */
const JOIN_TIMEOUT_MS = 150;
/** How long a tab that got the refresh lock asks the others whether they refreshed already. */
const PEER_CHECK_TIMEOUT_MS = 150;
const BACKOFF_MAX_MS = 30_000;

/** The client {@link createSmartbillsClient} makes, with its writable stores. */
export interface SmartbillsClient extends SmartbillsClientLike {
  readonly redirecting: ExternalStore<boolean> & { set(value: boolean): void };
  readonly loginError: ExternalStore<SmartbillsAuthError | null> & { set(value: SmartbillsAuthError | null): void };
}

/**
 * The browser side of the flow, with no React in it: login, callback, refresh schedule and
 * authenticated fetch over one react-query query that holds the {@link TokenSet}. React Query
 * dedupes concurrent fetches of a query, which is what makes "one refresh for N callers" hold.
 * A closure rather than a class: its internals minify to single letters.
 */
export function createSmartbillsClient(options: SmartbillsClientOptions): SmartbillsClient {
  const { config, queryClient } = options;
  const fetchOverride = options.fetch;
  const clock = options.now ?? Date.now;
  const onRedirectCallback = options.onRedirectCallback;
  const store: TokenStore = createTokenStore(config.storage, config.clientId);
  const transactions: TransactionStore = createTransactionStore(config.clientId);
  const queryKey: readonly unknown[] = smartbillsKeys.token(config.clientId);
  const redirecting = createExternalStore(false);
  const loginError = createExternalStore<SmartbillsAuthError | null>(null);
  /** The access token a 401 has declared dead: refresh even if its clock says it is fine. */
  let forcedFor: string | null = null;
  let failures = 0;
  let lastAttemptAt = 0;
  let initialDataRead = false;
  let sync: TabSync | null | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;

  function tokenQueryOptions() {
    return {
      queryKey,
      queryFn: () => loadSession(),
      // A still-valid stored token is used at once, with no request and no loading render.
      initialData: () => initialData(),
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
      meta: { smartbills: true },
    } satisfies QueryObserverOptions<TokenSet | null, SmartbillsAuthError, TokenSet | null, TokenSet | null, readonly unknown[]>;
  }

  async function login(options: LoginOptions = {}): Promise<void> {
    loginError.set(null);
    try {
      const { redirectUri, clientId, authorizeEndpoint } = config;
      if (!redirectUri || typeof window === "undefined") {
        throw new SmartbillsAuthError(SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT, { description: "login() needs a browser window." });
      }
      const origin = window.location.origin;
      const returnTo = sanitizeReturnTo(options.returnTo ?? currentPath(), origin);
      const [pkce, state] = [await createPkcePair(), createState()];
      // Built before the transaction is saved: a bad extraParams throws and leaves nothing behind.
      const url = buildAuthorizeUrl({
        authorizeEndpoint,
        clientId,
        redirectUri,
        scope: options.scope ?? config.scope,
        state,
        codeChallenge: pkce.codeChallenge,
        ...(options.prompt !== undefined && { prompt: options.prompt }),
        ...(options.loginHint !== undefined && { loginHint: options.loginHint }),
        ...(options.extraParams !== undefined && { extraParams: options.extraParams }),
      });
      transactions.save({ state, codeVerifier: pkce.codeVerifier, redirectUri, returnTo, createdAt: clock() });
      redirecting.set(true);
      await (options.openUrl ?? ((href: string) => window.location.assign(href)))(url);
    } catch (error) {
      redirecting.set(false);
      if (error instanceof TypeError && !(error instanceof SmartbillsAuthError)) throw error; // a programming error: keep it loud and typed as such
      const authError = toSmartbillsAuthError(error, SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT);
      loginError.set(authError);
      throw authError;
    }
  }

  async function logout(options: LogoutOptions = {}): Promise<void> {
    tabSync()?.publishLogout();
    setSessionHint(false);
    store.clear();
    if (store.kind === "cookie") await endBackendSession(transport());
    transactions.clear();
    forcedFor = null;
    failures = 0;
    await queryClient.cancelQueries({ queryKey: queryKey, exact: true });
    queryClient.setQueryData<TokenSet | null>(queryKey, null);
    if (options.returnTo !== undefined && typeof window !== "undefined") {
      navigate(sanitizeReturnTo(options.returnTo, window.location.origin));
    }
  }

  async function getAccessToken(): Promise<string> {
    const tokenSet = await ensureFresh();
    if (!tokenSet || isExpired(tokenSet, clock())) {
      throw new SmartbillsAuthError(SmartbillsErrorCodes.LOGIN_REQUIRED, { description: "No session: the user must sign in." });
    }
    return tokenSet.accessToken;
  }

  async function authFetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response> {
    const target = typeof Request !== "undefined" && input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    const pageOrigin = typeof window === "undefined" ? undefined : window.location.origin;
    const url = assertTrustedUrl(target, pageOrigin, config.trustedOrigins);
    const isRequest = typeof Request !== "undefined" && input instanceof Request;
    // A one-shot stream body cannot be sent twice, so such a request gets no retry.
    const canRetry = !(init?.body instanceof ReadableStream) && !(isRequest && (input as Request).bodyUsed);
    const send = (accessToken: string) => {
      const headers = new Headers(isRequest ? (input as Request).headers : undefined);
      new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
      headers.set("Authorization", `Bearer ${accessToken}`);
      if (onBehalfOf) headers.set("on-behalf-of", onBehalfOf);
      const resource = isRequest ? (input as Request).clone() : pageOrigin ? String(input) : url.href;
      return fetchImpl()(resource, { ...init, headers });
    };
    const accessToken = await getAccessToken();
    const response = await sendOrNetworkError(() => send(accessToken));
    if (response.status !== 401 || !canRetry) return response;
    // The server says the token is dead (revoked, clock skew): refresh once and retry once.
    forcedFor = accessToken;
    const next = await ensureFresh();
    if (!next || next.accessToken === accessToken || isExpired(next, clock())) return response;
    return sendOrNetworkError(() => send(next.accessToken));
  }

  function completeCallback(href: string): Promise<CallbackResult> {
    const result = processCallback(href);
    // Through the query client, so that getAccessToken() callers during the exchange join it.
    const viaQuery = queryClient.fetchQuery({
      ...tokenQueryOptions(),
      queryFn: async () => (await result).tokenSet,
      staleTime: 0,
    });
    return viaQuery.then(() => result);
  }

  function navigate(returnTo: string): void {
    if (onRedirectCallback) {
      onRedirectCallback(returnTo);
    } else if (typeof window !== "undefined") {
      window.location.assign(returnTo);
    }
  }

  function start(): () => void {
    clearTimeout(closeTimer);
    const cache = queryClient.getQueryCache();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const query = cache.build(queryClient, tokenQueryOptions());
    const schedule = () => {
      clearTimeout(timer);
      if (stopped) return;
      const data = query.state.data;
      if (!data || query.state.fetchStatus === "fetching") return;
      const now = clock();
      let at: number;
      if (!canRefresh(data)) {
        if (isExpired(data, now)) return;
        at = data.expiresAt; // then the session ends: consumers must see it
      } else if (failures > 0) {
        const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
        at = now + backoff * (0.5 + Math.random() / 2); // jitter: tabs and clients must not retry in step
      } else {
        at = refreshDueAt(data);
      }
      // Never a storm: whatever the token's lifetime, at most one automatic attempt per interval.
      const delay = Math.max(0, at - now, lastAttemptAt + MIN_REFRESH_INTERVAL_MS - now);
      timer = setTimeout(() => {
        ensureFresh().catch(() => {
          // The query holds the error for the UI; the next schedule decides what happens.
          schedule();
        });
      }, Math.min(delay, 2 ** 31 - 1));
    };
    const unsubscribe = cache.subscribe((event) => {
      if (event.query.queryHash === query.queryHash && event.type === "updated") schedule();
    });
    // Waking up (a laptop lid, a background tab, a train leaving a tunnel): timers may have been
    // frozen, so check at once instead of trusting them, and once only.
    const wake = (event: Event) => {
      if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
      if (event.type === "online") failures = 0;
      const data = query.state.data;
      if (data && (isRefreshDue(data, clock()) || (event.type === "online" && query.state.error))) ensureFresh().catch(() => schedule());
      else schedule();
    };
    const onStorage = (event: StorageEvent) => onStorageEvent(event);
    if (typeof window !== "undefined") {
      window.addEventListener("online", wake);
      window.addEventListener("storage", onStorage);
      document.addEventListener("visibilitychange", wake);
    }
    tabSync();
    if (query.state.data === undefined && query.state.fetchStatus === "idle") {
      ensureFresh().catch(() => {});
    } else {
      schedule();
    }
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      if (typeof window !== "undefined") {
        window.removeEventListener("online", wake);
        window.removeEventListener("storage", onStorage);
        document.removeEventListener("visibilitychange", wake);
      }
      // Deferred: StrictMode stops and restarts at once, and a join in flight must keep its channel.
      closeTimer = setTimeout(() => {
        sync?.close();
        sync = undefined;
      }, 0);
    };
  }


  function fetchImpl(): typeof fetch {
    return fetchOverride ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  }

  function transport(): ExchangeTransport {
    const cookie = store.kind === "cookie";
    return {
      endpoint: config.tokenEndpoint,
      clientId: config.clientId,
      fetch: fetchImpl(),
      now: clock,
      // The refresh-token cookie must travel, and the custom header makes a cross-site request preflight.
      ...(cookie && { credentials: "include" as const, headers: { [CSRF_HEADER]: "1" } }),
    };
  }

  /** A token set can be refreshed with its refresh token, or, in cookie mode, with the backend's. */
  function canRefresh(tokenSet: TokenSet): boolean {
    return Boolean(tokenSet.refreshToken) || store.kind === "cookie";
  }

  /** Cookie mode, first load: one request restores the session from the backend's cookie, if any. */
  async function restoreFromCookie(): Promise<TokenSet | null> {
    try {
      const tokenSet = await withBrowserLock(`smartbills.refresh.${config.clientId}`, () => refreshTokenSet(transport(), null));
      tabSync()?.publish(tokenSet);
      return tokenSet;
    } catch (error) {
      // No cookie, or an ended grant: simply signed out, nothing to report.
      if (error instanceof SmartbillsAuthError && error.code === SmartbillsErrorCodes.REFRESH_FAILED) return null;
      throw error;
    }
  }

  function isCallbackPage(): boolean {
    if (typeof window === "undefined" || !config.redirectUri) return false;
    const href = window.location.href;
    if (isCallbackPending(config.clientId, href)) return true;
    const redirect = new URL(config.redirectUri);
    return window.location.origin === redirect.origin && window.location.pathname === redirect.pathname && hasCallbackParams(window.location.search);
  }

  function initialData(): TokenSet | null | undefined {
    // React Query re-reads initialData whenever the query has no data (after a failed first load,
    // too); storage is read for the first evaluation only, so an ended session stays ended.
    if (initialDataRead) return undefined;
    initialDataRead = true;
    if (typeof window === "undefined") return undefined; // server render: "loading", decided in the browser
    if (isCallbackPage()) return undefined; // the callback decides; show "loading" until then
    const stored = store.load();
    // Nothing here, but another open tab has a session to hand over: "loading" while it does.
    if (!stored) return store.kind === "cookie" || mayJoinPeers() ? undefined : null;
    return isRefreshDue(stored, clock()) ? undefined : stored;
  }

  /** The query function: the session from the callback, the cache or storage, refreshed when due. */
  async function loadSession(): Promise<TokenSet | null> {
    if (isCallbackPage()) return (await processCallback(window.location.href)).tokenSet;
    const cached = queryClient.getQueryData<TokenSet | null>(queryKey);
    let current = cached === undefined ? store.load() : cached;
    if (!current && cached === undefined && mayJoinPeers()) current = await joinPeers();
    if (!current && cached === undefined && store.kind === "cookie") return restoreFromCookie();
    if (!current) return null;
    const now = clock();
    const forced = forcedFor !== null && forcedFor === current.accessToken;
    if (!forced && !isRefreshDue(current, now)) return current;
    if (!canRefresh(current)) {
      if (!isExpired(current, now)) return current;
      store.clear();
      return null;
    }
    lastAttemptAt = now;
    const stale = current;
    try {
      // One refresh for the whole browser: with rotation, a second tab redeeming the same refresh
      // token would make the server revoke the grant.
      return await withBrowserLock(`smartbills.refresh.${config.clientId}`, async () => {
        const shared = await newerSharedSession(stale);
        if (shared) return shared;
        const next = await refreshTokenSet(transport(), stale);
        forcedFor = null;
        failures = 0;
        store.save(next);
        tabSync()?.publish(next);
        return next;
      });
    } catch (error) {
      const authError = toSmartbillsAuthError(error, SmartbillsErrorCodes.NETWORK_ERROR);
      if (!isTransientError(authError)) {
        store.clear();
        setSessionHint(false);
        forcedFor = null;
        failures = 0;
        throw authError;
      }
      failures += 1;
      // A 401's forced refresh is tried once; the backoff schedule takes it from here.
      forcedFor = null;
      // Offline or a server hiccup: a token that still works is kept, and retried with backoff.
      if (!isExpired(current, clock())) return current;
      throw authError;
    }
  }

  async function ensureFresh(): Promise<TokenSet | null> {
    const query = queryClient.getQueryCache().build(queryClient, tokenQueryOptions());
    const data = query.state.data;
    const needsFetch =
      query.state.fetchStatus === "fetching" ||
      data === undefined ||
      (data !== null && (isRefreshDue(data, clock()) || forcedFor === data.accessToken));
    if (!needsFetch) return data ?? null;
    try {
      return await queryClient.fetchQuery({ ...tokenQueryOptions(), staleTime: 0 });
    } catch (error) {
      const authError = toSmartbillsAuthError(error, SmartbillsErrorCodes.NETWORK_ERROR);
      if (authError.code === SmartbillsErrorCodes.REFRESH_FAILED) {
        // The grant is gone: the session ends here, with the reason kept for the UI.
        query.setState({ data: null, status: "error", error: authError, dataUpdatedAt: clock(), errorUpdatedAt: clock() });
      }
      throw authError;
    }
  }

  function processCallback(href: string): Promise<CallbackResult> {
    return joinCallback(config.clientId, href, () => {
      let cleanedHref = href;
      try {
        // The code leaves the address bar and the history entry before anything else happens.
        cleanedHref = stripCallbackParams(href);
        if (typeof window !== "undefined" && window.location.href === href && cleanedHref !== href) {
          window.history.replaceState(window.history.state, "", cleanedHref);
        }
      } catch {
        // A URL we cannot rewrite is still refused by the checks below.
      }
      const promise = (async () => {
        const url = new URL(href);
        let parsed: ReturnType<typeof parseCallback> | undefined;
        let parseError: unknown;
        try {
          parsed = parseCallback(url.search);
        } catch (error) {
          parseError = error;
        }
        if (parseError) throw toSmartbillsAuthError(parseError, SmartbillsErrorCodes.INVALID_CALLBACK);
        const params = parsed!;
        checkIssuer(params.iss, config.issuer);
        const transaction = transactions.take(params.state, clock());
        if (params.kind === "error") {
          // The server's own code is kept, if it looks like one.
          const code = isOAuthErrorCode(params.error) ? params.error : SmartbillsErrorCodes.INVALID_CALLBACK;
          throw new SmartbillsAuthError(code, params.errorDescription === undefined ? {} : { description: params.errorDescription });
        }
        const tokenSet = await exchangeCode(transport(), {
          code: params.code,
          redirectUri: transaction.redirectUri,
          codeVerifier: transaction.codeVerifier,
        });
        store.save(tokenSet);
        failures = 0;
        tabSync()?.publish(tokenSet);
        setSessionHint(true);
        return { tokenSet, returnTo: sanitizeReturnTo(transaction.returnTo, window.location.origin) };
      })();
      return { cleanedHref, promise };
    });
  }

  /** The cross-tab channel, made on first use in a browser; tokens travel only for session storage. */
  function tabSync(): TabSync | null {
    if (sync !== undefined) return sync;
    if (typeof window === "undefined") return null;
    sync = createTabSync(
      config.clientId,
      {
        onSession: (tokenSet) => adopt(tokenSet),
        onLogout: () => endLocally(),
        currentSession: () => {
          const data = queryClient.getQueryData<TokenSet | null>(queryKey);
          return data && !isExpired(data, clock()) ? data : null;
        },
      },
      // Tokens travel between tabs only where they would be in script memory anyway.
      store.kind === "session" || store.kind === "cookie",
    );
    return sync;
  }

  /** Takes a token set another tab got, if it is newer than ours. */
  function adopt(tokenSet: TokenSet): void {
    if (isExpired(tokenSet, clock())) return;
    const current = queryClient.getQueryData<TokenSet | null>(queryKey);
    if (current && (current.accessToken === tokenSet.accessToken || current.expiresAt >= tokenSet.expiresAt)) return;
    store.save(tokenSet);
    failures = 0;
    queryClient.setQueryData<TokenSet | null>(queryKey, tokenSet);
  }

  /** Another tab logged out: end the session here too, without telling anyone. */
  function endLocally(): void {
    store.clear();
    forcedFor = null;
    queryClient.setQueryData<TokenSet | null>(queryKey, null);
  }

  function onStorageEvent(event: StorageEvent): void {
    if (event.key !== store.key || (store.kind !== "local" && store.kind !== "custom")) return;
    if (event.newValue === null) {
      queryClient.setQueryData<TokenSet | null>(queryKey, null);
      return;
    }
    const tokenSet = deserializeTokenSet(event.newValue);
    if (tokenSet) adopt(tokenSet);
  }

  /**
   * After waiting for the refresh lock: did another tab refresh meanwhile? Shared storage tells at
   * once; with per-tab sessionStorage the open tabs are asked.
   */
  async function newerSharedSession(stale: TokenSet): Promise<TokenSet | null> {
    const fresh = (candidate: TokenSet | null | undefined) =>
      candidate && candidate.accessToken !== stale.accessToken && !isRefreshDue(candidate, clock()) ? candidate : null;
    const cached = fresh(queryClient.getQueryData<TokenSet | null>(queryKey));
    if (cached) return cached;
    if (store.kind === "local" || store.kind === "custom") return fresh(store.load());
    const sync = tabSync();
    if ((store.kind === "session" || store.kind === "cookie") && sync?.hasPeers()) {
      const heard = fresh(await sync.request(PEER_CHECK_TIMEOUT_MS));
      if (heard) store.save(heard);
      return heard;
    }
    return null;
  }

  /** A new tab in session-storage mode, while another tab may hold a session (a hint says so). */
  function mayJoinPeers(): boolean {
    if ((store.kind !== "session" && store.kind !== "cookie") || typeof BroadcastChannel === "undefined") return false;
    try {
      return window.localStorage.getItem(hintKey()) === "1";
    } catch {
      return false;
    }
  }

  async function joinPeers(): Promise<TokenSet | null> {
    const tokenSet = (await tabSync()?.request(JOIN_TIMEOUT_MS)) ?? null;
    if (!tokenSet || isExpired(tokenSet, clock())) {
      if (!tabSync()?.hasPeers()) setSessionHint(false); // nobody answered: the hint is stale
      return null;
    }
    store.save(tokenSet);
    return tokenSet;
  }

  function hintKey(): string {
    return `smartbills.session-hint.${config.clientId}`;
  }

  /**
   * A token-free marker in localStorage that some tab holds a session, so a new tab knows whether
   * to wait for one. Only for session storage, where tokens are handed over in memory.
   */
  function setSessionHint(present: boolean): void {
    if ((store.kind !== "session" && store.kind !== "cookie") || typeof window === "undefined") return;
    try {
      if (present) window.localStorage.setItem(hintKey(), "1");
      else window.localStorage.removeItem(hintKey());
    } catch {
      // Blocked storage: new tabs will sign in again, nothing worse.
    }
  }

  return { config, queryClient, redirecting, loginError, tokenQueryOptions, login, logout, getAccessToken, fetch: authFetch, completeCallback, navigate, start };
}

async function sendOrNetworkError(send: () => Promise<Response>): Promise<Response> {
  try {
    return await send();
  } catch (error) {
    throw toSmartbillsAuthError(error, SmartbillsErrorCodes.NETWORK_ERROR);
  }
}

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}
