import { SmartbillsAuthError, SmartbillsErrorCodes } from "./errors.js";

/**
 * Resolves a fetch target and checks that its origin may receive the bearer token: the page's own
 * origin or one of `trustedOrigins`. Anything else rejects before a request is made, so a
 * user-supplied URL can never exfiltrate the token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 */
export function assertTrustedUrl(target: string, pageOrigin: string | undefined, trustedOrigins: readonly string[]): URL {
  let url: URL;
  try {
    url = pageOrigin ? new URL(target, pageOrigin) : new URL(target);
  } catch {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.UNTRUSTED_ORIGIN, { description: "The request URL is not a valid URL." });
  }
  const allowed = (url.protocol === "https:" || url.protocol === "http:") && (url.origin === pageOrigin || trustedOrigins.includes(url.origin));
  if (!allowed) {
    throw new SmartbillsAuthError(SmartbillsErrorCodes.UNTRUSTED_ORIGIN, {
      description: `Refusing to send the access token to ${url.protocol === "https:" || url.protocol === "http:" ? url.origin : "a non-http URL"}; add it to the provider's apiOrigins if it is yours.`,
    });
  }
  return url;
}
