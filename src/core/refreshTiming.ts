import { MIN_REFRESH_INTERVAL_MS, refreshDueAt, type TokenSet } from "./tokenSet.js";

/** What the refresh schedule remembers between attempts. */
export interface RefreshState {
  /** Failed attempts in a row (a success or a token from another tab resets it). */
  failures: number;
  /** When the last automatic attempt started, epoch ms. */
  lastAttemptAt: number;
  /** No attempt before this, epoch ms: the server's `Retry-After` after a 429 or 503. */
  notBefore: number;
}

const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/**
 * When the next automatic refresh should happen, epoch ms. A healthy session refreshes at
 * {@link refreshDueAt}; after failures, with exponential backoff and jitter (tabs and clients must
 * not retry in step); never before the server's `Retry-After`, and never more than once per
 * {@link MIN_REFRESH_INTERVAL_MS}, whatever the token's lifetime. A session that cannot refresh is
 * looked at again when it expires, so that it ends on time.
 *
 * @example
 * ```ts
 * setTimeout(refresh, nextRefreshAt(tokenSet, Date.now(), state, { refreshable: true, due: false }) - Date.now())
 * ```
 */
export function nextRefreshAt(
  tokenSet: TokenSet,
  now: number,
  state: RefreshState,
  session: { refreshable: boolean; due: boolean },
  random: () => number = Math.random,
): number {
  if (!session.refreshable) return tokenSet.expiresAt;
  const at =
    state.failures > 0 && session.due
      ? now + Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (state.failures - 1)) * (0.5 + random() / 2)
      : refreshDueAt(tokenSet);
  return Math.max(now, at, state.lastAttemptAt + MIN_REFRESH_INTERVAL_MS, state.notBefore);
}
