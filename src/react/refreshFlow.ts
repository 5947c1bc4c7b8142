import { withBrowserLock } from "../core/browserLock.js";
import type { SmartbillsAuthError } from "../core/errors.js";
import { refreshTokenSet, type ExchangeTransport } from "../core/exchange.js";
import { checkNewIdToken } from "../core/idToken.js";
import { parseRetryAfter } from "../core/retryAfter.js";
import type { TokenSet } from "../core/tokenSet.js";

/** What a refresh needs from the client. */
export interface RefreshContext {
  clientId: string;
  issuer: string;
  now(): number;
  transport(): Promise<ExchangeTransport>;
  /** A token set another tab refreshed while this one waited for the lock, if any. */
  newer(stale: TokenSet): Promise<TokenSet | null>;
  /** Keeps what the server issued (stored, told to the other tabs). */
  keep(tokenSet: TokenSet): TokenSet;
}

/**
 * One refresh for the whole browser, under a Web Lock: with rotation, a second tab redeeming the
 * same refresh token would make the server revoke the grant. After the lock, another tab's fresh
 * token is taken instead of asking again; a new ID token must pass the checks and name the same
 * user (none keeps the claims). `stale` null restores a cookie-mode session. Loaded at the first
 * refresh (a dynamic import): a session that is still valid needs none of this.
 */
export function refreshSession(stale: TokenSet | null, context: RefreshContext): Promise<TokenSet> {
  return withBrowserLock(`smartbills.refresh.${context.clientId}`, async () => {
    const newer = stale && (await context.newer(stale));
    if (newer) return newer;
    const next = await refreshTokenSet(await context.transport(), stale);
    checkNewIdToken(next.idToken, stale?.idToken, { issuer: context.issuer, clientId: context.clientId, now: context.now() });
    return context.keep(next);
  });
}

/** How long the server asked to wait after a refused refresh (a 429 or 503 with `Retry-After`), in ms, or null. */
export function pauseAfter(error: SmartbillsAuthError, now: number): number | null {
  const { status, response } = error;
  return status === 429 || status === 503 ? parseRetryAfter(response?.headers.get("retry-after"), now) : null;
}
