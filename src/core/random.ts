import { SmartbillsAuthError, SmartbillsErrorCodes } from "./errors.js";

/** Base64url without padding (RFC 4648 §5), the alphabet of PKCE verifiers and our `state`. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * A fresh `state`: 32 random bytes (256 bits) from WebCrypto, independent of the PKCE verifier.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export function createState(): string {
  const crypto = globalThis.crypto;
  if (!crypto || typeof crypto.getRandomValues !== "function") {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.UNSUPPORTED_ENVIRONMENT, {
      description: "This browser has no WebCrypto (crypto.getRandomValues), which a safe sign-in needs.",
    });
  }
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}
