import { QueryClient } from "@tanstack/react-query";
import { useMemo, useState, type ReactNode } from "react";
import { resolveConfig, type ResolvedConfig } from "../core/config.js";
import { SmartbillsAuthError, SmartbillsErrorCodes } from "../core/errors.js";
import { decodeJwtPayload, type SmartbillsUser } from "../core/idToken.js";
import { assertTrustedUrl } from "../core/origins.js";
import { createTokenSet, type TokenSet } from "../core/tokenSet.js";
import type { CallbackResult, LoginOptions, LogoutOptions, SmartbillsClientLike } from "../react/clientTypes.js";
import { createExternalStore } from "../react/externalStore.js";
import { SmartbillsContext, type SmartbillsContextValue } from "../react/context.js";
import { smartbillsKeys } from "../react/smartbillsKeys.js";

/** Props of {@link MockSmartbillsProvider}. */
export interface MockSmartbillsProviderProps {
  /** The access token the hooks report and `useSmartbillsFetch` sends. Default `"mock-access-token"`. */
  accessToken?: string;
  /** Signed in (default) or out. */
  signedIn?: boolean;
  /** The connected account sent as `on-behalf-of`. */
  onBehalfOf?: string;
  /** Token expiry, epoch ms. Default: one hour from mount. */
  expiresAt?: number;
  /** Granted scopes. Default `"openid offline_access"`. */
  scope?: string;
  /** An error the session reports (`useSmartbillsAuth().error`) and `<Callback/>` renders. */
  error?: SmartbillsAuthError;
  /** Where `<Callback/>` says the login wanted to return. Default `"/"`. */
  callbackReturnTo?: string;
  /**
   * Who is signed in: what `useSmartbillsAuth().user` and `useSmartbillsUserInfo()` return.
   * Default `{ sub: "mock-user" }`; ignored when signed out.
   */
  user?: SmartbillsUser;
  /** Recorded `login` calls. */
  onLogin?: (options: LoginOptions) => void;
  /** Recorded `logout` calls, with their options (`{ endSession: true }`, `{ returnTo }`). */
  onLogout?: (options: LogoutOptions) => void;
  /** Navigation after the callback or `logout({ returnTo })`. Default: none. */
  onRedirectCallback?: (returnTo: string) => void;
  /** The fetch `useSmartbillsFetch` calls. Default: the global `fetch` at call time. */
  fetch?: typeof fetch;
  clientId?: string;
  authority?: string;
  /** The header `useSmartbillsFetch` sends `onBehalfOf` in. Default `"on-behalf-of"`. */
  accountHeader?: string;
  apiOrigins?: string[];
  children?: ReactNode;
}

/**
 * Stands in for `SmartbillsProvider` in an app's tests: every hook and component works inside
 * it with no network and no authorization server, and `login`/`logout` are recorded.
 *
 * @example
 * ```tsx
 * const onLogin = vi.fn()
 * render(<MockSmartbillsProvider signedIn={false} onLogin={onLogin}><App /></MockSmartbillsProvider>)
 * await user.click(screen.getByRole("button", { name: /sign in/i }))
 * expect(onLogin).toHaveBeenCalled()
 * ```
 */
export function MockSmartbillsProvider(props: MockSmartbillsProviderProps): ReactNode {
  const { clientId = "mock-client", authority, apiOrigins, onBehalfOf, children } = props;
  const [client] = useState(() => new MockClient(props));
  client.props = props;

  const { accessToken = "mock-access-token", signedIn = true, expiresAt, scope = "openid offline_access", error, user = MOCK_USER } = props;
  // Keep the query in step with the props, so a test can re-render signed in, out or failed.
  const userJson = JSON.stringify(user);
  useMemo(() => client.seed({ accessToken, signedIn, expiresAt, scope, error, user }), [client, accessToken, signedIn, expiresAt, scope, error, userJson]);
  useMemo(() => client.configure(clientId, authority, apiOrigins, props.accountHeader), [client, clientId, authority, apiOrigins, props.accountHeader]);

  const value = useMemo<SmartbillsContextValue>(() => ({ client, onBehalfOf }), [client, onBehalfOf]);
  return <SmartbillsContext.Provider value={value}>{children}</SmartbillsContext.Provider>;
}

const MOCK_USER: SmartbillsUser = { sub: "mock-user" };

