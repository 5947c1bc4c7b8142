/** The longest wait a `Retry-After` header can impose: a year-long value must not park a session (or a server) for a year. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * How long to wait before the next attempt, from a `Retry-After` header (RFC 9110 §10.2.3): a
 * number of seconds or an HTTP date. Capped at {@link MAX_RETRY_AFTER_MS}; a date in the past is 0.
 * Absent, negative, fractional-garbage or unparseable values give null: the caller's own backoff
 * applies, so a hostile or broken server cannot stop retries nor make them storm.
 *
 * @example
 * ```ts
 * const waitMs = parseRetryAfter(response.headers.get("retry-after"), Date.now()) ?? backoffMs
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (!text || text.length > 64) return null;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    // An HTTP date names a weekday or a month: digits alone, or a signed number, are not one.
    if (!/[a-z]/i.test(text)) return null;
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = Math.max(0, at - now);
  }
  return Number.isFinite(ms) ? Math.min(ms, MAX_RETRY_AFTER_MS) : null;
}
