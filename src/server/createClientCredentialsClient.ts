import { SmartbillsAuthError, SmartbillsErrorCodes } from "../core/errors.js";
import { postTokenRequest } from "./postTokenRequest.js";
import { readOAuthError } from "./readOAuthError.js";
import { redactSecret } from "./redactSecret.js";
import { tokenEndpointUrl } from "./tokenEndpointUrl.js";

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
  /** The authorization server; the token endpoint is `${authority}/connect/token`. Default `https://api.smartbills.io`. */
  authority?: string;
  /** The scope to ask for, space-separated. Default: none sent (the server's default for the client). */
  scope?: string;
  /** The `fetch` used for the token endpoint and for {@link ClientCredentialsClient.fetch}. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long a token request may take, in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * Further origins {@link ClientCredentialsClient.fetch} may send the token to, besides the
   * authority's. Any other URL rejects with `untrusted_origin` before a request is made.
   */
  apiOrigins?: readonly string[];
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
  /** A connected account id, sent as the `on-behalf-of` header. */
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
   * {@link SmartbillsAuthError}; a failure is not cached, so the next call tries again.
   */
  getToken(): Promise<string>;
  /**
   * `fetch` with `Authorization: Bearer <token>` (and `on-behalf-of` when `onBehalfOf` is given),
   * keeping the caller's other headers. After a 401 it drops the cached token and retries once with a
   * new one.
   */
  fetch(input: RequestInfo | URL, init?: ClientCredentialsFetchInit): Promise<Response>;
}

const DEFAULT_AUTHORITY = "https://api.smartbills.io";
/** Refresh this long before expiry at most… */
const MAX_MARGIN_MS = 60_000;
/** RFC 6749 makes `expires_in` optional; without it, assume a short life (a 401 still drops the token early). */
const DEFAULT_LIFETIME_S = 300;

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * A server-to-server client for the Smartbills API (the OAuth client credentials grant): it gets and
 * caches an access token with your API key and sends it, optionally on behalf of a connected account.
 * The secret is sent form-encoded in the body (`client_secret_post`). It refuses to run in a browser.
 *
 * The token cache belongs to the instance, so it is keyed by the instance's (client id, scope): create
 * one client per (client id, scope) at startup and reuse it.
 *
 * @example
 * ```ts
 * const smartbills = createClientCredentialsClient({
 *   clientId: process.env.SMARTBILLS_CLIENT_ID!,
 *   clientSecret: process.env.SMARTBILLS_CLIENT_SECRET!,
 * })
 * const res = await smartbills.fetch("https://api.smartbills.io/v1/receipts", { onBehalfOf: accountId })
 * ```
 * @throws SmartbillsAuthError `unsupported_environment` in a browser (where `window` and `document` exist).
 * @throws TypeError naming the option, when an option is missing or invalid.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4 (client credentials grant)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 (client_secret_post)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1 (Bearer header)
 */
