/**
 * Reduces any `returnTo` to a path on `origin`, so the callback can never become an open redirect.
 * Anything absolute, protocol-relative (`//x`), backslash-tricked (`/\x`), or with a non-http scheme
 * becomes `/`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.11.1
 * @example sanitizeReturnTo("//evil.com", "https://app.example") // "/"
 */
export function sanitizeReturnTo(value: unknown, origin: string | undefined): string {
  if (typeof value !== "string" || !origin) return "/";
  try {
    // The URL parser is the browser's own: judging with it (not with a regex) means we see
    // `/\t/evil.com` and `\/evil.com` exactly as `history` and `location` will.
    const url = new URL(value, origin);
    // A path like `//evil.com` (reached through `/.//evil.com`) is same-origin here but would be read
    // as protocol-relative once handed to navigation: collapse leading slashes.
    const path = `${url.pathname.replace(/^[/\\]+/, "/")}${url.search}${url.hash}`;
    if (url.origin === origin && new URL(path, origin).origin === origin) return path;
  } catch {
    // Not a URL: falls back to "/".
  }
  return "/";
}
