import type { BffKeys } from "./seal.js";
import { decodeText, encodeText } from "./seal.js";

/** The session cookie: `__Host-` forbids a `Domain` and requires `Secure` and `Path=/`, so no sibling subdomain can plant one. @internal */
export const SESSION_COOKIE = "__Host-smartbills-session";
/** Login cookies are named per login (by the start of its state), so two tabs can sign in at once. @internal */
export const LOGIN_COOKIE_PREFIX = "__Host-smartbills-login-";
/** How long a login may take, from /login to /callback. @internal */
export const LOGIN_TTL_SECONDS = 600;
/** A session id is 32 random bytes, base64url: anything else is refused before the store is asked. @internal */
export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const MAX_COOKIE_HEADER = 8192;

/** What the login cookie carries from /login to /callback. @internal */
export interface LoginRecord {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** Epoch ms after which the login is refused. */
  expiresAt: number;
}

/** The value of cookie `name` in a `Cookie` header; `null` when absent or given twice (a planted duplicate). @internal */
export function readCookie(header: string | null, name: string): string | null {
  if (!header || header.length > MAX_COOKIE_HEADER) return null;
  let found: string | null = null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    if (found !== null) return null;
    found = part.slice(eq + 1).trim();
  }
  return found;
}

/** A `Set-Cookie` value with the attributes every BFF cookie has. `maxAge` 0 clears it. @internal */
export function serializeCookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; Secure; SameSite=Lax`;
}

/** The session cookie for `id`, or the header that clears it. @internal */
export function sessionCookie(id: string | null, maxAgeSeconds: number): string {
  return id === null ? serializeCookie(SESSION_COOKIE, "", 0) : serializeCookie(SESSION_COOKIE, id, maxAgeSeconds);
}

/** The login cookie's name for a state: its first 16 characters (base64url, valid in a cookie name). @internal */
export function loginCookieName(state: string): string {
  return LOGIN_COOKIE_PREFIX + state.slice(0, 16);
}

/**
 * The login cookie: the record as base64url JSON and its HMAC. The cookie is HttpOnly, so only the
 * browser's own user could read the verifier, and it is useless without the code sent to this server.
 *
 * @internal
 */
export async function encodeLoginCookie(keys: BffKeys, record: LoginRecord): Promise<string> {
  const payload = encodeText(JSON.stringify(record));
  return serializeCookie(loginCookieName(record.state), `${payload}.${await keys.sign(`login.${payload}`)}`, LOGIN_TTL_SECONDS);
}

/** The login record, if the cookie is signed by us and well-formed (`"expired"` past its 10 minutes); else `null`. @internal */
export async function decodeLoginCookie(keys: BffKeys, value: string | null, now: number): Promise<LoginRecord | "expired" | null> {
  if (!value || value.length > 2048) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const payload = value.slice(0, dot);
  if (!(await keys.verify(`login.${payload}`, value.slice(dot + 1)))) return null;
  const text = decodeText(payload);
  if (text === null) return null;
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof record !== "object" || record === null) return null;
  const { state, nonce, verifier, returnTo, expiresAt } = record as Record<string, unknown>;
  if (typeof state !== "string" || typeof nonce !== "string" || typeof verifier !== "string" || typeof returnTo !== "string") return null;
  if (typeof expiresAt !== "number") return null;
  if (!(expiresAt > now)) return "expired";
  return { state, nonce, verifier, returnTo, expiresAt };
}
