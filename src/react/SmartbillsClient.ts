import type { QueryClient, QueryObserverOptions } from "@tanstack/react-query";
import { buildAuthorizeUrl } from "../core/authorizeUrl";
import { checkIssuer, hasCallbackParams, parseCallback, stripCallbackParams } from "../core/callback";
import type { ResolvedConfig } from "../core/config";
import { SmartbillsAuthError, SmartbillsErrorCodes, toSmartbillsAuthError } from "../core/errors";
import { CSRF_HEADER, endBackendSession, exchangeCode, isTransientError, refreshTokenSet, type ExchangeTransport } from "../core/exchange";
import { assertTrustedUrl } from "../core/origins";
import { createPkcePair } from "../core/pkce";
import { createState } from "../core/random";
import { sanitizeReturnTo } from "../core/returnTo";
import { createTokenStore, type TokenStore } from "../core/storage";
import { deserializeTokenSet, isExpired, isRefreshDue, MIN_REFRESH_INTERVAL_MS, refreshDueAt, type TokenSet } from "../core/tokenSet";
import { createTabSync, withBrowserLock, type TabSync } from "../core/tabSync";
import { createTransactionStore, type TransactionStore } from "../core/transaction";
import { isCallbackPending, joinCallback } from "./callbackRegistry";
import { createExternalStore, type ExternalStore } from "./externalStore";
import { smartbillsKeys } from "./smartbillsKeys";

/** Options of {@link SmartbillsAuth.login} and `useSmartbillsLogin().login`. */
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
 * What the hooks and components need from a client. The real {@link SmartbillsClient} and the
 * testing entry's mock both implement it.
 */
export interface SmartbillsClientLike {
  readonly config: ResolvedConfig;
  readonly queryClient: QueryClient;
  tokenQueryOptions(): QueryObserverOptions<TokenSet | null, SmartbillsAuthError, TokenSet | null, TokenSet | null, readonly unknown[]>;
  login(options?: LoginOptions): Promise<void>;
  logout(options?: LogoutOptions): Promise<void>;
  getAccessToken(): Promise<string>;
  fetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response>;
  completeCallback(href: string): Promise<CallbackResult>;
  navigate(returnTo: string): void;
  readonly redirecting: ExternalStore<boolean>;
  readonly loginError: ExternalStore<SmartbillsAuthError | null>;
  /** Starts the background work (refresh schedule); returns its stop function. */
  start(): () => void;
}

/** Options of {@link SmartbillsClient}. */
export interface SmartbillsClientOptions {
  config: ResolvedConfig;
  queryClient: QueryClient;
  /** Where `logout({returnTo})` and the default callback navigation go. */
  onRedirectCallback?: (returnTo: string) => void;
  /** Default: the global `fetch` at call time (so test stubs apply). */
  fetch?: typeof fetch;
  now?: () => number;
}

const BACKOFF_BASE_MS = 1_000;
/** How long a new tab waits for an open tab to hand it the session. */
const JOIN_TIMEOUT_MS = 150;
/** How long a tab that got the refresh lock asks the others whether they refreshed already. */
const PEER_CHECK_TIMEOUT_MS = 150;
const BACKOFF_MAX_MS = 30_000;

/**
 * The browser side of the flow, with no React in it: login, callback, refresh schedule and
 * authenticated fetch over one react-query query that holds the {@link TokenSet}. React Query
 * dedupes concurrent fetches of a query, which is what makes "one refresh for N callers" hold.
 */
export class SmartbillsClient implements SmartbillsClientLike {
  readonly config: ResolvedConfig;
  readonly queryClient: QueryClient;
  readonly redirecting: ExternalStore<boolean> & { set(value: boolean): void };
  readonly loginError: ExternalStore<SmartbillsAuthError | null> & { set(value: SmartbillsAuthError | null): void };
  #store: TokenStore;
  #transactions: TransactionStore;
  #queryKey: readonly unknown[];
  #fetch: typeof fetch | undefined;
  #now: () => number;
  #onRedirectCallback: ((returnTo: string) => void) | undefined;
  /** The access token a 401 has declared dead: refresh even if its clock says it is fine. */
  #forcedFor: string | null = null;
  #failures = 0;
  #lastAttemptAt = 0;
  #initialDataRead = false;
  #sync: TabSync | null | undefined;

