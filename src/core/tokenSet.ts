import { SmartbillsAuthError, SmartbillsErrorCodes } from "./errors.js";

/**
 * The tokens of a signed-in user. `expiresAt` and `issuedAt` are epoch milliseconds.
 * Its JSON form redacts the tokens, so a query-cache persister or a log never writes them out.
 */
export interface TokenSet {
  accessToken: string;
  tokenType: "Bearer";
  expiresAt: number;
  refreshToken?: string;
  scope?: string;
  idToken?: string;
  /** When the token was received: with `expiresAt`, the token's lifetime, which sets when to refresh. */
  issuedAt?: number;
}

/** The token lifetime assumed when the server sends no `expires_in` (RFC 6749 makes it optional). */
const DEFAULT_LIFETIME_S = 3600;
/** Refresh this long before expiry at most, … */
const MAX_REFRESH_MARGIN_MS = 60_000;
/** …and never more often than this, whatever the server says (a 0 s token must not cause a storm). */
export const MIN_REFRESH_INTERVAL_MS = 1_000;

/**
 * Turns a token endpoint answer into a {@link TokenSet}, refusing anything that is not a usable
 * Bearer token.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function parseTokenResponse(body: unknown, now: number, previous?: TokenSet | null): TokenSet {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalid("The token response is not a JSON object.");
  }
  const json = body as Record<string, unknown>;
  if (typeof json.access_token !== "string" || json.access_token === "") {
    throw invalid("The token response has no access_token.");
  }
  if (typeof json.token_type !== "string" || json.token_type.toLowerCase() !== "bearer") {
    throw invalid("The token response's token_type is not Bearer.");
  }
  let expiresIn = DEFAULT_LIFETIME_S;
  if (json.expires_in !== undefined) {
    const value = typeof json.expires_in === "string" ? Number(json.expires_in) : json.expires_in;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw invalid("The token response's expires_in is not a number of seconds.");
    expiresIn = value;
  }
  const optional = (name: string): string | undefined => {
    const value = json[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw invalid(`The token response's ${name} is not a string.`);
    return value;
  };
  const refreshToken = optional("refresh_token") ?? previous?.refreshToken;
  const scope = optional("scope") ?? previous?.scope;
  const idToken = optional("id_token") ?? previous?.idToken;
  return createTokenSet({
    accessToken: json.access_token,
    tokenType: "Bearer",
    expiresAt: now + expiresIn * 1000,
    issuedAt: now,
    ...(refreshToken !== undefined && { refreshToken }),
    ...(scope !== undefined && { scope }),
    ...(idToken !== undefined && { idToken }),
  });
}

/**
 * Makes a token set whose JSON form hides its tokens (a non-enumerable `toJSON`), so that
 * `JSON.stringify(dehydrate(queryClient))` or a logger never writes them out.
 */
export function createTokenSet(fields: TokenSet): TokenSet {
  const tokenSet = { ...fields };
  Object.defineProperty(tokenSet, "toJSON", {
    enumerable: false,
    value: () => ({
      tokenType: tokenSet.tokenType,
      expiresAt: tokenSet.expiresAt,
      ...(tokenSet.scope !== undefined && { scope: tokenSet.scope }),
      accessToken: "[redacted]",
      ...(tokenSet.refreshToken !== undefined && { refreshToken: "[redacted]" }),
      ...(tokenSet.idToken !== undefined && { idToken: "[redacted]" }),
    }),
  });
  return Object.freeze(tokenSet);
}

/**
 * When to refresh: `min(60 s, half the lifetime)` before expiry, so a 5 s token refreshes about
 * every 2.5 s and a 1 h token one minute before it ends.
 */
export function refreshDueAt(tokenSet: TokenSet): number {
  const lifetime = Math.max(0, tokenSet.expiresAt - (tokenSet.issuedAt ?? tokenSet.expiresAt - DEFAULT_LIFETIME_S * 1000));
  return tokenSet.expiresAt - Math.min(MAX_REFRESH_MARGIN_MS, lifetime / 2);
}

/** Whether the token should be refreshed before use. */
export function isRefreshDue(tokenSet: TokenSet, now: number): boolean {
  return now >= refreshDueAt(tokenSet);
}

/** Whether the access token can no longer be used at all. */
export function isExpired(tokenSet: TokenSet, now: number): boolean {
  return now >= tokenSet.expiresAt;
}

/** The storage form: plain JSON with the tokens (storage is where they are meant to be). */
export function serializeTokenSet(tokenSet: TokenSet): string {
  return JSON.stringify({
    v: 1,
    accessToken: tokenSet.accessToken,
    tokenType: tokenSet.tokenType,
    expiresAt: tokenSet.expiresAt,
    issuedAt: tokenSet.issuedAt,
    refreshToken: tokenSet.refreshToken,
    scope: tokenSet.scope,
    idToken: tokenSet.idToken,
  });
}

/** Reads the storage form back; anything malformed or tampered with reads as no session. */
export function deserializeTokenSet(raw: string): TokenSet | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (v.v !== 1 || typeof v.accessToken !== "string" || !v.accessToken || typeof v.expiresAt !== "number" || !Number.isFinite(v.expiresAt)) return null;
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  const refreshToken = str(v.refreshToken);
  const scope = str(v.scope);
  const idToken = str(v.idToken);
  return createTokenSet({
    accessToken: v.accessToken,
    tokenType: "Bearer",
    expiresAt: v.expiresAt,
    ...(typeof v.issuedAt === "number" && Number.isFinite(v.issuedAt) && { issuedAt: v.issuedAt }),
    ...(refreshToken !== undefined && { refreshToken }),
    ...(scope !== undefined && { scope }),
    ...(idToken !== undefined && { idToken }),
  });
}

function invalid(description: string): SmartbillsAuthError {
  return new SmartbillsAuthError(SmartbillsErrorCodes.INVALID_RESPONSE, { description });
}
