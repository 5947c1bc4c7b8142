import type { StorageOption } from "./config.js";
import { serializeTokenSet, deserializeTokenSet, type TokenSet } from "./tokenSet.js";

/**
 * Where a token set may be kept. The Web Storage shape on purpose: `window.localStorage`, an
 * encrypted wrapper, or a native bridge all fit.
 */
export interface TokenStorage {
  /** The stored string, or null. */
  getItem(key: string): string | null;
  /** Stores a string (may throw when full: the session then lives in memory). */
  setItem(key: string, value: string): void;
  /** Forgets the key. */
  removeItem(key: string): void;
}

/** Loads, saves and clears one client's token set in the chosen storage. */
export interface TokenStore {
  load(): TokenSet | null;
  save(tokenSet: TokenSet): void;
  clear(): void;
  /** The storage key, for `storage` events (cross-tab sync). */
  readonly key: string;
  /** The kind of storage, for the session features that depend on it. */
  readonly kind: "memory" | "session" | "local" | "cookie" | "custom";
}

/**
 * Makes the token store for a `storage` option. Web storage is looked up at each call, never at
 * import or construction, so server rendering and storage-less sandboxes work.
 */
export function createTokenStore(option: StorageOption, clientId: string): TokenStore {
  const key = `smartbills.token.${clientId}`;
  /**
   * Runs `action` on the storage. With none (memory, cookie, no window) or when it throws (storage
   * blocked by privacy settings or a sandboxed iframe, quota exceeded), nothing is kept: the
   * session lives in memory only.
   */
  const withStorage = <T>(action: (storage: TokenStorage) => T): T | undefined => {
    try {
      // The query cache already holds the token in memory; "memory" keeps nothing more. In cookie
      // mode the refresh token is the backend's, in an HttpOnly cookie script never sees.
      const storage = typeof option === "object" ? option : option === "local" ? window.localStorage : option === "session" ? window.sessionStorage : null;
      return storage ? action(storage) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    key,
    kind: typeof option === "object" ? "custom" : option,
    load: () =>
      withStorage((storage) => {
        const raw = storage.getItem(key);
        if (!raw) return null;
        const tokenSet = deserializeTokenSet(raw);
        // Tampered with or from another version: it can never be used.
        if (!tokenSet) storage.removeItem(key);
        return tokenSet;
      }) ?? null,
    save(tokenSet) {
      withStorage((storage) => storage.setItem(key, serializeTokenSet(tokenSet)));
    },
    clear() {
      withStorage((storage) => storage.removeItem(key));
    },
  };
}
