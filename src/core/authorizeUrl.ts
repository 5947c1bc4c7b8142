/** Parameters the library owns: no caller option may set or override them. */
export const PROTECTED_AUTHORIZE_PARAMS = Object.freeze([
  "response_type",
  "client_id",
  "redirect_uri",
  "state",
  "code_challenge",
  "code_challenge_method",
  "code_verifier",
  "request",
  "request_uri",
]);

/** What goes into an authorize URL. */
export interface AuthorizeUrlParams {
  authorizeEndpoint: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  prompt?: string;
  loginHint?: string;
  extraParams?: Record<string, string>;
}

/**
 * Builds the authorize URL with `URLSearchParams` only: the protected parameters are set last and
 * once, so nothing a caller passes can add a second `redirect_uri` or change `state`.
 * Throws a `TypeError` naming a protected key passed in `extraParams`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export function buildAuthorizeUrl(params: AuthorizeUrlParams): string {
  const url = new URL(params.authorizeEndpoint);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params.extraParams ?? {})) {
    // Secrets and assertions never belong in a URL, whatever their exact name.
    if (PROTECTED_AUTHORIZE_PARAMS.includes(key) || /secret|assertion/i.test(key)) {
      throw new TypeError(`login: extraParams.${key} is set by the library and cannot be overridden.`);
    }
    if (typeof value !== "string") throw new TypeError(`login: extraParams.${key} must be a string.`);
    search.set(key, value);
  }
  if (params.prompt !== undefined) search.set("prompt", params.prompt);
  if (params.loginHint !== undefined) search.set("login_hint", params.loginHint);
  search.set("scope", params.scope);
  search.set("response_type", "code");
  search.set("client_id", params.clientId);
  search.set("redirect_uri", params.redirectUri);
  search.set("state", params.state);
  search.set("code_challenge", params.codeChallenge);
  search.set("code_challenge_method", "S256");
  url.search = search.toString();
  return url.href;
}
