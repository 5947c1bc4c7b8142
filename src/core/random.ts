import { DEV } from "./dev.js";
import { SmartbillsAuthError } from "./errors.js";

/** Base64url without padding (RFC 4648 §5), the alphabet of PKCE verifiers and our `state`. For short byte arrays (a spread argument each). */
export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * `length` random bytes from WebCrypto, base64url-encoded. Throws `unsupported_environment` where
 * there is no `crypto.getRandomValues`: no weaker source of randomness is ever used.
 */
export function randomBase64url(length: number): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.getRandomValues !== "function") {
    throw new SmartbillsAuthError("unsupported_environment", {
      description: DEV ? "This browser has no WebCrypto (crypto.getRandomValues), which a safe sign-in needs." : undefined,
    });
  }
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

/**
 * A fresh `state`: 32 random bytes (256 bits) from WebCrypto, independent of the PKCE verifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export function createState(): string {
  return randomBase64url(32);
}
