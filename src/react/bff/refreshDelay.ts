/** setTimeout's largest delay (about 24.8 days); a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * When to ask `/session` again before the session's end at `expiresAt`: a minute before it, or
 * half the time left when less remains, never sooner than a second from now. So an idle timeout
 * that activity has moved is seen before the page shows the user signed out.
 *
 * @example refreshDelay(Date.now() + 30 * 60_000, Date.now()) // 29 minutes
 * @internal
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const left = expiresAt - now;
  return Math.min(MAX_DELAY_MS, Math.max(1000, left - Math.min(60_000, left / 2)));
}
