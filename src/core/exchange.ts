import { SmartbillsAuthError } from "./errors.js";
import { isOAuthErrorCode } from "./oauthErrorCode.js";
import { parseTokenResponse } from "./tokenResponse.js";
import type { TokenSet } from "./tokenSet.js";

// Kept apart so that an app's start-up code has them without the token requests (loaded when first needed).
export { CSRF_HEADER, isTransientError } from "./session.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** How the browser reaches the exchange endpoint. */
export interface ExchangeTransport {
  /** The exchange endpoint (or the token endpoint, for a public client). */
  endpoint: string;
  clientId: string;
  fetch: typeof fetch;
  /** Abort after this long, so nothing hangs. Default 30 s. */
  timeoutMs?: number;
  /** `same-origin` by default; `include` for a backend that keeps the refresh token in a cookie. */
  credentials?: RequestCredentials;
  /** Extra request headers (e.g. a CSRF header for the cookie mode). */
  headers?: Record<string, string>;
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Redeems an authorization code. The body is exactly the OAuth token request without the secret,
 * which the backend adds.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 */
export function exchangeCode(
  transport: ExchangeTransport,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: params.redirectUri,
    code_verifier: params.codeVerifier,
  });
  return tokenRequest(transport, form, [params.code, params.codeVerifier], null, false);
}

/**
 * Trades a refresh token for a new token set; a rotated refresh token replaces the old one, a
 * missing one keeps it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenSet(transport: ExchangeTransport, previous: TokenSet | null): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: "refresh_token" });
  // Without one (cookie mode), the backend takes the refresh token from its HttpOnly cookie.
  if (previous?.refreshToken) form.set("refresh_token", previous.refreshToken);
  return tokenRequest(transport, form, [previous?.refreshToken, previous?.accessToken], previous, true);
}



/**
 * Sends one request to the endpoint and reads its JSON answer (undefined when it is not JSON), the
 * whole bounded by the timeout. Never sends a Referer (the callback URL held the code), never
 * follows a redirect (it would re-send the code elsewhere), never uses the HTTP cache.
 * Throws `network_error` when no answer arrives.
 */
async function send(
  transport: ExchangeTransport,
  method: string,
  body?: string,
  headers?: Record<string, string>,
): Promise<[Response, unknown]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    const response = await transport.fetch(transport.endpoint, {
      method,
      headers: { ...headers, ...transport.headers },
      body,
      credentials: transport.credentials ?? "same-origin",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      redirect: "error",
      signal: controller.signal,
    });
    // Not JSON (an HTML error page, an empty body) or cut off by the timeout: undefined.
    const json: unknown = await response.json().catch(() => undefined);
    return [response, json];
  } catch (cause) {
    // Only the fetch itself can fail here: no answer arrived.
    throw new SmartbillsAuthError("network_error", {
      description: process.env.NODE_ENV !== "production" ? (controller.signal.aborted ? "The token request timed out." : "The token request failed before any answer arrived.") : undefined,
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Posts a token request (the client id added) and maps every failure to a {@link SmartbillsAuthError}. */
async function tokenRequest(
  transport: ExchangeTransport,
  form: URLSearchParams,
  secrets: (string | undefined)[],
  previous: TokenSet | null,
  refresh: boolean,
): Promise<TokenSet> {
  form.set("client_id", transport.clientId);
  const [response, json] = await send(transport, "POST", form.toString(), {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  });
  const { status } = response;

  if (!response.ok) {
    const { error, error_description: serverDescription } = (json ?? {}) as Record<string, unknown>;
    let detail = process.env.NODE_ENV !== "production" ? `The token endpoint answered HTTP ${status}.` : undefined;
    // Only a code in OAuth's own character set is kept, and the server's words are scrubbed of our
    // secrets (those of 8 characters or more) that it may quote.
    if (isOAuthErrorCode(error)) {
      detail = typeof serverDescription === "string" && serverDescription ? `${error}: ${serverDescription}` : error;
      for (const secret of secrets) if (secret && secret.length >= 8) detail = detail.split(secret).join("[redacted]");
    }
    // Only the grant itself being refused ends a session; a server or proxy failure may pass.
    const transient = refresh && (status >= 500 || status === 408 || status === 429);
    throw new SmartbillsAuthError(transient ? "network_error" : refresh ? "refresh_failed" : "exchange_failed", {
      description: transient ? (process.env.NODE_ENV !== "production" ? `The token endpoint is unavailable (HTTP ${status}).` : undefined) : detail,
      status,
      response,
    });
  }
  return parseTokenResponse(json, (transport.now ?? Date.now)(), previous, response);
}
