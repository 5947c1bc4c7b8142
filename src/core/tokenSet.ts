
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

/** Every field of a {@link TokenSet}, in the order of its storage form: the `…At` times are numbers, the others strings, and the `…Token` ones secrets. */
const FIELDS = ["accessToken", "tokenType", "expiresAt", "issuedAt", "refreshToken", "scope", "idToken"] as const;

/** The token lifetime assumed when the server sends no `expires_in` (RFC 6749 makes it optional). */
export const DEFAULT_LIFETIME_S = 3600;
/** Refresh this long before expiry at most, … */
const MAX_REFRESH_MARGIN_MS = 60_000;
/** …and never more often than this, whatever the server says (a 0 s token must not cause a storm). */
export const MIN_REFRESH_INTERVAL_MS = 1_000;

/**
 * Makes a frozen token set of the known fields (missing ones, and any of the wrong type, left out)
 * whose JSON form hides its tokens (a non-enumerable `toJSON`), so that
 * `JSON.stringify(dehydrate(queryClient))` or a logger never writes them out.
 */
export function createTokenSet(fields: TokenSet): TokenSet {
  const tokenSet: Record<string, unknown> = {};
  const redacted: Record<string, unknown> = {};
  for (const name of FIELDS) {
    const value = fields[name];
    if (typeof value === (name.endsWith("At") ? "number" : "string")) {
      tokenSet[name] = value;
      redacted[name] = name.endsWith("Token") ? "[redacted]" : value;
    }
  }
  // defineProperty makes it non-enumerable (and read-only): spreads and the storage form skip it.
  Object.defineProperty(tokenSet, "toJSON", { value: () => ({ ...redacted }) });
  return Object.freeze(tokenSet) as unknown as TokenSet;
}

/**
 * When to refresh: `min(60 s, half the lifetime)` before expiry, so a 5 s token refreshes about
 * every 2.5 s and a 1 h token one minute before it ends.
 */
export function refreshDueAt(tokenSet: TokenSet): number {
  const { expiresAt, issuedAt = expiresAt - DEFAULT_LIFETIME_S * 1000 } = tokenSet;
  return expiresAt - Math.min(MAX_REFRESH_MARGIN_MS, Math.max(0, expiresAt - issuedAt) / 2);
}

/** Whether the token should be refreshed before use. */
export function isRefreshDue(tokenSet: TokenSet, now: number): boolean {
  return now >= refreshDueAt(tokenSet);
}

/** Whether the access token can no longer be used at all. */
export function isExpired(tokenSet: TokenSet, now: number): boolean {
  return now >= tokenSet.expiresAt;
}

/**
 * The storage form: plain JSON with the tokens (storage is where they are meant to be). The spread
 * copies the fields only, not the redacting `toJSON`.
 */
export function serializeTokenSet(tokenSet: TokenSet): string {
  return JSON.stringify({ v: 1, ...tokenSet });
}

/** Reads the storage form back; anything malformed or tampered with reads as no session. */
export function deserializeTokenSet(raw: string): TokenSet | null {
  try {
    const stored = JSON.parse(raw) as TokenSet & { v?: unknown };
    // Fields of the wrong type are dropped; without a usable access token and expiry there is no session.
    const tokenSet = createTokenSet({ ...stored, tokenType: "Bearer" });
    return stored?.v === 1 && tokenSet.accessToken && tokenSet.expiresAt !== undefined ? tokenSet : null;
  } catch {
    return null;
  }
}
