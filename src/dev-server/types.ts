/**
 * The public shapes of `@smartbills/react/dev-server`. Kept free of Node and oidc-provider types, so
 * that an app's test files type-check with nothing but this package installed.
 */

/**
 * A connected account (a business) a user may act for, named by the account header.
 *
 * @example
 * const account: DevServerAccount = { id: "acct_shop", name: "The Shop" };
 */
export interface DevServerAccount {
  /** What the app sends in the account header (`on-behalf-of` by default). */
  id: string;
  name: string;
}

/**
 * A test user: sign in with `login` = `sub` and any password.
 *
 * @example
 * const user: DevServerUser = { sub: "carol", name: "Carol Roy", email: "carol@example.com", accounts: [{ id: "acct_c", name: "C Inc." }] };
 */
export interface DevServerUser {
  sub: string;
  name: string;
  email: string;
  /** The accounts `/v1/me` accepts in the account header for this user; default none. */
  accounts?: DevServerAccount[];
}

/**
 * What a client may do at the token endpoint.
 *
 * @example
 * const grants: DevServerGrant[] = ["client_credentials"];
 */
export type DevServerGrant = "authorization_code" | "refresh_token" | "client_credentials";

/**
 * How a confidential client presents its secret (RFC 6749 §2.3.1).
 *
 * @example
 * const method: DevServerClientAuthMethod = "client_secret_basic"; // what the .NET SDK sends
 */
export type DevServerClientAuthMethod = "client_secret_post" | "client_secret_basic";

/**
 * An OAuth client of the dev server. Without `clientSecret` it is a public client (PKCE only, token
 * endpoint CORS for its redirect URIs' origins); with one, a confidential client (no CORS: its
 * secret belongs to a backend).
 *
 * @example
 * const app: DevServerClient = { clientId: "my-app", clientSecret: "dev-secret", redirectUris: ["http://127.0.0.1:5173/callback"] };
 * const service: DevServerClient = { clientId: "my-job", clientSecret: "dev-secret", grants: ["client_credentials"] };
 */
export interface DevServerClient {
  clientId: string;
  clientSecret?: string;
  /** Loopback `http:` or any `https:` URL; anything else is refused at start. Needed for sign-in grants. */
  redirectUris?: string[];
  /** Default: each redirect URI's origin + `/`. */
  postLogoutRedirectUris?: string[];
  /** Default `["authorization_code", "refresh_token"]` (with `redirectUris`), else `["client_credentials"]`. */
  grants?: DevServerGrant[];
  /** Default `client_secret_post`; `client_secret_basic` under `basePath: "/auth"` (the .NET SDK's way). */
  tokenEndpointAuthMethod?: DevServerClientAuthMethod;
  /** Scopes a client-credentials token may have; default `"api"`. */
  scope?: string;
}

/**
 * Options of {@link startSmartbillsDevServer}.
 *
 * @example
 * const options: SmartbillsDevServerOptions = { clients: [{ clientId: "app", redirectUris: ["http://127.0.0.1:5173/callback"] }] };
 */
export interface SmartbillsDevServerOptions {
  /** Port on 127.0.0.1; default 0 (a free port). The server never binds anything but loopback. */
  port?: number;
  /**
   * Where the authorization server lives under the origin: `""` (default, authority = url) or `"/auth"`
   * (the .NET SDK's layout: authority = url + "/auth", and confidential clients accept only HTTP Basic).
   */
  basePath?: string;
  clients: DevServerClient[];
  /** Default {@link DEFAULT_DEV_USERS} (alice and bob). */
  users?: readonly DevServerUser[];
  /** Access-token lifetime (also `expires_in`); default 3600. */
  accessTokenTtlSeconds?: number;
  /** Client-credentials token lifetime; default `accessTokenTtlSeconds`. */
  clientCredentialsTtlSeconds?: number;
  /** Refresh-token lifetime; default 86400. A public client's rotated token keeps its predecessor's expiry. */
  refreshTokenTtlSeconds?: number;
  /** ID-token lifetime; default 3600. */
  idTokenTtlSeconds?: number;
  /** A new refresh token on every use, the spent one refused (and its grant revoked); default true. */
  refreshTokenRotation?: boolean;
  /** The header `/v1/me` reads the connected account from; default `"on-behalf-of"` (Smartbills' .NET SDK: `"x-tenant-id"`). */
  accountHeader?: string;
  /** More origins allowed to call `/v1/*` from a browser; the redirect URIs' origins always are. */
  apiCorsOrigins?: string[];
  /** Where the start notice and server errors go; default one line each on stderr; `false` for silence. */
  log?: ((line: string) => void) | false;
}

