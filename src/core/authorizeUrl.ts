// Developer-only text is behind `process.env.NODE_ENV !== "production"`, written out where used (see core/dev.ts).
declare const process: { env: { NODE_ENV?: string } };

/** Parameters the library owns: no caller option may set or override them. */
const PROTECTED_PARAM = /^(?:response_type|client_id|redirect_uri|state|nonce|code_challenge|code_challenge_method|code_verifier|request|request_uri)$/;

/** What goes into an authorize URL. */
export interface AuthorizeUrlParams {
  authorizeEndpoint: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  /** The OpenID Connect nonce, for logins with the `openid` scope. */
  nonce?: string;
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
  // A query already on the endpoint is dropped, never merged: it could carry a second `state`.
  url.search = "";
  const search = url.searchParams;
  for (const [key, value] of Object.entries(params.extraParams ?? {})) {
    // Secrets and assertions never belong in a URL, whatever their exact name.
    const isProtected = PROTECTED_PARAM.test(key) || /secret|assertion/i.test(key);
    if (isProtected || typeof value !== "string") {
      throw new TypeError(
        process.env.NODE_ENV !== "production"
          ? `login: extraParams.${key} ${isProtected ? "is set by the library and cannot be overridden" : "must be a string"}.`
          : `login: extraParams.${key} is invalid.`,
      );
    }
    search.set(key, value);
  }
  // Set after the extra parameters, so these win; `prompt` and `login_hint` only when given.
  const owned = {
    prompt: params.prompt,
    login_hint: params.loginHint,
    scope: params.scope,
    response_type: "code",
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    state: params.state,
    nonce: params.nonce,
    code_challenge: params.codeChallenge,
    code_challenge_method: "S256",
  };
  for (const [key, value] of Object.entries(owned)) {
    if (value !== undefined) search.set(key, value);
  }
  return url.href;
}
