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

/** The storage key of a client's token set. */
export function tokenStorageKey(clientId: string): string {
  return `smartbills.token.${clientId}`;
}

/**
 * Makes the token store for a `storage` option. Web storage is looked up at each call, never at
 * import or construction, so server rendering and storage-less sandboxes work.
 */
export function createTokenStore(option: StorageOption, clientId: string): TokenStore {
  const key = tokenStorageKey(clientId);
  if (option === "memory" || option === "cookie") {
    // The query cache already holds the token in memory; nothing more to keep. In cookie mode the
    // refresh token is the backend's, in an HttpOnly cookie script never sees.
    return { key, kind: option, load: () => null, save: () => {}, clear: () => {} };
  }
  const storage = (): TokenStorage | null => {
    if (typeof option === "object") return option;
    try {
      if (typeof window === "undefined") return null;
      return option === "local" ? window.localStorage : window.sessionStorage;
    } catch {
      // Storage blocked (privacy settings, sandboxed iframe): fall back to memory only.
      return null;
    }
  };
  return {
    key,
    kind: typeof option === "object" ? "custom" : option,
    load() {
      try {
        const raw = storage()?.getItem(key);
        if (!raw) return null;
        const tokenSet = deserializeTokenSet(raw);
        if (!tokenSet) storage()?.removeItem(key);
        return tokenSet;
      } catch {
        return null;
      }
    },
    save(tokenSet) {
      try {
        storage()?.setItem(key, serializeTokenSet(tokenSet));
      } catch {
        // Quota or blocked storage: the session still lives in memory for this page.
      }
    },
    clear() {
      try {
        storage()?.removeItem(key);
      } catch {
        // Nothing stored, nothing to clear.
      }
    },
  };
}
