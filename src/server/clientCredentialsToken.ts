import { SmartbillsAuthError, SmartbillsErrorCodes } from "../core/errors.js";
import { parseRetryAfter } from "../core/retryAfter.js";
import type { UpstreamOutcome } from "./callUpstream.js";
import { readOAuthError } from "./readOAuthError.js";
import { redactSecret } from "./redactSecret.js";

/** A token the client-credentials client may hand out until `refreshAt`. @internal */
export interface CachedToken {
  token: string;
  refreshAt: number;
}

/** Refresh this long before expiry at most… */
const MAX_MARGIN_MS = 60_000;
/** RFC 6749 makes `expires_in` optional; without it, assume a short life (a 401 still drops the token early). */
const DEFAULT_LIFETIME_S = 300;

/**
 * Turns the token endpoint's answer to a client credentials grant into a cached token, or throws
 * the `SmartbillsAuthError` that says why not (the server's OAuth code when it sent one, its
 * description cleaned of our secret).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3
 * @internal
 */
export function readClientCredentialsAnswer(outcome: UpstreamOutcome, started: number, secret: string, timeoutMs: number): CachedToken {
  switch (outcome.kind) {
    case "timeout":
      throw new SmartbillsAuthError(SmartbillsErrorCodes.NETWORK_ERROR, { description: `The token request timed out after ${timeoutMs} ms.` });
    case "network":
      throw new SmartbillsAuthError(SmartbillsErrorCodes.NETWORK_ERROR, { description: "The token endpoint could not be reached." });
    case "discovery":
      // Already typed (invalid_metadata or network_error), and free of secrets: fetchMetadata never sees one.
      throw outcome.error;
    case "no_endpoint":
      throw new SmartbillsAuthError(SmartbillsErrorCodes.INVALID_METADATA, { description: "The authorization server names no token endpoint." });
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
    const oauth = readOAuthError(json, secret);
    if (oauth === null) throw new SmartbillsAuthError(SmartbillsErrorCodes.EXCHANGE_FAILED, { description: `The token endpoint answered HTTP ${status}.`, status });
    throw new SmartbillsAuthError(oauth.error, { ...(oauth.error_description !== undefined && { description: oauth.error_description }), status });
  }
  return toCachedToken(json, started, secret, status);
}

/** How long a 429 or 503 asked us to wait (ms, with that status), or null when it did not say (or said garbage). @internal */
export function retryAfterOf(outcome: UpstreamOutcome, now: number): { waitMs: number; status: number } | null {
  if (outcome.kind !== "answer" || (outcome.status !== 429 && outcome.status !== 503)) return null;
  const waitMs = parseRetryAfter(outcome.retryAfter, now);
  return waitMs === null ? null : { waitMs, status: outcome.status };
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

/**
 * The origins the client may send its access token to: the authority's and the explicit token
 * endpoint's (both are trusted with the secret already) and the caller's `apiOrigins`.
 *
 * @internal
 */
export function resolveApiOrigins(apiOrigins: readonly string[] | undefined, trustedUrls: readonly string[], name: string): ReadonlySet<string> {
  const origins = new Set<string>(trustedUrls.map((url) => new URL(url).origin));
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
