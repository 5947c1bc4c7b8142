import { createState } from "./random.js";

/** What the end-session request carries. */
export interface EndSessionParams {
  endpoint: string;
  clientId: string;
  /** The sign-in's ID token, when there was one: it tells the server whose session to end. */
  idToken?: string;
  postLogoutRedirectUri?: string;
}

/**
 * The URL that ends the user's session at the authorization server itself (OpenID Connect
 * RP-Initiated Logout 1.0), so that the next sign-in asks for the password again. A fresh `state`
 * goes with it, as the spec recommends; nothing of the app's own is put in the URL. Loaded only by
 * `logout({ endSession: true })`, so apps that never end the server session do not bundle it.
 *
 * @example
 * ```ts
 * location.assign(buildEndSessionUrl({ endpoint, clientId, idToken, postLogoutRedirectUri: origin + "/" }))
 * ```
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 */
export function buildEndSessionUrl(params: EndSessionParams): string {
  const url = new URL(params.endpoint);
  const search = url.searchParams;
  if (params.idToken) search.set("id_token_hint", params.idToken);
  search.set("client_id", params.clientId);
  if (params.postLogoutRedirectUri) search.set("post_logout_redirect_uri", params.postLogoutRedirectUri);
  search.set("state", createState());
  return url.href;
}
