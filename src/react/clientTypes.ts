import type { QueryClient, QueryObserverOptions } from "@tanstack/react-query";
import type { Endpoints, ResolvedConfig } from "../core/config.js";
import type { SmartbillsAuthError } from "../core/errors.js";
import type { SmartbillsUser } from "../core/idToken.js";
import type { TokenSet } from "../core/tokenSet.js";
import type { ExternalStore } from "./externalStore.js";

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
  /** A path on this origin to go to once signed out. Default: stay. Ignored with `endSession`. */
  returnTo?: string;
  /**
   * Also end the session at Smartbills (OpenID Connect RP-Initiated Logout), so the next sign-in
   * asks for the password again: the browser goes to the end-session endpoint, which sends it back
   * to `postLogoutRedirectUri`. Rejects with `unsupported` (after signing out here) without one.
   */
  endSession?: boolean;
  /** Opens the end-session URL. Default: `window.location.assign`. */
  openUrl?: (url: string) => void | Promise<void>;
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
  /** `fetch` with the bearer token and the account header; see `useSmartbillsFetch`. */
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
  /** The authorization server's endpoints (from the metadata, with `discovery`). */
  endpoints(): Promise<Endpoints>;
  /** The `fetch` the client uses to reach the authorization server. */
  readonly send: typeof fetch;
  /** Who is signed in, from a session's data (the ID token's claims), or null. */
  user(data: TokenSet | null | undefined): SmartbillsUser | null;
  /** Loads the user info itself (the testing entry, the BFF mode); otherwise `useSmartbillsUserInfo` asks the endpoint. */
  loadUserInfo?(): Promise<SmartbillsUser | null>;
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
