import { callUpstream } from "./callUpstream.js";
import { clearCookie, readRefreshCookie, withCookie } from "./refreshCookie.js";
import { formValue, readTokenForm } from "./readTokenForm.js";
import { signOut } from "./signOut.js";
import { cancelBody, fail, respond, type Answer } from "./tokenHandlerAnswer.js";
import { resolveTokenHandlerConfig, type TokenHandlerConfig } from "./tokenHandlerConfig.js";
import { CSRF_HEADER, type TokenHandler, type TokenHandlerOptions } from "./tokenHandlerOptions.js";
import { fromUpstream } from "./upstreamAnswer.js";

export { CSRF_HEADER } from "./tokenHandlerOptions.js";
export type { RefreshTokenCookieOptions, TokenHandler, TokenHandlerErrorInfo, TokenHandlerOptions } from "./tokenHandlerOptions.js";

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** Only these reach the token endpoint; everything else a caller sends is dropped. */
const FORWARDED = {
  authorization_code: ["grant_type", "code", "redirect_uri", "code_verifier"],
  refresh_token: ["grant_type", "refresh_token", "scope"],
} as const;

/**
 * Creates the backend exchange endpoint: it takes the browser's OAuth token request (authorization
 * code with PKCE, or refresh), checks it, adds your client credentials (in the body or as HTTP
 * Basic) and forwards it to the token endpoint (`${authority}/connect/token`, or the one discovery
 * names), and answers the token response or an OAuth error as JSON. `DELETE` signs out: it revokes
 * the refresh token at the revocation endpoint (best effort) and answers 204. It uses the Fetch API
 * only, so it runs on Node 20+, Deno, Bun and edge runtimes; for `node:http` and Express wrap it in
 * {@link toNodeHandler}.
 *
 * `DELETE` (in every mode) needs the `X-Smartbills-Request: 1` header and an allowed `Origin` (403
 * otherwise, nothing sent). Its form body is `refresh_token=…`; in cookie mode the cookie's token
 * is used instead. The token goes to the revocation endpoint (RFC 7009, `token_type_hint=refresh_token`,
 * client authentication as configured), the cookie is cleared, and the answer is 204 even when the
 * revocation fails, times out, or there is no revocation endpoint (the user is signed out here
 * either way; the grant then lives until it expires). A malformed `DELETE` is 400.
 *
 * Every answer is JSON with `Cache-Control: no-store`; no answer is a 500, carries a stack trace,
 * or contains the secret; no CORS headers are ever set. The one upstream header passed on is
 * `Retry-After` of a 429 or 503 (as whole seconds, at most an hour; an upstream 503 stays 503 so
 * the browser honours it). No answer takes longer than `timeoutMs` after the body arrived, whatever
 * the `fetch`. An unusable discovery document is a 502.
 *
 * @example
 * ```ts
 * const handler = createTokenHandler({
 *   clientId: process.env.SMARTBILLS_CLIENT_ID!,
 *   clientSecret: process.env.SMARTBILLS_CLIENT_SECRET!,
 *   authority: "https://api.smartbills.io/auth",
 *   discovery: true,
 *   allowedRedirectUris: ["https://app.example.com/callback"],
 * })
 * export const POST = handler // e.g. a Next.js route handler
 * export const DELETE = handler
 * ```
 * @throws TypeError naming the option, when an option is missing or invalid.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 (code exchange)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6 (refresh)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2 (error answers)
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5 (code_verifier)
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2 (revocation at sign-out)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12 (no redirect following, 307)
 */
export function createTokenHandler(options: TokenHandlerOptions): TokenHandler {
  const config = resolveTokenHandlerConfig(options);
  return async (request: Request): Promise<Response> => {
    let answer: Answer;
    try {
      answer = await handle(config, request);
    } catch {
      // Unreachable by design; if it ever happens, the caller still gets a plain OAuth error.
      answer = fail(400, "invalid_request", "The request could not be processed.");
    }
    return respond(config, answer);
  };
}