  constructor(options: SmartbillsClientOptions) {
    this.config = options.config;
    this.queryClient = options.queryClient;
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
    this.#onRedirectCallback = options.onRedirectCallback;
    this.#store = createTokenStore(options.config.storage, options.config.clientId);
    this.#transactions = createTransactionStore(options.config.clientId);
    this.#queryKey = smartbillsKeys.token(options.config.clientId);
    this.redirecting = createExternalStore(false);
    this.loginError = createExternalStore<SmartbillsAuthError | null>(null);
  }

  tokenQueryOptions() {
    return {
      queryKey: this.#queryKey,
      queryFn: () => this.#loadSession(),
      // A still-valid stored token is used at once, with no request and no loading render.
      initialData: () => this.#initialData(),
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

  async login(options: LoginOptions = {}): Promise<void> {
    this.loginError.set(null);
    try {
      const { redirectUri, clientId, authorizeEndpoint } = this.config;
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
        scope: options.scope ?? this.config.scope,
        state,
        codeChallenge: pkce.codeChallenge,
        ...(options.prompt !== undefined && { prompt: options.prompt }),
        ...(options.loginHint !== undefined && { loginHint: options.loginHint }),
        ...(options.extraParams !== undefined && { extraParams: options.extraParams }),
      });
      this.#transactions.save({ state, codeVerifier: pkce.codeVerifier, redirectUri, returnTo, createdAt: this.#now() });
      this.redirecting.set(true);
      await (options.openUrl ?? ((href: string) => window.location.assign(href)))(url);
    } catch (error) {
      this.redirecting.set(false);
      if (error instanceof TypeError && !(error instanceof SmartbillsAuthError)) throw error; // a programming error: keep it loud and typed as such
      const authError = toSmartbillsAuthError(error, SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT);
      this.loginError.set(authError);
      throw authError;
    }
  }

