/**
 * Whether `value` is an OAuth error code: 1 to 64 characters of RFC 6749's NQSCHAR set (printable
 * ASCII without `"` and `\`). Anything else a server or a URL calls an "error" is not passed on as a
 * code: it could carry markup, a token, or be as long as the attacker likes.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function isOAuthErrorCode(value: unknown): value is string {
  // NQSCHAR, %x20-21 / %x23-5B / %x5D-7E: space and `!`, `#` to `[`, `]` to `~`.
  return typeof value === "string" && /^[ !#-[\]-~]{1,64}$/.test(value);
}
