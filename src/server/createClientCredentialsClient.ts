import { SmartbillsAuthError, SmartbillsErrorCodes } from "../core/errors.js";
import { callUpstream } from "./callUpstream.js";
import type { ClientAuthenticationMethod } from "./clientAuthentication.js";
import { readClientCredentialsAnswer, resolveApiOrigins, retryAfterOf, type CachedToken } from "./clientCredentialsToken.js";
import { createEndpointsFor, resolveAuthority } from "./serverEndpoints.js";

/**
 * Options of {@link createClientCredentialsClient}.
 *
 * @example
 * ```ts
 * const options: ClientCredentialsClientOptions = { clientId, clientSecret, scope: "receipts:read" }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export interface ClientCredentialsClientOptions {
  /** The client id of your Smartbills API key (`SMARTBILLS_CLIENT_ID` in the server environment). */
  clientId: string;
  /** The client secret of your Smartbills API key (`SMARTBILLS_CLIENT_SECRET`). */
  clientSecret: string;
  /**
   * The authorization server, path included; the token endpoint is `${authority}/connect/token`
   * unless `discovery` or `endpoints` say otherwise. Default `https://api.smartbills.io`.
   */
  authority?: string;
  /**
   * Read the token endpoint from `${authority}/.well-known/openid-configuration`, once, on the first
   * token request; its `issuer` must equal the authority. While it cannot be had, `getToken` rejects
   * with its `invalid_metadata` or `network_error` (retried at most once per 10 s). Default `false`.
   */
  discovery?: boolean;
  /** Explicit endpoint URLs, winning over `discovery` and `${authority}/connect/*`. */
  endpoints?: {
    /** The token endpoint. Its origin may also receive the access token, as the authority's may. */
    token?: string;
    /** Accepted so one options object serves both server helpers; this client revokes nothing. */
    revocation?: string;
  };
  /**
   * How the secret reaches the token endpoint (RFC 6749 §2.3.1): `client_secret_post` (default, as
   * Smartbills' docs show) or `client_secret_basic` (as Smartbills' .NET SDK does). With `discovery`
   * and no option, Basic when the metadata lists only Basic.
   */
  clientAuthentication?: ClientAuthenticationMethod;
  /** The scope to ask for, space-separated. Default: none sent (the server's default for the client). */
  scope?: string;
  /** The `fetch` used for the token endpoint and for {@link ClientCredentialsClient.fetch}. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long a token request (discovery included) may take, in ms, whatever `fetch` does with its abort signal. Default 10 000. */
  timeoutMs?: number;
  /**
   * Further origins {@link ClientCredentialsClient.fetch} may send the token to, besides the
   * authority's. Any other URL rejects with `untrusted_origin` before a request is made.
   */
  apiOrigins?: readonly string[];
  /**
   * The header that carries `onBehalfOf` (a connected account or business id). Default
   * `on-behalf-of`, as Smartbills' docs name it; Smartbills' .NET SDK sends `x-tenant-id`. Only
   * this one header is sent, never both.
   */
  accountHeader?: string;
}

/**
 * `RequestInit` plus the connected account to act for.
 *
 * @example
 * ```ts
 * await smartbills.fetch(url, { method: "POST", body, onBehalfOf: "acct_1" })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export type ClientCredentialsFetchInit = RequestInit & {
  /** A connected account (or business) id, sent in the `accountHeader` header (default `on-behalf-of`). */
  onBehalfOf?: string;
};

/**
 * What {@link createClientCredentialsClient} returns.
 *
 * @example
 * ```ts
 * const token = await smartbills.getToken()
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3
 */
export interface ClientCredentialsClient {
  /**
   * An access token for this client, from the cache while it has more than a minute (or half its
   * lifetime) left, else from one token request that concurrent callers share. Rejects with a
   * {@link SmartbillsAuthError}; a failure is not cached, so the next call tries again, except that
   * after a 429 or 503 with `Retry-After` calls reject with `temporarily_unavailable` (carrying that
   * status) without a request until the time it named has passed.
   */
  getToken(): Promise<string>;
  /**
   * `fetch` with `Authorization: Bearer <token>` (and the account header when `onBehalfOf` is
   * given), keeping the caller's other headers. After a 401 it drops the cached token and retries
   * once with a new one.
   */
  fetch(input: RequestInfo | URL, init?: ClientCredentialsFetchInit): Promise<Response>;
}

const NAME = "createClientCredentialsClient";
/** RFC 9110 §5.1: a header name is a token. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A server-to-server client for the Smartbills API (the OAuth client credentials grant): it gets and
 * caches an access token with your API key and sends it, optionally on behalf of a connected account.
 * The secret goes in the body (`client_secret_post`) or as HTTP Basic. It refuses to run in a browser.
 *
 * The token cache belongs to the instance, so it is keyed by the instance's (client id, scope): create
 * one client per (client id, scope) at startup and reuse it. At most one token request is in flight at
 * a time (one that outlived `timeoutMs` is abandoned: its signal is aborted and its answer ignored).
 *
 * @example
 * ```ts
 * const smartbills = createClientCredentialsClient({
 *   clientId: process.env.SMARTBILLS_CLIENT_ID!,
 *   clientSecret: process.env.SMARTBILLS_CLIENT_SECRET!,
 *   authority: "https://api.smartbills.io/auth",
 *   clientAuthentication: "client_secret_basic",
 * })
 * const res = await smartbills.fetch("https://api.smartbills.io/v1/receipts", { onBehalfOf: accountId })
 * ```
 * @throws SmartbillsAuthError `unsupported_environment` in a browser (where `window` and `document` exist).
 * @throws TypeError naming the option, when an option is missing or invalid.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4 (client credentials grant)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 (client authentication)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1 (Bearer header)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
 */
