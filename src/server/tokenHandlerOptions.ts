import type { ClientAuthenticationMethod } from "./clientAuthentication.js";

/**
 * Options of `createTokenHandler`.
 *
 * @example
 * ```ts
 * const options: TokenHandlerOptions = { clientId, clientSecret, allowedRedirectUris: ["https://app.example.com/callback"] }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 (client credentials the handler adds)
 */
export interface TokenHandlerOptions {
  /** The client id of your Smartbills API key. Read it from the server environment (`SMARTBILLS_CLIENT_ID`). */
  clientId: string;
  /** The client secret of your Smartbills API key (`SMARTBILLS_CLIENT_SECRET`). Never ship it to a browser. */
  clientSecret: string;
  /**
   * The authorization server, path included: the token endpoint is `${authority}/connect/token` and
   * the revocation endpoint `${authority}/connect/revocation` unless `discovery` or `endpoints` say
   * otherwise. Default `https://api.smartbills.io` (Smartbills' .NET SDK uses `https://api.smartbills.io/auth`).
   */
  authority?: string;
  /**
   * Read the token and revocation endpoints from `${authority}/.well-known/openid-configuration`:
   * fetched once, on the first request that needs it, and cached; its `issuer` must equal the
   * authority. While it cannot be had, token requests get 502 (and are retried at most once per 10 s).
   * Default `false`.
   */
  discovery?: boolean;
  /** Explicit endpoint URLs, winning over `discovery` and the `${authority}/connect/*` defaults. */
  endpoints?: {
    /** The token endpoint. */
    token?: string;
    /** The revocation endpoint `DELETE` sends the refresh token to (RFC 7009). */
    revocation?: string;
  };
  /**
   * How the secret reaches the token and revocation endpoints (RFC 6749 §2.3.1): in the form body
   * (`client_secret_post`, default, as Smartbills' docs show) or as `Authorization: Basic`
   * (`client_secret_basic`, as Smartbills' .NET SDK does). With `discovery` and no option, Basic when
   * the metadata lists only Basic.
   */
  clientAuthentication?: ClientAuthenticationMethod;
  /**
   * The redirect URIs your app's `<Callback/>` lives at, exactly as the browser sends them. A code
   * exchange with any other `redirect_uri` is refused, and a request whose `Origin` is not the origin
   * of one of them gets 403.
   */
  allowedRedirectUris: readonly string[];
  /** The `fetch` used to reach the authorization server. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * How long the authorization server (discovery and token request together) and the caller's body
   * may each take, in ms, whatever `fetch` does with its abort signal. Default 10 000 (504 after it).
   */
  timeoutMs?: number;
  /** The largest request body accepted, in bytes. Default 16 KiB (413 above it). */
  maxBodyBytes?: number;
  /** Called for every error answer, for logging. It never receives the secret, a code or a token. */
  onError?: (info: TokenHandlerErrorInfo) => void;
  /**
   * Keep the refresh token out of JavaScript (the "token-mediating backend" of the OAuth
   * browser-based-apps BCP): the endpoint puts it in an `HttpOnly; Secure; SameSite=Strict` cookie,
   * strips it from the JSON the page sees, and reads it back on `grant_type=refresh_token` and `DELETE`.
   * Pair it with `<SmartbillsProvider storage="cookie">`. `true` uses the defaults.
   */
  refreshTokenCookie?: boolean | RefreshTokenCookieOptions;
}

/**
 * Options of the refresh-token cookie.
 *
 * @example
 * ```ts
 * createTokenHandler({ ...options, refreshTokenCookie: { maxAge: 7 * 24 * 3600 } })
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.2
 */
export interface RefreshTokenCookieOptions {
  /**
   * Default `__Host-smartbills-refresh` with `Path=/`: the `__Host-` prefix forbids a `Domain` and so
   * stops a sibling subdomain from planting or overwriting the cookie. With a `path` (scoping the
   * cookie to the endpoint), the default name is `__Secure-smartbills-refresh`, since `__Host-`
   * requires `Path=/`.
   */
  name?: string;
  /** Limits the cookie to the endpoint's path. Default `/` (see `name`). */
  path?: string;
  /** Lifetime in seconds. Default 14 days. */
  maxAge?: number;
  /**
   * Where `DELETE` revokes the refresh token. Kept for existing setups: prefer `endpoints.revocation`,
   * which wins over it. `false` skips revocation (the cookie is still cleared).
   */
  revocationEndpoint?: string | false;
}

/**
 * What {@link TokenHandlerOptions.onError} receives: the answer's status and OAuth error, nothing else.
 *
 * @example
 * ```ts
 * createTokenHandler({ ...options, onError: ({ status, error }) => logger.warn({ status, error }, "token exchange refused") })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface TokenHandlerErrorInfo {
  status: number;
  error: string;
  error_description: string;
}

/**
 * A Fetch-API request handler: the exchange endpoint `createTokenHandler` makes.
 *
 * @example
 * ```ts
 * const response: Response = await tokenHandler(new Request(url, { method: "POST", body: form }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 */
export type TokenHandler = (request: Request) => Promise<Response>;

/** The request header the browser library sends with `DELETE` and in cookie mode; its absence means a forged or foreign request. */
export const CSRF_HEADER = "x-smartbills-request";
