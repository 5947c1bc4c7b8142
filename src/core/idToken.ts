import { SmartbillsAuthError } from "./errors.js";
import { decodeJwtPayload } from "./jwt.js";

// Decoding lives apart, so that reading the signed-in user does not bring the checks along.
export { decodeJwtPayload } from "./jwt.js";

/**
 * Who is signed in: the claims of the ID token the sign-in returned, as issued. Never a token.
 *
 * @example
 * ```ts
 * const { user } = useSmartbillsAuth(); user?.name ?? user?.sub
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 */
export interface SmartbillsUser {
  /** The user's stable identifier at Smartbills. */
  sub: string;
  name?: string;
  email?: string;
  [claim: string]: unknown;
}

/** What an ID token must match (OpenID Connect Core §3.1.3.7). */
export interface IdTokenExpectations {
  /** The configured (or discovered) issuer; one trailing slash is ignored. */
  issuer: string;
  clientId: string;
  /** The login's nonce. Omitted on a refresh, whose ID token need not carry one. */
  nonce?: string;
  /** Epoch ms. */
  now: number;
}

/** How far ahead of our clock `iat` may be: clocks drift, but not by more than this. */
export const MAX_IAT_SKEW_MS = 5 * 60 * 1000;
/**
 * Checks an ID token's claims before any of them is used, and returns them as the signed-in user.
 * Throws `invalid_id_token` (with no claim value in the message) when `iss`, `aud`/`azp`, `exp`,
 * `iat` or `nonce` does not match.
 *
 * @example
 * ```ts
 * const user = validateIdToken(idToken, { issuer, clientId, nonce: transaction.nonce, now: Date.now() })
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function validateIdToken(idToken: string, expected: IdTokenExpectations): SmartbillsUser {
  const claims = decodeJwtPayload(idToken);
  const { iss, aud, azp, exp, iat, nonce, sub } = claims;
  if (typeof iss !== "string" || trimSlash(iss) !== trimSlash(expected.issuer)) throw invalid("The ID token's issuer is not the configured one.");
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) && aud.every((a) => typeof a === "string") ? (aud as string[]) : [];
  if (!audiences.includes(expected.clientId)) throw invalid("The ID token is not meant for this client.");
  // Several audiences: the authorized party must be us, or another audience could replay it here.
  if ((audiences.length > 1 || azp !== undefined) && azp !== expected.clientId) throw invalid("The ID token's authorized party is not this client.");
  if (typeof exp !== "number" || !Number.isFinite(exp) || exp * 1000 <= expected.now) throw invalid("The ID token has expired.");
  if (typeof iat !== "number" || !Number.isFinite(iat) || iat * 1000 > expected.now + MAX_IAT_SKEW_MS) throw invalid("The ID token was issued in the future.");
  if (expected.nonce !== undefined && nonce !== expected.nonce) throw invalid("The ID token's nonce is not this sign-in's.");
  if (typeof sub !== "string" || !sub) throw invalid("The ID token names no subject.");
  return claims as SmartbillsUser;
}

/**
 * A refresh's ID token must name the same user: a different `sub` means the session was swapped.
 *
 * @example
 * ```ts
 * assertSameSubject(session.user, validateIdToken(refreshed.idToken, expectations))
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
export function assertSameSubject(previous: SmartbillsUser | null | undefined, next: SmartbillsUser): void {
  if (previous && previous.sub !== next.sub) throw invalid("The refreshed ID token names another user.");
}

function trimSlash(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}

function invalid(description: string): SmartbillsAuthError {
  return new SmartbillsAuthError("invalid_id_token", { description });
}

/**
 * Checks the ID token a token response brought, before the token set is kept: at sign-in against
 * the login's nonce; on refresh (a `previousIdToken`), it must also name the same user. An
 * unchanged or absent ID token needs no check (a refresh without one keeps the claims).
 *
 * @example
 * ```ts
 * checkNewIdToken(refreshed.idToken, stale.idToken, { issuer, clientId, now: Date.now() })
 * ```
 */
export function checkNewIdToken(idToken: string | undefined, previousIdToken: string | undefined, expected: IdTokenExpectations): void {
  if (!idToken || idToken === previousIdToken) return;
  const user = validateIdToken(idToken, expected);
  if (previousIdToken) assertSameSubject(decodeJwtPayload(previousIdToken) as SmartbillsUser, user);
}
