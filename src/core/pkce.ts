import pkceChallenge from "pkce-challenge";
import { SmartbillsAuthError } from "./errors.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** A PKCE pair: the verifier stays in the browser, the S256 challenge goes to the authorize URL. */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: "S256";
}

/**
 * Makes a fresh PKCE pair with S256, the only method we allow, through `pkce-challenge`.
 * Rejects with `unsupported_environment` where WebCrypto is missing (e.g. an insecure http origin),
 * since `plain` would give no protection.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export async function createPkcePair(): Promise<PkcePair> {
  try {
    // Looked up at each call: pkce-challenge keeps the `crypto` it found at import. An insecure http
    // origin has `crypto` but no `crypto.subtle`.
    if (typeof globalThis.crypto.subtle.digest === "function") {
      // 64 characters: well inside RFC 7636's 43–128, 384 bits of entropy.
      const pair = await pkceChallenge(64, "S256");
      return { codeVerifier: pair.code_verifier, codeChallenge: pair.code_challenge, codeChallengeMethod: "S256" };
    }
  } catch {
    // No WebCrypto at all, or pkce-challenge failed: refused below.
  }
  throw new SmartbillsAuthError(
    "unsupported_environment",
    process.env.NODE_ENV !== "production" ? { description: "This browser has no WebCrypto (crypto.subtle), which PKCE needs. Serve the app over https or from localhost." } : {},
  );
}
