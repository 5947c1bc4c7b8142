import { validateIdToken, type SmartbillsUser } from "../../core/idToken.js";
import { sanitizeReturnTo } from "../../core/returnTo.js";
import { decodeLoginCookie, encodeLoginCookie, LOGIN_COOKIE_PREFIX, loginCookieName, LOGIN_TTL_SECONDS, readCookie, serializeCookie, sessionCookie } from "./cookies.js";
import { answerFor, redirectAnswer, upstreamError } from "./http.js";
import type { BffContext } from "./options.js";
import { randomToken, s256 } from "./seal.js";
import { deleteSession, sessionIdFrom, writeSession, type StoredSession } from "./session.js";
import { withStoreDeadline } from "./sessionStore.js";
import { requestTokens } from "./upstream.js";

/** `prompt` values are short lists of lowercase words (OpenID Connect Core §3.1.2.1). */
const PROMPT = /^[a-z_]+( [a-z_]+)*$/;
const STATE = /^[A-Za-z0-9_-]{43}$/;
const CALLBACK_PARAMS = ["code", "state", "error", "error_description", "iss"];

/**
 * `GET /login`: a fresh PKCE pair (S256), state and nonce in a signed, HttpOnly, 10-minute login
 * cookie, then a 302 to the authorize endpoint. Nothing the caller sends can add or override an
 * OAuth parameter: only `returnTo` (sanitised to a path on the app), `prompt` and `loginHint` are read.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4
 * @internal
 */
export async function login(ctx: BffContext, request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams;
  let endpoints;
  try {
    endpoints = await ctx.endpoints();
  } catch {
    return answerFor(upstreamError("failed", "The authorization server's metadata"));
  }
  const state = randomToken();
  const nonce = randomToken();
  const verifier = randomToken(48);
  const returnTo = sanitizeReturnTo(query.get("returnTo") ?? "/", ctx.appOrigin);
  const url = new URL(endpoints.authorization);
  const params: Record<string, string> = {
    response_type: "code",
    client_id: ctx.clientId,
    redirect_uri: ctx.redirectUri,
    scope: ctx.scope,
    state,
    code_challenge: await s256(verifier),
    code_challenge_method: "S256",
  };
  if (ctx.scope.split(" ").includes("openid")) params["nonce"] = nonce;
  const prompt = query.get("prompt");
  if (prompt && prompt.length <= 64 && PROMPT.test(prompt)) params["prompt"] = prompt;
  const loginHint = query.get("loginHint");
  // eslint-disable-next-line no-control-regex
  if (loginHint && loginHint.length <= 256 && !/[\u0000-\u001f\u007f]/.test(loginHint)) params["login_hint"] = loginHint;
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const cookie = await encodeLoginCookie(ctx.keys, { state, nonce, verifier, returnTo, expiresAt: ctx.now() + LOGIN_TTL_SECONDS * 1000 });
  return redirectAnswer(url.href, [cookie]);
}

/**
 * `GET /callback`: the browser callback's checks (one value per parameter, not both `code` and
 * `error`, `iss` when present, `state` against this browser's own login cookie, single use across
 * every instance), the code exchange, the ID token checks, and a new session id, never one the
 * browser chose. A refused callback stores nothing and goes to `/?smartbills_error=<code>`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 * @internal
 */