export function createClientCredentialsClient(options: ClientCredentialsClientOptions): ClientCredentialsClient {
  if (typeof window !== "undefined" && typeof document !== "undefined") {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT, {
      description: "createClientCredentialsClient holds a client secret and refuses to run in a browser; use it on your server only.",
    });
  }
  const name = "createClientCredentialsClient";
  if (typeof options !== "object" || options === null) throw new TypeError(`${name}: options must be an object.`);
  const { clientId, clientSecret, scope, timeoutMs = 10_000 } = options;
  if (typeof clientId !== "string" || clientId === "") throw new TypeError(`${name}: "clientId" is required.`);
  if (typeof clientSecret !== "string" || clientSecret === "") throw new TypeError(`${name}: "clientSecret" is required.`);
  if (scope !== undefined && typeof scope !== "string") throw new TypeError(`${name}: "scope" must be a string.`);
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`${name}: "timeoutMs" must be a positive number.`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${name}: "fetch" must be a function.`);
  const tokenUrl = tokenEndpointUrl(options.authority ?? DEFAULT_AUTHORITY, name);
  const trusted = resolveApiOrigins(options.apiOrigins, tokenUrl, name);
  // Called as a plain function: some runtimes throw "Illegal invocation" for fetch called as a method of another object.
  const fetchFn: typeof fetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  let cached: CachedToken | null = null;
  let inflight: Promise<string> | null = null;

  const requestToken = async (): Promise<CachedToken> => {
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
    if (scope) body.set("scope", scope);
    const started = Date.now();
    const outcome = await postTokenRequest(fetchFn, tokenUrl, body, timeoutMs);
    switch (outcome.kind) {
      case "timeout":
        throw new SmartbillsAuthError(SmartbillsErrorCodes.NETWORK_ERROR, { description: `The token request timed out after ${timeoutMs} ms.` });
      case "network":
        throw new SmartbillsAuthError(SmartbillsErrorCodes.NETWORK_ERROR, { description: "The token endpoint could not be reached." });
      case "redirect":
        throw new SmartbillsAuthError(SmartbillsErrorCodes.EXCHANGE_FAILED, {
          description: `The token endpoint answered with a redirect (HTTP ${outcome.status}), which is not followed.`,
          status: outcome.status,
        });
      case "unreadable":
        throw new SmartbillsAuthError(SmartbillsErrorCodes.INVALID_RESPONSE, { description: "The token endpoint's answer could not be read.", status: outcome.status });
      case "answer":
        break;
    }
    const { status, json } = outcome;
    if (status < 200 || status >= 300) {
      const oauth = readOAuthError(json, clientSecret);
      if (oauth === null) throw new SmartbillsAuthError(SmartbillsErrorCodes.EXCHANGE_FAILED, { description: `The token endpoint answered HTTP ${status}.`, status });
      throw new SmartbillsAuthError(oauth.error, { ...(oauth.error_description !== undefined && { description: oauth.error_description }), status });
    }
    return toCachedToken(json, started, clientSecret, status);
  };

  const getToken = (): Promise<string> => {
    if (cached !== null && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    // One request however many callers ask at once; cleared when it settles, so a failure is retried.
    inflight ??= requestToken()
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
      throw new TypeError(`${name}: "onBehalfOf" must be a non-empty string.`);
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
      if (onBehalfOf !== undefined) headers.set("on-behalf-of", onBehalfOf);
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

function toCachedToken(json: unknown, started: number, secret: string, status: number): CachedToken {
  const invalid = (description: string) => new SmartbillsAuthError(SmartbillsErrorCodes.INVALID_RESPONSE, { description, status });
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw invalid("The token endpoint's answer is not a JSON object.");
  const answer = json as Record<string, unknown>;
  if (typeof answer.access_token !== "string" || answer.access_token === "") throw invalid("The token endpoint's answer has no access_token.");
  if (answer.token_type !== undefined && (typeof answer.token_type !== "string" || answer.token_type.toLowerCase() !== "bearer")) {
    throw invalid("The token endpoint's answer is not a Bearer token.");
  }
  if (secret.length >= 8 && redactSecret(answer.access_token, secret, "") !== answer.access_token) throw invalid("The token endpoint's answer was refused.");
  let lifetimeS = DEFAULT_LIFETIME_S;
  if (answer.expires_in !== undefined) {
    const value = typeof answer.expires_in === "string" && answer.expires_in.trim() !== "" ? Number(answer.expires_in) : answer.expires_in;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalid("The token endpoint's expires_in is not a number of seconds.");
    lifetimeS = value;
  }
  const lifetimeMs = lifetimeS * 1000;
  // Counted from when the request started: the server's clock started before our answer arrived.
  return { token: answer.access_token, refreshAt: started + lifetimeMs - Math.min(MAX_MARGIN_MS, lifetimeMs / 2) };
}

function resolveApiOrigins(apiOrigins: readonly string[] | undefined, tokenUrl: string, name: string): ReadonlySet<string> {
  // The authority is trusted with the secret already, so it may always receive the token.
  const origins = new Set<string>([new URL(tokenUrl).origin]);
  if (apiOrigins === undefined) return origins;
  if (!Array.isArray(apiOrigins)) throw new TypeError(`${name}: "apiOrigins" must be an array of absolute http(s) URLs.`);
  for (const value of apiOrigins as unknown[]) {
    let url: URL | null = null;
    try {
      url = typeof value === "string" ? new URL(value) : null;
    } catch {
      url = null;
    }
    if (url === null || (url.protocol !== "https:" && url.protocol !== "http:")) {
      throw new TypeError(`${name}: "apiOrigins" must contain absolute http(s) URLs.`);
    }
    origins.add(url.origin);
  }
  return origins;
}
