import { callUpstream } from "./callUpstream.js";
import { clearCookie, readRefreshCookie } from "./refreshCookie.js";
import { formValue, readTokenForm } from "./readTokenForm.js";
import { cancelBody, fail, type Answer } from "./tokenHandlerAnswer.js";
import type { TokenHandlerConfig } from "./tokenHandlerConfig.js";

/**
 * `DELETE`, once the Origin and CSRF header checks passed: revokes the refresh token (the form
 * body's `refresh_token`, or the cookie's in cookie mode) at the revocation endpoint with
 * `token_type_hint=refresh_token` (RFC 7009 §2.1), clears the cookie, and answers 204.
 *
 * The revocation is best effort and bounded by `timeoutMs`: an upstream that fails, hangs, names no
 * revocation endpoint, or whose metadata cannot be had still gets the user a 204 (and the cookie
 * cleared), because keeping someone signed in here cannot fix the authorization server; the grant
 * then lives until it expires. A malformed request (bad body, no token, an ambiguous cookie) is 400
 * and nothing is sent upstream.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 * @internal
 */
export async function signOut(config: TokenHandlerConfig, request: Request): Promise<Answer> {
  if (config.cookie) {
    // The page never holds the refresh token in this mode, so the body has nothing to say.
    cancelBody(request);
    const cleared = clearCookie(config.cookie);
    const read = readRefreshCookie(request, config.cookie.name);
    if (read.kind === "ambiguous") return { ...fail(400, "invalid_request", "The session cookie is sent more than once."), cookie: cleared };
    if (read.kind === "none") return { status: 204, body: null, cookie: cleared };
    await revoke(config, read.value);
    return { status: 204, body: null, cookie: cleared };
  }
  const params = await readTokenForm(config, request);
  if (!(params instanceof URLSearchParams)) return params;
  const refreshToken = formValue(params, "refresh_token");
  if (refreshToken === undefined) return fail(400, "invalid_request", "refresh_token is missing.");
  await revoke(config, refreshToken);
  return { status: 204, body: null };
}

async function revoke(config: TokenHandlerConfig, token: string): Promise<void> {
  if (config.revocationUrl === null) return;
  const body = new URLSearchParams({ token, token_type_hint: "refresh_token" });
  // The outcome does not change the answer (see above); callUpstream never throws and is bounded.
  await callUpstream(config.upstream, "revocation", body, config.revocationUrl).catch(() => undefined);
}
