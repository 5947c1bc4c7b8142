/** Every parameter of an authorization response (RFC 6749 §4.1.2, RFC 9207, OpenID Connect Session Management). */
export const RESPONSE_PARAMS = ["code", "state", "iss", "error", "error_description", "error_uri", "session_state"] as const;

/**
 * Whether a URL's query looks like an authorization response: `code` or `error`, with the `state`
 * we always send. Without the state requirement an app whose redirect URI is `/` would mistake any
 * `?code=` of its own (a promo code) for a sign-in.
 */
export function hasCallbackParams(search: string): boolean {
  const params = new URLSearchParams(search);
  return (params.has("code") || params.has("error")) && params.has("state");
}

/**
 * The URL with every authorization-response parameter removed, for `history.replaceState`: the
 * code must not stay in the address bar, the history or a later `Referer`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4
 */
export function stripCallbackParams(href: string): string {
  const url = new URL(href);
  // An emptied query loses its "?" too.
  for (const name of RESPONSE_PARAMS) url.searchParams.delete(name);
  return url.href;
}
