import { readBoundedBytes } from "../readBoundedBytes.js";
import { sessionCookie } from "./cookies.js";
import { answerFor, errorAnswer, jsonAnswer, loginRequired, upstreamError } from "./http.js";
import type { BffContext } from "./options.js";
import { activeSession } from "./refresh.js";
import { randomToken } from "./seal.js";
import { deleteSession, loadSession, publicSession } from "./session.js";
import { fetchUserInfo, revokeToken } from "./upstream.js";

const SIGNED_OUT = { authenticated: false, user: null, expiresAt: null, scope: null };

/**
 * `GET /session`: who is signed in, for the browser's `useSmartbillsAuth`. Never a token; an
 * unknown, forged or ended session is simply "signed out" (200), and its cookie is cleared.
 *
 * @internal
 */
export async function session(ctx: BffContext, request: Request): Promise<Response> {
  const cookieHeader = request.headers.get("cookie");
  try {
    const loaded = await loadSession(ctx, cookieHeader);
    if (loaded === null) {
      const clear = cookieHeader?.includes("__Host-smartbills-session=") ? { "Set-Cookie": sessionCookie(null, 0) } : undefined;
      return jsonAnswer(200, SIGNED_OUT, clear);
    }
    const current = await activeSession(ctx, loaded, false);
    return jsonAnswer(200, { authenticated: true, ...publicSession(ctx, current) });
  } catch (error) {
    return answerFor(error);
  }
}

/**
 * `GET /userinfo`: the user info endpoint's answer for this session (with its access token,
 * refreshed first when due). Its `sub` must be the session's: another user's claims are a 502.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse
 * @internal
 */
export async function userinfo(ctx: BffContext, request: Request): Promise<Response> {
  try {
    const loaded = await loadSession(ctx, request.headers.get("cookie"));
    if (loaded === null) throw loginRequired();
    const current = await activeSession(ctx, loaded, true);
    let endpoints;
    try {
      endpoints = await ctx.endpoints();
    } catch {
      throw upstreamError("failed", "The authorization server's metadata");
    }
    if (!endpoints.userinfo) return errorAnswer(404, "unsupported", "The authorization server has no user info endpoint.");
    const claims = await fetchUserInfo(ctx, endpoints.userinfo, current.accessToken);
    if (claims === "timeout") throw upstreamError("timeout", "The user info endpoint");
    if (claims === "failed" || claims === "unauthorized") throw upstreamError("failed", "The user info endpoint");
    if (current.user && claims["sub"] !== current.user.sub) throw upstreamError("failed", "The user info endpoint");
    return jsonAnswer(200, claims);
  } catch (error) {
    return answerFor(error);
  }
}

/**
 * `POST /logout` (`{ endSession?: boolean }`): revokes the refresh token (RFC 7009, best effort,
 * bounded), deletes the session, clears the cookie; with `endSession`, answers the RP-Initiated
 * Logout URL to send the browser to. Without a session it still clears the cookie (200).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 * @see https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout
 * @internal
 */
export async function logout(ctx: BffContext, request: Request): Promise<Response> {
  const clear = [sessionCookie(null, 0)];
  const read = await readBoundedBytes(request.body, 1024, AbortSignal.timeout(ctx.timeoutMs));
  if (read.kind === "too_large") return errorAnswer(413, "invalid_request", "The request body is too large.", cookies(clear));
  let endSession = false;
  if (read.kind === "ok" && read.bytes.byteLength > 0) {
    try {
      const body: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
      endSession = typeof body === "object" && body !== null && (body as { endSession?: unknown }).endSession === true;
    } catch {
      return errorAnswer(400, "invalid_request", "The body must be JSON.", cookies(clear));
    }
  }
  try {
    const loaded = await loadSession(ctx, request.headers.get("cookie"));
    let endpoints;
    try {
      endpoints = await ctx.endpoints();
    } catch {
      endpoints = null;
    }
    if (loaded !== null) {
      // Deleted first: whatever the revocation endpoint does, this session is over here.
      await deleteSession(ctx, loaded.key);
      const { refreshToken, accessToken } = loaded.session;
      if (endpoints) await revokeToken(ctx, endpoints, refreshToken ?? accessToken, refreshToken ? "refresh_token" : "access_token").catch(() => {});
    }
    const answer: { endSessionUrl?: string } = {};
    if (endSession && endpoints?.endSession) {
      const url = new URL(endpoints.endSession);
      // No id_token_hint: this answer reaches the page, and no token ever does. client_id names us instead.
      url.searchParams.set("client_id", ctx.clientId);
      url.searchParams.set("post_logout_redirect_uri", `${ctx.appOrigin}/`);
      url.searchParams.set("state", randomToken());
      answer.endSessionUrl = url.href;
    }
    return jsonAnswer(200, answer, cookies(clear));
  } catch (error) {
    return answerFor(error, clear);
  }
}

function cookies(values: readonly string[]): Headers {
  const headers = new Headers();
  for (const value of values) headers.append("Set-Cookie", value);
  return headers;
}