  async logout(options: LogoutOptions = {}): Promise<void> {
    this.#tabSync()?.publishLogout();
    this.#setSessionHint(false);
    this.#store.clear();
    if (this.#store.kind === "cookie") await endBackendSession(this.#transport());
    this.#transactions.clear();
    this.#forcedFor = null;
    this.#failures = 0;
    await this.queryClient.cancelQueries({ queryKey: this.#queryKey, exact: true });
    this.queryClient.setQueryData<TokenSet | null>(this.#queryKey, null);
    if (options.returnTo !== undefined && typeof window !== "undefined") {
      this.navigate(sanitizeReturnTo(options.returnTo, window.location.origin));
    }
  }

  async getAccessToken(): Promise<string> {
    const tokenSet = await this.#ensureFresh();
    if (!tokenSet || isExpired(tokenSet, this.#now())) {
      throw new SmartbillsAuthError(SmartbillsErrorCodes.LOGIN_REQUIRED, { description: "No session: the user must sign in." });
    }
    return tokenSet.accessToken;
  }

  async fetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response> {
    const target = typeof Request !== "undefined" && input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    const pageOrigin = typeof window === "undefined" ? undefined : window.location.origin;
    const url = assertTrustedUrl(target, pageOrigin, this.config.trustedOrigins);
    const isRequest = typeof Request !== "undefined" && input instanceof Request;
    // A one-shot stream body cannot be sent twice, so such a request gets no retry.
    const canRetry = !(init?.body instanceof ReadableStream) && !(isRequest && (input as Request).bodyUsed);
    const send = (accessToken: string) => {
      const headers = new Headers(isRequest ? (input as Request).headers : undefined);
      new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
      headers.set("Authorization", `Bearer ${accessToken}`);
      if (onBehalfOf) headers.set("on-behalf-of", onBehalfOf);
      const resource = isRequest ? (input as Request).clone() : pageOrigin ? String(input) : url.href;
      return this.#fetchImpl()(resource, { ...init, headers });
    };
    const accessToken = await this.getAccessToken();
    const response = await sendOrNetworkError(() => send(accessToken));
    if (response.status !== 401 || !canRetry) return response;
    // The server says the token is dead (revoked, clock skew): refresh once and retry once.
    this.#forcedFor = accessToken;
    const next = await this.#ensureFresh();
    if (!next || next.accessToken === accessToken || isExpired(next, this.#now())) return response;
    return sendOrNetworkError(() => send(next.accessToken));
  }

  completeCallback(href: string): Promise<CallbackResult> {
    const result = this.#processCallback(href);
    // Through the query client, so that getAccessToken() callers during the exchange join it.
    const viaQuery = this.queryClient.fetchQuery({
      ...this.tokenQueryOptions(),
      queryFn: async () => (await result).tokenSet,
      staleTime: 0,
    });
    return viaQuery.then(() => result);
  }

  navigate(returnTo: string): void {
    if (this.#onRedirectCallback) {
      this.#onRedirectCallback(returnTo);
    } else if (typeof window !== "undefined") {
      window.location.assign(returnTo);
    }
  }

  start(): () => void {
    const cache = this.queryClient.getQueryCache();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const query = cache.build(this.queryClient, this.tokenQueryOptions());
    const schedule = () => {
      clearTimeout(timer);
      if (stopped) return;
      const data = query.state.data;
      if (!data || query.state.fetchStatus === "fetching") return;
      const now = this.#now();
      let at: number;
      if (!this.#canRefresh(data)) {
        if (isExpired(data, now)) return;
        at = data.expiresAt; // then the session ends: consumers must see it
      } else if (this.#failures > 0) {
        const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.#failures - 1));
        at = now + backoff * (0.5 + Math.random() / 2); // jitter: tabs and clients must not retry in step
      } else {
        at = refreshDueAt(data);
      }
      // Never a storm: whatever the token's lifetime, at most one automatic attempt per interval.
      const delay = Math.max(0, at - now, this.#lastAttemptAt + MIN_REFRESH_INTERVAL_MS - now);
      timer = setTimeout(() => {
        this.#ensureFresh().catch(() => {
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
      if (event.type === "online") this.#failures = 0;
      const data = query.state.data;
      if (data && (isRefreshDue(data, this.#now()) || (event.type === "online" && query.state.error))) this.#ensureFresh().catch(() => schedule());
      else schedule();
    };
    const onStorage = (event: StorageEvent) => this.#onStorageEvent(event);
    if (typeof window !== "undefined") {
      window.addEventListener("online", wake);
      window.addEventListener("storage", onStorage);
      document.addEventListener("visibilitychange", wake);
    }
    this.#tabSync();
    if (query.state.data === undefined && query.state.fetchStatus === "idle") {
      this.#ensureFresh().catch(() => {});
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
      this.#sync?.close();
      this.#sync = undefined;
    };
  }

  // --- internals ---

  #fetchImpl(): typeof fetch {
    return this.#fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  }

  #transport(): ExchangeTransport {
    const cookie = this.#store.kind === "cookie";
    return {
      endpoint: this.config.tokenEndpoint,
      clientId: this.config.clientId,
      fetch: this.#fetchImpl(),
      now: this.#now,
      // The refresh-token cookie must travel, and the custom header makes a cross-site request preflight.
      ...(cookie && { credentials: "include" as const, headers: { [CSRF_HEADER]: "1" } }),
    };
  }

  /** A token set can be refreshed with its refresh token, or, in cookie mode, with the backend's. */
  #canRefresh(tokenSet: TokenSet): boolean {
    return Boolean(tokenSet.refreshToken) || this.#store.kind === "cookie";
  }

  /** Cookie mode, first load: one request restores the session from the backend's cookie, if any. */
  async #restoreFromCookie(): Promise<TokenSet | null> {
    try {
      const tokenSet = await withBrowserLock(`smartbills.refresh.${this.config.clientId}`, () => refreshTokenSet(this.#transport(), null));
      this.#tabSync()?.publish(tokenSet);
      return tokenSet;
    } catch (error) {
      // No cookie, or an ended grant: simply signed out, nothing to report.
      if (error instanceof SmartbillsAuthError && error.code === SmartbillsErrorCodes.REFRESH_FAILED) return null;
      throw error;
    }
  }

  #isCallbackPage(): boolean {
    if (typeof window === "undefined" || !this.config.redirectUri) return false;
    const href = window.location.href;
    if (isCallbackPending(this.config.clientId, href)) return true;
    const redirect = new URL(this.config.redirectUri);
    return window.location.origin === redirect.origin && window.location.pathname === redirect.pathname && hasCallbackParams(window.location.search);
  }

  #initialData(): TokenSet | null | undefined {
    // React Query re-reads initialData whenever the query has no data (after a failed first load,
    // too); storage is read for the first evaluation only, so an ended session stays ended.
    if (this.#initialDataRead) return undefined;
    this.#initialDataRead = true;
    if (typeof window === "undefined") return undefined; // server render: "loading", decided in the browser
    if (this.#isCallbackPage()) return undefined; // the callback decides; show "loading" until then
    const stored = this.#store.load();
    // Nothing here, but another open tab has a session to hand over: "loading" while it does.
    if (!stored) return this.#store.kind === "cookie" || this.#mayJoinPeers() ? undefined : null;
    return isRefreshDue(stored, this.#now()) ? undefined : stored;
  }

  /** The query function: the session from the callback, the cache or storage, refreshed when due. */
  async #loadSession(): Promise<TokenSet | null> {
    if (this.#isCallbackPage()) return (await this.#processCallback(window.location.href)).tokenSet;
    const cached = this.queryClient.getQueryData<TokenSet | null>(this.#queryKey);
    let current = cached === undefined ? this.#store.load() : cached;
    if (!current && cached === undefined && this.#mayJoinPeers()) current = await this.#joinPeers();
    if (!current && cached === undefined && this.#store.kind === "cookie") return this.#restoreFromCookie();
    if (!current) return null;
    const now = this.#now();
    const forced = this.#forcedFor !== null && this.#forcedFor === current.accessToken;
    if (!forced && !isRefreshDue(current, now)) return current;
    if (!this.#canRefresh(current)) {
      if (!isExpired(current, now)) return current;
      this.#store.clear();
      return null;
    }
    this.#lastAttemptAt = now;
    const stale = current;
    try {
      // One refresh for the whole browser: with rotation, a second tab redeeming the same refresh
      // token would make the server revoke the grant.
      return await withBrowserLock(`smartbills.refresh.${this.config.clientId}`, async () => {
        const shared = await this.#newerSharedSession(stale);
        if (shared) return shared;
        const next = await refreshTokenSet(this.#transport(), stale);
        this.#forcedFor = null;
        this.#failures = 0;
        this.#store.save(next);
        this.#tabSync()?.publish(next);
        return next;
      });
    } catch (error) {
      const authError = toSmartbillsAuthError(error, SmartbillsErrorCodes.NETWORK_ERROR);
      if (!isTransientError(authError)) {
        this.#store.clear();
        this.#forcedFor = null;
        this.#failures = 0;
        throw authError;
      }
      this.#failures += 1;
      // A 401's forced refresh is tried once; the backoff schedule takes it from here.
      this.#forcedFor = null;
      // Offline or a server hiccup: a token that still works is kept, and retried with backoff.
      if (!isExpired(current, this.#now())) return current;
      throw authError;
    }
  }

  async #ensureFresh(): Promise<TokenSet | null> {
    const query = this.queryClient.getQueryCache().build(this.queryClient, this.tokenQueryOptions());
    const data = query.state.data;
    const needsFetch =
      query.state.fetchStatus === "fetching" ||
      data === undefined ||
      (data !== null && (isRefreshDue(data, this.#now()) || this.#forcedFor === data.accessToken));
    if (!needsFetch) return data ?? null;
    try {
      return await this.queryClient.fetchQuery({ ...this.tokenQueryOptions(), staleTime: 0 });
    } catch (error) {
      const authError = toSmartbillsAuthError(error, SmartbillsErrorCodes.NETWORK_ERROR);
      if (authError.code === SmartbillsErrorCodes.REFRESH_FAILED) {
        // The grant is gone: the session ends here, with the reason kept for the UI.
        query.setState({ data: null, status: "error", error: authError, dataUpdatedAt: this.#now(), errorUpdatedAt: this.#now() });
      }
      throw authError;
    }
  }

  #processCallback(href: string): Promise<CallbackResult> {
    return joinCallback(this.config.clientId, href, () => {
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
        checkIssuer(params.iss, this.config.issuer);
        const transaction = this.#transactions.take(params.state, this.#now());
        if (params.kind === "error") {
          // The server's own code is kept, if it looks like one (RFC 6749 §4.1.2.1's character set).
          const code = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,100}$/.test(params.error) ? params.error : SmartbillsErrorCodes.INVALID_CALLBACK;
          throw new SmartbillsAuthError(code, params.errorDescription === undefined ? {} : { description: params.errorDescription });
        }
        const tokenSet = await exchangeCode(this.#transport(), {
          code: params.code,
          redirectUri: transaction.redirectUri,
          codeVerifier: transaction.codeVerifier,
        });
        this.#store.save(tokenSet);
        this.#failures = 0;
        this.#tabSync()?.publish(tokenSet);
        this.#setSessionHint(true);
        return { tokenSet, returnTo: sanitizeReturnTo(transaction.returnTo, window.location.origin) };
      })();
      return { cleanedHref, promise };
    });
  }

  /** The cross-tab channel, made on first use in a browser; tokens travel only for session storage. */
  #tabSync(): TabSync | null {
    if (this.#sync !== undefined) return this.#sync;
    if (typeof window === "undefined") return null;
    this.#sync = createTabSync(
      this.config.clientId,
      {
        onSession: (tokenSet) => this.#adopt(tokenSet),
        onLogout: () => this.#endLocally(),
        currentSession: () => {
          const data = this.queryClient.getQueryData<TokenSet | null>(this.#queryKey);
          return data && !isExpired(data, this.#now()) ? data : null;
        },
      },
      // Tokens travel between tabs only where they would be in script memory anyway.
      this.#store.kind === "session" || this.#store.kind === "cookie",
    );
    return this.#sync;
  }

  /** Takes a token set another tab got, if it is newer than ours. */
  #adopt(tokenSet: TokenSet): void {
    if (isExpired(tokenSet, this.#now())) return;
    const current = this.queryClient.getQueryData<TokenSet | null>(this.#queryKey);
    if (current && (current.accessToken === tokenSet.accessToken || current.expiresAt >= tokenSet.expiresAt)) return;
    this.#store.save(tokenSet);
    this.#failures = 0;
    this.queryClient.setQueryData<TokenSet | null>(this.#queryKey, tokenSet);
  }

  /** Another tab logged out: end the session here too, without telling anyone. */
  #endLocally(): void {
    this.#store.clear();
    this.#forcedFor = null;
    this.queryClient.setQueryData<TokenSet | null>(this.#queryKey, null);
  }

  #onStorageEvent(event: StorageEvent): void {
    if (event.key !== this.#store.key || (this.#store.kind !== "local" && this.#store.kind !== "custom")) return;
    if (event.newValue === null) {
      this.queryClient.setQueryData<TokenSet | null>(this.#queryKey, null);
      return;
    }
    const tokenSet = deserializeTokenSet(event.newValue);
    if (tokenSet) this.#adopt(tokenSet);
  }

  /**
   * After waiting for the refresh lock: did another tab refresh meanwhile? Shared storage tells at
   * once; with per-tab sessionStorage the open tabs are asked.
   */
  async #newerSharedSession(stale: TokenSet): Promise<TokenSet | null> {
    const fresh = (candidate: TokenSet | null | undefined) =>
      candidate && candidate.accessToken !== stale.accessToken && !isRefreshDue(candidate, this.#now()) ? candidate : null;
    const cached = fresh(this.queryClient.getQueryData<TokenSet | null>(this.#queryKey));
    if (cached) return cached;
    if (this.#store.kind === "local" || this.#store.kind === "custom") return fresh(this.#store.load());
    const sync = this.#tabSync();
    if ((this.#store.kind === "session" || this.#store.kind === "cookie") && sync?.hasPeers()) {
      const heard = fresh(await sync.request(PEER_CHECK_TIMEOUT_MS));
      if (heard) this.#store.save(heard);
      return heard;
    }
    return null;
  }

  /** A new tab in session-storage mode, while another tab may hold a session (a hint says so). */
  #mayJoinPeers(): boolean {
    if ((this.#store.kind !== "session" && this.#store.kind !== "cookie") || typeof BroadcastChannel === "undefined") return false;
    try {
      return window.localStorage.getItem(this.#hintKey()) === "1";
    } catch {
      return false;
    }
  }

  async #joinPeers(): Promise<TokenSet | null> {
    const tokenSet = (await this.#tabSync()?.request(JOIN_TIMEOUT_MS)) ?? null;
    if (!tokenSet || isExpired(tokenSet, this.#now())) {
      if (!this.#tabSync()?.hasPeers()) this.#setSessionHint(false); // nobody answered: the hint is stale
      return null;
    }
    this.#store.save(tokenSet);
    return tokenSet;
  }

  #hintKey(): string {
    return `smartbills.session-hint.${this.config.clientId}`;
  }

  /**
   * A token-free marker in localStorage that some tab holds a session, so a new tab knows whether
   * to wait for one. Only for session storage, where tokens are handed over in memory.
   */
  #setSessionHint(present: boolean): void {
    if ((this.#store.kind !== "session" && this.#store.kind !== "cookie") || typeof window === "undefined") return;
    try {
      if (present) window.localStorage.setItem(this.#hintKey(), "1");
      else window.localStorage.removeItem(this.#hintKey());
    } catch {
      // Blocked storage: new tabs will sign in again, nothing worse.
    }
  }
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
