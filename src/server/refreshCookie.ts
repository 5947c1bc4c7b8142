import type { Answer } from "./tokenHandlerAnswer.js";
import type { CookieConfig } from "./tokenHandlerConfig.js";

/**
 * The refresh-token cookie in a request: absent, one value, or `ambiguous` when the `Cookie` header
 * carries the name more than once. Browsers send every matching cookie (a sibling subdomain can
 * plant a same-named one with a narrower path), and which copy is ours cannot be told, so an
 * ambiguous header is refused rather than one copy taken.
 *
 * @internal
 */
export type CookieRead = { kind: "none" } | { kind: "one"; value: string } | { kind: "ambiguous" };

/** @internal */
export function readRefreshCookie(request: Request, name: string): CookieRead {
  const header = request.headers.get("cookie");
  if (!header) return { kind: "none" };
  let found: string | null = null;
  let count = 0;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index === -1 || part.slice(0, index).trim() !== name) continue;
    count += 1;
    found = part.slice(index + 1).trim();
  }
  if (count > 1) return { kind: "ambiguous" };
  if (found === null) return { kind: "none" };
  try {
    const value = decodeURIComponent(found);
    return value === "" ? { kind: "none" } : { kind: "one", value };
  } catch {
    return { kind: "none" };
  }
}

/** @internal */
export function setCookie(cookie: CookieConfig, value: string): string {
  return `${cookie.name}=${encodeURIComponent(value)}; Path=${cookie.path}; Max-Age=${cookie.maxAge}; HttpOnly; Secure; SameSite=Strict`;
}

/** @internal */
export function clearCookie(cookie: CookieConfig): string {
  return `${cookie.name}=; Path=${cookie.path}; Max-Age=0; HttpOnly; Secure; SameSite=Strict`;
}

/** Cookie mode: moves a refresh token from the JSON into the cookie, and drops a dead session's cookie. @internal */
export function withCookie(cookie: CookieConfig, answer: Answer, grantType: "authorization_code" | "refresh_token"): Answer {
  if (answer.status === 200 && answer.body) {
    const { refresh_token: refreshToken, ...visible } = answer.body;
    if (typeof refreshToken === "string") return { status: 200, body: visible, cookie: setCookie(cookie, refreshToken) };
    return { status: 200, body: visible };
  }
  if (grantType === "refresh_token" && answer.status >= 400 && answer.status < 500 && answer.body?.error === "invalid_grant") {
    return { ...answer, cookie: clearCookie(cookie) };
  }
  return answer;
}