export function createClientCredentialsClient(options: ClientCredentialsClientOptions): ClientCredentialsClient {
  if (typeof window !== "undefined" && typeof document !== "undefined") {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT, {
      description: "createClientCredentialsClient holds a client secret and refuses to run in a browser; use it on your server only.",
    });
  }
  if (typeof options !== "object" || options === null) throw new TypeError(`${NAME}: options must be an object.`);
  const { clientId, clientSecret, scope, timeoutMs = 10_000, accountHeader = "on-behalf-of" } = options;
  if (typeof clientId !== "string" || clientId === "") throw new TypeError(`${NAME}: "clientId" is required.`);
  if (typeof clientSecret !== "string" || clientSecret === "") throw new TypeError(`${NAME}: "clientSecret" is required.`);
  if (scope !== undefined && typeof scope !== "string") throw new TypeError(`${NAME}: "scope" must be a string.`);
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`${NAME}: "timeoutMs" must be a positive number.`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${NAME}: "fetch" must be a function.`);
  if (typeof accountHeader !== "string" || !HEADER_NAME.test(accountHeader) || accountHeader.toLowerCase() === "authorization") {
    throw new TypeError(`${NAME}: "accountHeader" must be a header name (not Authorization).`);
  }
  // Called as a plain function: some runtimes throw "Illegal invocation" for fetch called as a method of another object.
  const fetchFn: typeof fetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const endpoints = createEndpointsFor({ ...options, fetch: fetchFn, timeoutMs }, NAME);
  const authority = resolveAuthority(options.authority ?? "https://api.smartbills.io", NAME);
  const trusted = resolveApiOrigins(options.apiOrigins, [authority, ...(options.endpoints?.token ? [options.endpoints.token] : [])], NAME);
  const upstream = { clientId, clientSecret, endpoints, fetch: fetchFn, timeoutMs };

  let cached: CachedToken | null = null;
  let inflight: Promise<string> | null = null;
  /** Set by a 429/503 with Retry-After: no token request before `until`. */
  let pause: { until: number; status: number } | null = null;

  const requestToken = async (): Promise<CachedToken> => {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (scope) body.set("scope", scope);
    const started = Date.now();
    const outcome = await callUpstream(upstream, "token", body);
    const asked = retryAfterOf(outcome, Date.now());
    if (asked !== null && asked.waitMs > 0) pause = { until: Date.now() + asked.waitMs, status: asked.status };
    return readClientCredentialsAnswer(outcome, started, clientSecret, timeoutMs);
  };

  const getToken = (): Promise<string> => {
    if (cached !== null && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    if (inflight) return inflight;
    if (pause !== null && Date.now() < pause.until) {
      const seconds = Math.ceil((pause.until - Date.now()) / 1000);
      return Promise.reject(
        new SmartbillsAuthError("temporarily_unavailable", { description: `The token endpoint asked to wait; retry in ${seconds} s.`, status: pause.status }),
      );
    }
    // One request however many callers ask at once; cleared when it settles, so a failure is retried.
    inflight = requestToken()
      .then((fresh) => {
        cached = fresh;
        return fresh.token;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };

  const authorizedFetch = async (input: RequestInfo | URL, init?: ClientCredentialsFetchInit): Promise<Response> => {
    const { onBehalfOf, ...rest } = init ?? {};
    if (onBehalfOf !== undefined && (typeof onBehalfOf !== "string" || onBehalfOf === "")) {
      throw new TypeError(`${NAME}: "onBehalfOf" must be a non-empty string.`);
    }
    const template = new Request(input, rest);
    const origin = new URL(template.url).origin;
    if (!trusted.has(origin)) {
      throw new SmartbillsAuthError(SmartbillsErrorCodes.UNTRUSTED_ORIGIN, {
        description: `Refusing to send the access token to ${origin}; add it to apiOrigins if it is yours.`,
      });
    }
    const send = (token: string): Promise<Response> => {
      const headers = new Headers(template.headers);
      headers.set("Authorization", `Bearer ${token}`);
      if (onBehalfOf !== undefined) headers.set(accountHeader, onBehalfOf);
      // A clone per attempt: the retry needs the body again.
      return fetchFn(new Request(template.clone(), { headers }));
    };
    const firstToken = await getToken();
    const first = await send(firstToken);
    if (first.status !== 401) return first;
    first.body?.cancel().catch(() => {});
    // Only drop the token that was refused: another caller may already have fetched a newer one.
    if (cached?.token === firstToken) cached = null;
    return send(await getToken());
  };

  return { getToken, fetch: authorizedFetch };
}