/**
 * One POST to the token endpoint, recorded once oidc-provider parsed it, so tests can count
 * exchanges and refreshes. Never holds a secret or a token.
 *
 * @example
 * expect(dev.requests.filter((r) => r.grantType === "refresh_token")).toHaveLength(1);
 */
export interface DevServerTokenRequest {
  /** `grant_type` of the body; null when missing or unparseable. */
  grantType: string | null;
  /** The authenticated client, else the body's `client_id`; null when neither. */
  clientId: string | null;
  /** `client_secret_basic`, `client_secret_post`, `none`, or null when no client authenticated. */
  authMethod: string | null;
  status: number;
  /** OAuth error code of a refused request, else null. */
  error: string | null;
  /** The `Origin` header, or null. */
  origin: string | null;
  /** Arrival, epoch ms. */
  at: number;
}

/**
 * One request to `/v1/*` (preflights excluded), to check what the app sent.
 *
 * @example
 * expect(dev.apiRequests.at(-1)).toMatchObject({ path: "/v1/me", onBehalfOf: "acct_bakery", status: 200 });
 */
export interface DevServerApiRequest {
  method: string;
  path: string;
  /** The account header's value as sent, or null (named after the default header). */
  onBehalfOf: string | null;
  status: number;
  /** The token's client when the token was valid. */
  clientId: string | null;
  /** The token's user; null for client-credentials or invalid tokens. */
  sub: string | null;
  at: number;
}

/**
 * The part of a Playwright `Page` that {@link SmartbillsDevServer.signIn} uses (declared here so the
 * library never imports Playwright; a real `Page` fits).
 *
 * @example
 * const page: DevServerPage = await browser.newPage(); // playwright-core's Page
 */
export interface DevServerPage {
  url(): string;
  content(): Promise<string>;
  fill(selector: string, value: string): Promise<void>;
  click(selector: string): Promise<void>;
  waitForURL(url: (url: URL) => boolean, options?: { timeout?: number }): Promise<unknown>;
}

/**
 * Options of {@link SmartbillsDevServer.signIn}.
 *
 * @example
 * await dev.signIn(page, { login: "bob", timeoutMs: 5_000 });
 */
export interface DevServerSignInOptions {
  /** A test user's `sub`, e.g. `"alice"`. */
  login: string;
  /** Any password works; default `"password"`. */
  password?: string;
  /** Upper bound for each page to appear, ms; default 10 000. */
  timeoutMs?: number;
}

/**
 * What {@link SmartbillsDevServer.signIn} went through: `["login", "consent"]`, or `["consent"]` when
 * the session was still there (so a test can tell that a sign-out really ended it).
 *
 * @example
 * expect((await dev.signIn(page, { login: "alice" })).prompts).toContain("login");
 */
export interface DevServerSignInResult {
  prompts: ("login" | "consent")[];
}

/**
 * A running dev server.
 *
 * @example
 * const dev: SmartbillsDevServer = await startSmartbillsDevServer({ clients });
 * afterAll(() => dev.close());
 */
export interface SmartbillsDevServer {
  /** `http://127.0.0.1:<port>`: the origin, where `/v1/*` lives. */
  readonly url: string;
  /** What the library calls `authority`: `url` + `basePath`. Also the issuer. */
  readonly authority: string;
  /** Same as `authority` (the `iss` of tokens and callbacks). */
  readonly issuer: string;
  readonly port: number;
  readonly basePath: string;
  readonly users: readonly DevServerUser[];
  /** The clients as resolved (defaults filled in). */
  readonly clients: readonly Readonly<Required<Pick<DevServerClient, "clientId" | "grants" | "tokenEndpointAuthMethod">> & DevServerClient>[];
  /** Every POST to the token endpoint, in arrival order (cleared in place by `resetRequests`). */
  readonly requests: DevServerTokenRequest[];
  /** Every non-preflight request to `/v1/*`, in arrival order. */
  readonly apiRequests: DevServerApiRequest[];
  /** Empties `requests` and `apiRequests` in place (held references see it). */
  resetRequests(): void;
  /** Accepts more redirect URIs for a client after start (e.g. once the app's port is known). */
  addRedirectUris(clientId: string, uris: string[]): void;
  /** The next `count` token requests are answered 429 with `Retry-After: retryAfterSeconds` (default 1). */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /**
   * Completes the login (and consent) pages on `page`, which must be at or on its way to this server's
   * sign-in pages; resolves once the browser has left for the app. Rejects, naming the step, when a
   * page does not come within `timeoutMs` or the login is no user.
   */
  signIn(page: DevServerPage, options: DevServerSignInOptions): Promise<DevServerSignInResult>;
  /** Stops listening, ends every connection; resolves when the port is free. */
  close(): Promise<void>;
}
