import { SmartbillsAuthError, toSmartbillsAuthError } from "../../core/errors.js";
import type { SmartbillsUser } from "../../core/idToken.js";
import { sanitizeReturnTo } from "../../core/returnTo.js";
import { CSRF_HEADER } from "../../core/session.js";
import type { TokenSet } from "../../core/tokenSet.js";
import type { LoginOptions, LogoutOptions } from "../clientTypes.js";
import { smartbillsKeys } from "../smartbillsKeys.js";
import { createBffChannel } from "./bffChannel.js";
import { answerError, bffRequest, readBounded } from "./bffRequest.js";
import type { BffClient, BffClientOptions, BffSessionData } from "./bffTypes.js";
import { proxyTarget } from "./proxyTarget.js";
import { readClaims, readSession } from "./readSession.js";
import { refreshDelay } from "./refreshDelay.js";

export type { BffClient, BffClientOptions, BffSessionData } from "./bffTypes.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * The browser side of the backend for frontend (`<SmartbillsProvider bff="/api/smartbills">`):
 * every token stays on the server, and this client only talks to its routes, with the HttpOnly
 * session cookie. It implements the same `SmartbillsClientLike` as the token client, so the hooks
 * and components work unchanged: the session query (`smartbillsKeys.session(basePath)`) holds
 * `GET /session`'s answer, read strictly and refetched when the tab becomes visible, shortly before
 * the session's end and when another tab signs in or out; `login` goes to `/login`; `fetch` goes
 * through `/api/*` with `X-Smartbills-Request: 1`; `logout` POSTs `/logout`. There is no token
 * here: `getAccessToken` and `completeCallback` reject with `unsupported`.
 *
 * The provider loads this module lazily (see `createBffShell.ts`), so apps without `bff` never
 * bundle it.
 *
 * @example
 * ```ts
 * const client = createBffClient({ basePath, config, queryClient, queryOptions, redirecting, loginError })
 * await client.fetch("https://api.smartbills.io/v1/receipts", undefined, undefined) // → /api/smartbills/api/v1/receipts
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.1
 */
export function createBffClient(options: BffClientOptions): BffClient {
  const { config, queryClient, basePath, onRedirectCallback, redirecting, loginError } = options;
  const clock = options.now || Date.now;
  const browser = typeof window !== "undefined";
  const fetchImpl: typeof fetch = (input, init) => (options.fetch || fetch)(input, init);
  const queryOptions = { ...options.queryOptions, queryFn: loadSession };
  const userInfoKey = smartbillsKeys.userInfo(config.clientId);
  const { queryKey } = queryOptions;
  const apiOrigin = new URL(config.authority).origin;
  const channel = createBffChannel(basePath);
  const getData = () => queryClient.getQueryData<BffSessionData | null>(queryKey);
  const unsupported = (what: string) =>
    Promise.reject(new SmartbillsAuthError("unsupported", { description: process.env.NODE_ENV !== "production" ? `${what} does not exist with bff: the tokens stay on the server.` : undefined }));
  let started = false;
  /** logout({ endSession }) is sending the browser away. */
  let leaving = false;
  /** How many times the session ended here: a load that began before the last end is stale. */
  let ended = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** The session again from the server (joined if a load is under way); a failure stays in the query, with its data. */
  const refetch = () => {
    queryClient.fetchQuery({ ...queryOptions, staleTime: 0 }).catch(() => {});
  };

  /** Asks again shortly before the session's end: activity may have moved its idle timeout. */
  function schedule(session: BffSessionData | null | undefined): void {
    clearTimeout(timer);
    if (started && session) timer = setTimeout(refetch, refreshDelay(session.expiresAt, clock()));
  }

  /** The session ends here: loads under way are cancelled first, so none brings it back. */
  /**
   * The session ends here. `then` runs in the same task as the change (logout's navigation): a
   * mounted <RequireAuth> renders, and starts a sign-in, as soon as this task yields.
   */
  async function endLocally(then?: () => void): Promise<void> {
    ended += 1;
    clearTimeout(timer);
    await queryClient.cancelQueries({ queryKey, exact: true });
    queryClient.setQueryData<TokenSet | null>(queryKey, null);
    queryClient.removeQueries({ queryKey: userInfoKey });
    then?.();
  }

  /** The session ended (logout, or the server says so): here and in every other tab. */
  function endEverywhere(then?: () => void): Promise<void> {
    channel.post("logout");
    return endLocally(then);
  }

  async function loadSession(): Promise<BffSessionData | null> {
    const before = getData();
    const generation = ended;
    const session = readSession(await bffRequest(fetchImpl, `${basePath}/session`, { headers: { Accept: "application/json" } }), clock());
    // The session ended while this answer was on its way: the query dropped it, and so does this.
    if (generation !== ended) return null;
    // The other tabs follow a change the server reports: a new sign-in, or a session that ended.
    if (session && !before) channel.post("session");
    if (!session && before) channel.post("logout");
    if (!session) queryClient.removeQueries({ queryKey: userInfoKey });
    schedule(session);
    return session;
  }

  async function login(options: LoginOptions = {}): Promise<void> {
    // The page is on its way to the end-session endpoint (until a back-forward restore resets redirecting).
    if (leaving && redirecting.get()) return;
    loginError.set(null);
    try {
      if (!browser) throw new SmartbillsAuthError("unsupported_environment", { description: process.env.NODE_ENV !== "production" ? "login() needs a browser window." : undefined });
      // The server builds the authorization request (PKCE, state, nonce, scope): only these three are its to read.
      const params = new URLSearchParams({ returnTo: sanitizeReturnTo(options.returnTo ?? location.pathname + location.search + location.hash, location.origin) });
      if (options.prompt) params.set("prompt", options.prompt);
      if (options.loginHint) params.set("loginHint", options.loginHint);
      const url = `${location.origin}${basePath}/login?${params}`;
      redirecting.set(true);
      await (options.openUrl ?? ((href: string) => location.assign(href)))(url);
    } catch (error) {
      redirecting.set(false);
      if (error instanceof TypeError) throw error;
      const authError = toSmartbillsAuthError(error, "unsupported_environment");
      loginError.set(authError);
      throw authError;
    }
  }

  async function logout(options: LogoutOptions = {}): Promise<void> {
    const answer = await bffRequest(fetchImpl, `${basePath}/logout`, {
      method: "POST",
      headers: { [CSRF_HEADER]: "1", "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ endSession: !!options.endSession }),
    }).catch((error: unknown) => {
      // No answer: the session and its cookie are still there; say so, and show what the server says.
      refetch();
      throw error;
    });
    if (!answer.ok) {
      refetch();
      throw answerError(answer, "invalid_response", "The logout route");
    }
    const url = options.endSession ? endSessionUrl((answer.json as { endSessionUrl?: unknown } | undefined)?.endSessionUrl) : undefined;
    // Leaving for the end-session endpoint: set before the session ends here, so that a
    // <RequireAuth> that sees it end does not start a sign-in whose navigation would win.
    leaving = !!url;
    if (url) redirecting.set(true);
    const returnTo = !options.endSession && options.returnTo !== undefined && browser ? sanitizeReturnTo(options.returnTo, location.origin) : undefined;
    await endEverywhere(returnTo === undefined ? undefined : () => navigate(returnTo));
    if (options.endSession) {
      if (!url) throw new SmartbillsAuthError("unsupported", { description: process.env.NODE_ENV !== "production" ? "The backend returned no usable endSessionUrl." : undefined });
      await (options.openUrl ?? ((href: string) => location.assign(href)))(url);
      // A custom opener (a native shell) may keep this page: it can sign in again.
      if (options.openUrl) redirecting.set((leaving = false));
    }
  }

  async function bffFetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response> {
    if (!browser) throw new SmartbillsAuthError("unsupported_environment", { description: process.env.NODE_ENV !== "production" ? "With bff, fetch runs in the browser (on the server, use bff.getSession)." : undefined });
    const request = typeof Request !== "undefined" && input instanceof Request ? input : undefined;
    const target = proxyTarget(request ? request.url : String(input), location.origin, apiOrigin, basePath);
    const headers = new Headers(request?.headers);
    new Headers(init?.headers).forEach((value, name) => headers.set(name, value));
    // The backend adds the token; one the app set would only be dropped there.
    headers.delete("authorization");
    headers.set(CSRF_HEADER, "1");
    if (onBehalfOf) headers.set(config.accountHeader, onBehalfOf);
    let response: Response;
    try {
      // A Request's own settings, its body read first: `new Request(url, request)` would pass a
      // stream body, which browsers refuse without `duplex`.
      const own: RequestInit | undefined = request && {
        method: request.method,
        body: /^(GET|HEAD)$/.test(request.method) ? undefined : await request.arrayBuffer(),
        signal: request.signal,
        redirect: request.redirect,
        referrerPolicy: request.referrerPolicy,
      };
      response = await fetchImpl(target, { ...own, ...init, headers, credentials: "same-origin" });
    } catch (error) {
      throw toSmartbillsAuthError(error, "network_error");
    }
    if (response.status === 401 && (await saysLoginRequired(response))) await endEverywhere();
    return response;
  }

  async function loadUserInfo(): Promise<SmartbillsUser | null> {
    const answer = await bffRequest(fetchImpl, `${basePath}/userinfo`, { headers: { Accept: "application/json" } });
    if (answer.status === 401) {
      await endEverywhere();
      throw new SmartbillsAuthError("login_required", { status: 401 });
    }
    return readClaims(answer, getData()?.user?.sub);
  }

  function navigate(returnTo: string): void {
    if (onRedirectCallback) onRedirectCallback(returnTo);
    else if (browser) location.assign(returnTo);
  }

  function start(): () => void {
    started = true;
    schedule(getData());
    const onVisible = () => document.visibilityState === "visible" && refetch();
    document.addEventListener("visibilitychange", onVisible);
    window.addEventListener("online", refetch);
    const stopListening = channel.listen((signal) => {
      if (signal === "logout") void endLocally();
      // Another tab signed in: a tab that is signed out asks (one that is signed in already knows).
      else if (!getData()) refetch();
    });
    return () => {
      started = false;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
      window.removeEventListener("online", refetch);
      stopListening();
    };
  }

  return {
    config,
    queryClient,
    redirecting,
    loginError,
    tokenQueryOptions: () => queryOptions,
    loadSession,
    login,
    logout,
    getAccessToken: () => unsupported("getAccessToken()"),
    fetch: bffFetch,
    completeCallback: () => unsupported("<Callback/>"),
    navigate,
    start,
    // The browser knows no authorization server endpoint in this mode: the backend does.
    endpoints: () => Promise.resolve({ authorization: undefined, token: undefined, userinfo: undefined, revocation: undefined, endSession: undefined }),
    send: fetchImpl,
    user: (data) => (data as BffSessionData | null | undefined)?.user ?? null,
    loadUserInfo,
  };
}

/** Whether a 401 is the backend's "this session has ended" (not the API's own 401), read from a bounded copy. */
async function saysLoginRequired(response: Response): Promise<boolean> {
  if (!/json/i.test(response.headers.get("content-type") ?? "")) return false;
  try {
    const text = await readBounded(response.clone(), 4096);
    return text !== null && (JSON.parse(text) as { error?: unknown } | null)?.error === "login_required";
  } catch {
    return false;
  }
}

/** Only an http(s) URL is navigated to: a `javascript:` URL from a hostile answer must not run. */
function endSessionUrl(value: unknown): string | null {
  try {
    const url = typeof value === "string" ? new URL(value) : null;
    return url && (url.protocol === "https:" || (url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname))) ? url.href : null;
  } catch {
    return null;
  }
}
