import { SmartbillsAuthError, SmartbillsErrorCodes } from "./errors.js";
import { isOAuthErrorCode } from "./oauthErrorCode.js";
import { parseTokenResponse, type TokenSet } from "./tokenSet.js";

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
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: params.redirectUri,
    code_verifier: params.codeVerifier,
    client_id: transport.clientId,
  });
  return tokenRequest(transport, body, "authorization_code", [params.code, params.codeVerifier], null);
}

/**
 * Trades a refresh token for a new token set; a rotated refresh token replaces the old one, a
 * missing one keeps it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenSet(transport: ExchangeTransport, previous: TokenSet | null): Promise<TokenSet> {
  const body = new URLSearchParams({ grant_type: "refresh_token", client_id: transport.clientId });
  // Without one (cookie mode), the backend takes the refresh token from its HttpOnly cookie.
  if (previous?.refreshToken) body.set("refresh_token", previous.refreshToken);
  return tokenRequest(transport, body, "refresh_token", [previous?.refreshToken ?? "", previous?.accessToken ?? ""], previous);
}

/** The header that marks the library's own requests in cookie mode: cross-site, it forces a CORS preflight. */
export const CSRF_HEADER = "X-Smartbills-Request";

/**
 * Ends the backend-held session (cookie mode): the endpoint clears its refresh-token cookie.
 * Best effort and bounded: a failure still signs the user out locally.
 */
export async function endBackendSession(transport: ExchangeTransport): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    await transport.fetch(transport.endpoint, {
      method: "DELETE",
      headers: { ...transport.headers },
      credentials: transport.credentials ?? "same-origin",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      redirect: "error",
      signal: controller.signal,
    });
  } catch {
    // Offline: the cookie expires on its own; locally the session ends regardless.
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether a failed refresh may be retried: the network or the server failed, not the grant. A
 * refused refresh token (`refresh_failed`) is final.
 */
export function isTransientError(error: unknown): boolean {
  return !(error instanceof SmartbillsAuthError) || error.code !== SmartbillsErrorCodes.REFRESH_FAILED;
}

async function tokenRequest(
  transport: ExchangeTransport,
  body: URLSearchParams,
  grant: "authorization_code" | "refresh_token",
  secrets: string[],
  previous: TokenSet | null,
): Promise<TokenSet> {
  const now = transport.now ?? Date.now;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), transport.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let response: Response;
  try {
    response = await transport.fetch(transport.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...transport.headers },
      body: body.toString(),
      credentials: transport.credentials ?? "same-origin",
      cache: "no-store",
      // The callback URL held the code; never send it on as a Referer.
      referrerPolicy: "no-referrer",
      // A redirect would re-send the code elsewhere.
      redirect: "error",
      signal: controller.signal,
    });
  } catch (cause) {
    clearTimeout(timer);
    throw new SmartbillsAuthError(SmartbillsErrorCodes.NETWORK_ERROR, {
      description: controller.signal.aborted ? "The token request timed out." : "The token request failed before any answer arrived.",
      cause,
    });
  }
  let json: unknown;
  let readable = true;
  try {
    const text = await response.text();
    json = JSON.parse(text);
  } catch {
    readable = false;
  } finally {
    clearTimeout(timer);
  }
  const scrub = (text: string | undefined) => (text === undefined ? undefined : redact(text, secrets));

  if (!response.ok) {
    const oauth = readable && typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
    // Only a code in OAuth's own character set is kept; both fields are scrubbed of our secrets.
    const serverError = isOAuthErrorCode(oauth.error) ? scrub(oauth.error) : undefined;
    const serverDescription = typeof oauth.error_description === "string" ? oauth.error_description : undefined;
    const detail = serverError
      ? `${serverError}${serverDescription ? `: ${scrub(serverDescription)}` : ""}`
      : `The token endpoint answered HTTP ${response.status}.`;
    if (grant === "refresh_token") {
      // Only the grant itself being refused ends a session; a server or proxy failure may pass.
      const transient = response.status >= 500 || response.status === 408 || response.status === 429;
      throw new SmartbillsAuthError(transient ? SmartbillsErrorCodes.NETWORK_ERROR : SmartbillsErrorCodes.REFRESH_FAILED, {
        description: transient ? `The token endpoint is unavailable (HTTP ${response.status}).` : detail,
        status: response.status,
        response,
      });
    }
    throw new SmartbillsAuthError(SmartbillsErrorCodes.EXCHANGE_FAILED, { description: detail, status: response.status, response });
  }
  if (!readable) {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.INVALID_RESPONSE, {
      description: "The token endpoint's answer is not JSON.",
      status: response.status,
      response,
    });
  }
  try {
    return parseTokenResponse(json, now(), previous);
  } catch (error) {
    if (error instanceof SmartbillsAuthError) {
      throw new SmartbillsAuthError(error.code, { description: error.description ?? "", status: response.status, response });
    }
    throw error;
  }
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  return out;
}