function base64url(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

class MockClient implements SmartbillsClientLike {
  props: MockSmartbillsProviderProps;
  config: ResolvedConfig;
  readonly queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  readonly redirecting = createExternalStore(false);
  readonly loginError = createExternalStore<SmartbillsAuthError | null>(null);

  constructor(props: MockSmartbillsProviderProps) {
    this.props = props;
    this.config = this.#resolve(props.clientId ?? "mock-client", props.authority, props.apiOrigins, props.accountHeader);
  }

  configure(clientId: string, authority: string | undefined, apiOrigins: string[] | undefined, accountHeader: string | undefined) {
    this.config = this.#resolve(clientId, authority, apiOrigins, accountHeader);
  }

  seed({ accessToken, signedIn, expiresAt, scope, error, user }: { accessToken: string; signedIn: boolean; expiresAt: number | undefined; scope: string; error: SmartbillsAuthError | undefined; user: SmartbillsUser }) {
    const key = smartbillsKeys.token(this.config.clientId);
    const now = Date.now();
    // The user travels as an unsigned ID token, so the hooks read it exactly as in a real session.
    const idToken = `${base64url({ alg: "none" })}.${base64url(user)}.`;
    const data: TokenSet | null = signedIn ? createTokenSet({ accessToken, tokenType: "Bearer", expiresAt: expiresAt ?? now + 3_600_000, issuedAt: now, scope, idToken }) : null;
    this.queryClient.setQueryData(key, data);
    this.queryClient.removeQueries({ queryKey: smartbillsKeys.userInfo(this.config.clientId) });
    if (error) this.queryClient.getQueryCache().find({ queryKey: key })?.setState({ status: "error", error, data });
  }

  tokenQueryOptions() {
    return {
      queryKey: smartbillsKeys.token(this.config.clientId) as readonly unknown[],
      queryFn: () => this.queryClient.getQueryData<TokenSet | null>(smartbillsKeys.token(this.config.clientId)) ?? null,
      staleTime: Infinity,
      gcTime: Infinity,
      retry: false,
      structuralSharing: false,
      networkMode: "always" as const,
    };
  }

  async login(options: LoginOptions = {}): Promise<void> {
    this.props.onLogin?.(options);
    this.redirecting.set(true);
  }

  async logout(options: LogoutOptions = {}): Promise<void> {
    this.props.onLogout?.(options);
    this.queryClient.setQueryData(smartbillsKeys.token(this.config.clientId), null);
    this.queryClient.removeQueries({ queryKey: smartbillsKeys.userInfo(this.config.clientId) });
    if (options.returnTo !== undefined && !options.endSession) this.navigate(options.returnTo);
  }

  async endpoints() {
    return this.config.endpoints;
  }

  readonly send: typeof fetch = (input, init) => (this.props.fetch ?? globalThis.fetch)(input, init);

  user(data: TokenSet | null | undefined): SmartbillsUser | null {
    return data?.idToken ? (decodeJwtPayload(data.idToken) as SmartbillsUser) : null;
  }

  async loadUserInfo(): Promise<SmartbillsUser | null> {
    return this.user(this.queryClient.getQueryData<TokenSet | null>(smartbillsKeys.token(this.config.clientId)));
  }

  async getAccessToken(): Promise<string> {
    const data = this.queryClient.getQueryData<TokenSet | null>(smartbillsKeys.token(this.config.clientId));
    if (!data) throw new SmartbillsAuthError(SmartbillsErrorCodes.LOGIN_REQUIRED, { description: "The mock user is signed out." });
    return data.accessToken;
  }

  async fetch(input: RequestInfo | URL, init: RequestInit | undefined, onBehalfOf: string | undefined): Promise<Response> {
    const target = typeof Request !== "undefined" && input instanceof Request ? input.url : input instanceof URL ? input.href : String(input);
    assertTrustedUrl(target, typeof window === "undefined" ? undefined : window.location.origin, this.config.trustedOrigins);
    const headers = new Headers(init?.headers);
    headers.set("Authorization", `Bearer ${await this.getAccessToken()}`);
    if (onBehalfOf) headers.set(this.config.accountHeader, onBehalfOf);
    return (this.props.fetch ?? globalThis.fetch)(input, { ...init, headers });
  }

  async completeCallback(): Promise<CallbackResult> {
    if (this.props.error) throw this.props.error;
    const data = this.queryClient.getQueryData<TokenSet | null>(smartbillsKeys.token(this.config.clientId));
    if (!data) throw new SmartbillsAuthError(SmartbillsErrorCodes.MISSING_TRANSACTION, { description: "The mock user is signed out." });
    return { tokenSet: data, returnTo: this.props.callbackReturnTo ?? "/" };
  }

  navigate(returnTo: string): void {
    this.props.onRedirectCallback?.(returnTo);
  }

  start(): () => void {
    return () => {};
  }

  #resolve(clientId: string, authority: string | undefined, apiOrigins: string[] | undefined, accountHeader: string | undefined): ResolvedConfig {
    return resolveConfig(
      { clientId, ...(authority !== undefined && { authority }), ...(apiOrigins !== undefined && { apiOrigins }), ...(accountHeader !== undefined && { accountHeader }), storage: "memory" },
      typeof window === "undefined" ? undefined : window.location.origin,
    );
  }
}