export async function callback(ctx: BffContext, request: Request): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const cookieHeader = request.headers.get("cookie");
  const rawState = query.get("state");
  // Only the shape we issue: anything else matches no login, and must not reach a cookie name.
  const state = rawState !== null && STATE.test(rawState) ? rawState : null;
  const cleared: string[] = [];
  if (state) cleared.push(serializeCookie(loginCookieName(state), "", 0));
  const refuse = (code: string) => redirectAnswer(`/?smartbills_error=${encodeURIComponent(code)}`, cleared);

  for (const name of CALLBACK_PARAMS) if (query.getAll(name).length > 1) return refuse("invalid_callback");
  const code = query.get("code");
  const error = query.get("error");
  if (code !== null && error !== null) return refuse("invalid_callback");
  if (rawState !== null && state === null) return refuse(hasLoginCookie(cookieHeader) ? "state_mismatch" : "missing_transaction");
  if (!state) return refuse(error && /^[a-z_]{1,64}$/.test(error) ? error : "missing_transaction");
  const raw = readCookie(cookieHeader, loginCookieName(state));
  const record = await decodeLoginCookie(ctx.keys, raw, ctx.now());
  // Expired, or none in this browser: no pending login. Present but not ours (forged, another login's): a mismatch.
  if (record === "expired") return refuse("missing_transaction");
  if (record === null) return refuse(hasLoginCookie(cookieHeader) ? "state_mismatch" : "missing_transaction");
  if (record.state !== state) return refuse("state_mismatch");

  let endpoints;
  try {
    endpoints = await ctx.endpoints();
  } catch {
    return refuse("exchange_failed");
  }
  const iss = query.get("iss");
  if (iss !== null && trimSlash(iss) !== trimSlash(endpoints.issuer)) return refuse("issuer_mismatch");
  if (error !== null) return refuse(/^[a-z_]{1,64}$/.test(error) ? error : "access_denied");
  if (!code) return refuse("missing_code");

  try {
    // Single use across instances: a replayed login cookie (with its callback URL) gets nothing, and no code is sent twice.
    if (!(await claimLogin(ctx, state))) return refuse("missing_transaction");
  } catch {
    return refuse("temporarily_unavailable");
  }
  const outcome = await requestTokens(ctx, endpoints, {
    grant_type: "authorization_code",
    code,
    redirect_uri: ctx.redirectUri,
    code_verifier: record.verifier,
  });
  if (outcome.kind !== "ok") return refuse(outcome.kind === "refused" ? outcome.error : "exchange_failed");
  const { tokens } = outcome;
  const now = ctx.now();
  let user: SmartbillsUser | null = null;
  const wantsIdToken = ctx.scope.split(" ").includes("openid");
  if (tokens.idToken !== null) {
    try {
      user = validateIdToken(tokens.idToken, { issuer: endpoints.issuer, clientId: ctx.clientId, nonce: record.nonce, now });
    } catch {
      return refuse("invalid_id_token");
    }
  } else if (wantsIdToken) {
    return refuse("invalid_id_token");
  }

  const session: StoredSession = {
    v: 1,
    user,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    idToken: tokens.idToken,
    tokenExpiresAt: now + tokens.expiresInMs,
    tokenIssuedAt: now,
    scope: tokens.scope,
    createdAt: now,
    lastSeenAt: now,
  };
  const id = randomToken();
  try {
    const key = await ctx.keys.storeKey(id);
    await writeSession(ctx, key, session);
    // A session the browser had before is over: one browser, one session.
    const previous = sessionIdFrom(cookieHeader);
    if (previous !== null) await deleteSession(ctx, await ctx.keys.storeKey(previous)).catch(() => {});
  } catch {
    return refuse("temporarily_unavailable");
  }
  return redirectAnswer(record.returnTo, [...cleared, sessionCookie(id, ctx.sessionTtlMs / 1000)]);
}

/** Marks `state` used, atomically across instances (under the store's lock); false when it was already. */
async function claimLogin(ctx: BffContext, state: string): Promise<boolean> {
  const key = `login.${await ctx.keys.storeKey(`login:${state}`)}`;
  return ctx.store.lock(key, 5000, async () => {
    if ((await withStoreDeadline(ctx.store.get(key), ctx.storeTimeoutMs)) !== null) return false;
    await withStoreDeadline(ctx.store.set(key, "used", LOGIN_TTL_SECONDS), ctx.storeTimeoutMs);
    return true;
  });
}

function hasLoginCookie(header: string | null): boolean {
  return !!header && header.split(";").some((part) => part.trim().startsWith(LOGIN_COOKIE_PREFIX));
}

function trimSlash(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}
