import { SmartbillsAuthError } from "./errors.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * A fresh `state`: 32 random bytes (256 bits) from WebCrypto, base64url-encoded, independent of the
 * PKCE verifier. Throws `unsupported_environment` where there is no `crypto.getRandomValues`: no
 * weaker source of randomness is ever used.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export function createState(): string {
  try {
    // Base64url without padding (RFC 4648 §5), the alphabet of PKCE verifiers.
    return btoa(String.fromCharCode(...globalThis.crypto.getRandomValues(new Uint8Array(32))))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=/g, "");
  } catch {
    // No `crypto.getRandomValues`: refused below.
  }
  throw new SmartbillsAuthError(
    "unsupported_environment",
    process.env.NODE_ENV !== "production" ? { description: "This browser has no WebCrypto (crypto.getRandomValues), which a safe sign-in needs." } : {},
  );
}
