import { assertSameSubject, validateIdToken, type SmartbillsUser } from "../../core/idToken.js";
import { SmartbillsAuthError } from "../../core/errors.js";
import { loginRequired, upstreamError } from "./http.js";
import { deleteSession, needsTouch, readSession, writeSession, type LoadedSession, type SessionContext, type StoredSession } from "./session.js";
import { withStoreDeadline } from "./sessionStore.js";
import { requestTokens, type UpstreamContext } from "./upstream.js";

/** What refreshing needs: the session layer, the upstream, and the per-instance bookkeeping. @internal */
export interface RefreshContext extends SessionContext, UpstreamContext {
  lockTtlMs: number;
  /** In-flight refreshes of this instance, by store key: its own concurrent requests share one lock wait. */
  inflight: Map<string, Promise<StoredSession>>;
  /** Store key → epoch ms before which a failed refresh is not retried while the token still works. */
  cooldown: Map<string, number>;
}

/** Refresh this long before expiry (or at half the token's life, for short-lived tokens). */
const REFRESH_MARGIN_MS = 30_000;
/** A token with less than this left is not sent: it could expire on the way. */
const STILL_VALID_MS = 5_000;
/** After a failed refresh, how long a still-valid token is used without retrying. */
const COOLDOWN_MS = 5_000;

/** Whether the access token is due for a refresh at `now`. @internal */
export function needsRefresh(session: StoredSession, now: number): boolean {
  const margin = Math.min(REFRESH_MARGIN_MS, (session.tokenExpiresAt - session.tokenIssuedAt) / 2);
  return session.tokenExpiresAt - now <= margin;
}

/**
 * The session ready for use: with `fresh`, its access token refreshed first when due, once per
 * session however many requests and instances ask at once (under the store's lock, checking again
 * after acquiring it, since another holder may have refreshed meanwhile); and its idle clock moved
 * on now and then (under the same lock, so a stale copy never overwrites a rotated refresh token).
 *
 * With `rejected` (an access token the API answered 401 to), that token is refreshed now, unless
 * the session already holds another one.
 *
 * A refused refresh ends the session (401 `login_required`). An unreachable or slow authorization
 * server is a 502/504, but the session is kept, and while its access token is still valid it is
 * used instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 * @internal
 */
export async function activeSession(ctx: RefreshContext, loaded: LoadedSession, fresh: boolean, rejected?: string): Promise<StoredSession> {
  const { key, session } = loaded;
  const now = ctx.now();
  let refresh = rejected !== undefined || (fresh && needsRefresh(session, now));
  if (refresh && session.refreshToken === null) {
    if (session.tokenExpiresAt <= now) {
      await deleteSession(ctx, key).catch(() => {});
      throw loginRequired("The session has ended.");
    }
    refresh = false;
  }
  if (refresh && rejected === undefined && (ctx.cooldown.get(key) ?? 0) > now && session.tokenExpiresAt > now + STILL_VALID_MS) refresh = false;
  if (!refresh && !needsTouch(ctx, session)) return session;

  // A touch-only turn must not be shared with a caller that needs a fresh token.
  const turnKey = rejected !== undefined ? `rejected:${key}` : fresh ? key : `touch:${key}`;
  let pending = ctx.inflight.get(turnKey);
  if (!pending) {
    // Bounded even for a custom store whose lock never settles: a dead holder's TTL, a refresh, and margin.
    pending = withStoreDeadline(ctx.store.lock(key, ctx.lockTtlMs, () => underLock(ctx, key, fresh, rejected)), 2 * ctx.lockTtlMs + ctx.storeTimeoutMs);
    ctx.inflight.set(turnKey, pending);
    const mine = pending;
    const forget = () => ctx.inflight.get(turnKey) === mine && ctx.inflight.delete(turnKey);
    void mine.then(forget, forget);
  }
  try {
    const next = await pending;
    ctx.cooldown.delete(key);
    return next;
  } catch (error) {
    const upstreamDown = error instanceof SmartbillsAuthError && (error.status === 502 || error.status === 504);
    if (upstreamDown && session.tokenExpiresAt > ctx.now() + STILL_VALID_MS) {
      if (ctx.cooldown.size > 10_000) ctx.cooldown.clear();
      ctx.cooldown.set(key, ctx.now() + COOLDOWN_MS);
      return session;
    }
    throw error;
  }
}

async function underLock(ctx: RefreshContext, key: string, fresh: boolean, rejected: string | undefined): Promise<StoredSession> {
  // Another request (here or on another instance) may have refreshed, rotated or ended it meanwhile.
  const current = await readSession(ctx, key);
  if (current === null) throw loginRequired("The session has ended.");
  const now = ctx.now();
  // A token the API rejected is refreshed only if it is still the session's: else someone already did.
  const due = rejected !== undefined ? current.accessToken === rejected : fresh && needsRefresh(current, now);
  if (current.refreshToken === null || !due) {
    if (!needsTouch(ctx, current)) return current;
    const touched = { ...current, lastSeenAt: now };
    await writeSession(ctx, key, touched);
    return touched;
  }

  let endpoints;
  try {
    endpoints = await ctx.endpoints();
  } catch {
    throw upstreamError("failed", "The authorization server's metadata");
  }
  const outcome = await requestTokens(ctx, endpoints, { grant_type: "refresh_token", refresh_token: current.refreshToken });
  if (outcome.kind === "failed") throw upstreamError(outcome.timeout ? "timeout" : "failed", "The authorization server");
  if (outcome.kind === "refused") {
    await deleteSession(ctx, key);
    throw loginRequired("The session has ended: the authorization server refused the refresh.");
  }
  const { tokens } = outcome;
  const at = ctx.now();
  let user: SmartbillsUser | null = current.user;
  if (tokens.idToken !== null) {
    try {
      const next = validateIdToken(tokens.idToken, { issuer: endpoints.issuer, clientId: ctx.clientId, now: at });
      assertSameSubject(current.user, next);
      user = next;
    } catch {
      // Another user, or a token that is not ours: this session must not continue.
      await deleteSession(ctx, key);
      throw loginRequired("The session has ended: the refreshed ID token is not valid for it.");
    }
  }
  const next: StoredSession = {
    ...current,
    user,
    accessToken: tokens.accessToken,
    // Rotation (RFC 9700 §4.14.2): the new refresh token replaces the old one; none returned keeps the old.
    refreshToken: tokens.refreshToken ?? current.refreshToken,
    idToken: tokens.idToken ?? current.idToken,
    tokenExpiresAt: at + tokens.expiresInMs,
    tokenIssuedAt: at,
    scope: tokens.scope ?? current.scope,
    lastSeenAt: at,
  };
  await writeSession(ctx, key, next);
  return next;
}