async function handle(config: TokenHandlerConfig, request: Request): Promise<Answer> {
  const isDelete = request.method === "DELETE";
  if (request.method !== "POST" && !isDelete) {
    cancelBody(request);
    return fail(405, "invalid_request", "Use POST (or DELETE to sign out).");
  }

  // CSRF defence: a browser always sends Origin on a cross-origin POST (and on any DELETE), so a
  // foreign one is a page we do not know trying to redeem, refresh or revoke. No Origin on a POST
  // means server-to-server or a tool; a DELETE comes from the page only, so it must name one.
  const origin = request.headers.get("origin");
  if ((origin !== null || isDelete) && (origin === null || !config.origins.has(origin))) {
    cancelBody(request);
    return fail(403, "invalid_request", "Requests from this origin are not accepted.");
  }
  // With a cookie the browser attaches by itself (or a sign-out a page could trigger), a custom
  // header is required too: a cross-site form or a simple request cannot set it, and setting it
  // forces a CORS preflight we never grant.
  if ((config.cookie || isDelete) && request.headers.get(CSRF_HEADER) !== "1") {
    cancelBody(request);
    return fail(403, "invalid_request", `Send the ${CSRF_HEADER} header.`);
  }
  if (isDelete) return signOut(config, request);

  const params = await readTokenForm(config, request);
  if (!(params instanceof URLSearchParams)) return params;
  const value = (name: string): string | undefined => formValue(params, name);

  const grantType = value("grant_type");
  if (grantType === undefined) return fail(400, "invalid_request", "grant_type is missing.");
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    return fail(400, "unsupported_grant_type", "Only the authorization_code and refresh_token grants are accepted here.");
  }
  let cookieToken: string | undefined;
  if (grantType === "authorization_code") {
    if (value("code") === undefined) return fail(400, "invalid_request", "code is missing.");
    const redirectUri = value("redirect_uri");
    if (redirectUri === undefined) return fail(400, "invalid_request", "redirect_uri is missing.");
    // Exact string comparison, no normalisation: RFC 9700 §4.1.3 (and §2.1) require exact matching.
    if (!config.redirectUris.has(redirectUri)) return fail(400, "invalid_grant", "redirect_uri is not one of this endpoint's allowed redirect URIs.");
    const verifier = value("code_verifier");
    if (verifier === undefined) return fail(400, "invalid_request", "code_verifier is missing; PKCE is required.");
    if (!CODE_VERIFIER.test(verifier)) return fail(400, "invalid_request", "code_verifier must be 43 to 128 characters from [A-Za-z0-9._~-].");
  } else if (config.cookie) {
    // The page never holds the refresh token in this mode; one in the body is a confused caller.
    if (params.has("refresh_token")) return fail(400, "invalid_request", "refresh_token comes from the session cookie here; do not send it.");
    const read = readRefreshCookie(request, config.cookie.name);
    // Two copies: one may be planted (a sibling subdomain, a narrower path); which is ours cannot be told.
    if (read.kind === "ambiguous") return fail(400, "invalid_request", "The session cookie is sent more than once.");
    if (read.kind === "none") return { ...fail(400, "invalid_grant", "There is no session to refresh."), cookie: clearCookie(config.cookie) };
    cookieToken = read.value;
  } else if (value("refresh_token") === undefined) {
    return fail(400, "invalid_request", "refresh_token is missing.");
  }

  const upstream = new URLSearchParams();
  for (const name of FORWARDED[grantType]) {
    const v = value(name);
    if (v !== undefined) upstream.set(name, v);
  }
  if (cookieToken !== undefined) upstream.set("refresh_token", cookieToken);
  const outcome = await callUpstream(config.upstream, "token", upstream);
  const answer = fromUpstream(outcome, config.clientSecret, config.timeoutMs);
  return config.cookie ? withCookie(config.cookie, answer, grantType) : answer;
}
