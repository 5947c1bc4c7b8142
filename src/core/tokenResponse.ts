import { SmartbillsAuthError } from "./errors.js";
import { createTokenSet, DEFAULT_LIFETIME_S, type TokenSet } from "./tokenSet.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * Turns a token endpoint answer into a {@link TokenSet}, refusing anything that is not a usable
 * Bearer token (`invalid_response`, with the status and the `response` it came in, when given).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function parseTokenResponse(body: unknown, now: number, previous?: TokenSet | null, response?: Response): TokenSet {
  const invalid = (description: string | undefined) =>
    new SmartbillsAuthError("invalid_response", { description, status: response?.status, response });
  // Anything but an object (null, a string, an array, an unreadable answer) has no access_token either.
  const json = (body ?? {}) as Record<string, unknown>;
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = json;
  if (typeof accessToken !== "string" || !accessToken) {
    throw invalid(process.env.NODE_ENV !== "production" ? "The token response is not a JSON object with an access_token." : undefined);
  }
  if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") {
    throw invalid(process.env.NODE_ENV !== "production" ? "The token response's token_type is not Bearer." : undefined);
  }
  // A number of seconds, or its string form; Number.isFinite is false for anything but a finite number.
  const lifetime = (expiresIn === undefined ? DEFAULT_LIFETIME_S : typeof expiresIn === "string" ? Number(expiresIn) : expiresIn) as number;
  if (!Number.isFinite(lifetime) || lifetime < 0) {
    throw invalid(process.env.NODE_ENV !== "production" ? "The token response's expires_in is not a number of seconds." : undefined);
  }
  const optional = (name: string): string | undefined => {
    const value = json[name];
    if (value == null) return undefined;
    if (typeof value !== "string") throw invalid(process.env.NODE_ENV !== "production" ? `The token response's ${name} is not a string.` : undefined);
    return value;
  };
  return createTokenSet({
    accessToken,
    tokenType: "Bearer",
    expiresAt: now + lifetime * 1000,
    issuedAt: now,
    // A rotated refresh token replaces the previous one; none keeps it.
    refreshToken: optional("refresh_token") ?? previous?.refreshToken,
    scope: optional("scope") ?? previous?.scope,
    idToken: optional("id_token") ?? previous?.idToken,
  });
}
