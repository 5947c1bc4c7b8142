import { SmartbillsAuthError } from "./errors.js";

// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/**
 * Resolves a fetch target and checks that its origin may receive the bearer token: the page's own
 * origin or one of `trustedOrigins`. Anything else rejects before a request is made, so a
 * user-supplied URL can never exfiltrate the token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 */
export function assertTrustedUrl(target: string, pageOrigin: string | undefined, trustedOrigins: readonly string[]): URL {
  let url: URL | undefined;
  try {
    url = new URL(target, pageOrigin || undefined);
  } catch {
    // Not a URL: refused below.
  }
  // http(s) only: a `blob:` URL has the origin of the page that made it, a `data:` URL the opaque "null".
  if (!url || !/^https?:$/.test(url.protocol) || (url.origin !== pageOrigin && !trustedOrigins.includes(url.origin))) {
    throw new SmartbillsAuthError(
      "untrusted_origin",
      process.env.NODE_ENV !== "production"
        ? {
            description: url
              ? `Refusing to send the access token to ${/^https?:$/.test(url.protocol) ? url.origin : "a non-http URL"}; add it to the provider's apiOrigins if it is yours.`
              : "The request URL is not a valid URL.",
          }
        : {},
    );
  }
  return url;
}
