import { SmartbillsAuthError } from "./errors.js";
import type { SmartbillsUser } from "./idToken.js";

/** An ID token is small; a huge one is an attack on memory, not a sign-in. */
const MAX_ID_TOKEN_LENGTH = 16 * 1024;

/**
 * The payload of a compact JWS, decoded but not verified. The signature is not checked: the token
 * came straight from the token endpoint over TLS (OpenID Connect Core §3.1.3.7, item 6).
 *
 * @example
 * ```ts
 * decodeJwtPayload(tokenResponse.id_token).sub
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const parts = typeof jwt === "string" && jwt.length <= MAX_ID_TOKEN_LENGTH ? jwt.split(".") : [];
  // A JWE (5 parts) or an unsigned/odd token is not what a token endpoint returns as an ID token.
  if (parts.length !== 3 || !parts[1]) throw notAJwt();
  let payload: unknown;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw notAJwt();
  }
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) throw notAJwt();
  return payload as Record<string, unknown>;
}

function notAJwt(): SmartbillsAuthError {
  return new SmartbillsAuthError("invalid_id_token", { description: "The ID token is not a JWT." });
}

/**
 * Who is signed in, from an ID token already checked when it was issued (see `validateIdToken`):
 * its claims, or null when it cannot be read.
 */
export function claimsOf(idToken: string): SmartbillsUser | null {
  try {
    return decodeJwtPayload(idToken) as SmartbillsUser;
  } catch {
    return null;
  }
}
