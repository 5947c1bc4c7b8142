import type { TokenStore } from "../core/storage.js";
import { createTabSync, type TabSync } from "../core/tabSync.js";
import { deserializeTokenSet, type TokenSet } from "../core/tokenSet.js";

/**
 * How long a new tab waits for an open tab to hand it the session, and how long a tab that got the
 * refresh lock asks the others whether they refreshed already.
 */
const PEER_TIMEOUT_MS = 150;

/** What the tab session needs from the client. */
export interface TabSessionDeps {
  clientId: string;
  store: TokenStore;
  /** The session in the query cache (undefined before the first load). */
  getData(): TokenSet | null | undefined;
  /** Takes a session another tab got, or ends it (null). */
  setData(tokenSet: TokenSet | null): void;
  /** The token set if it can still be used, else null. */
  live(tokenSet: TokenSet | null | undefined): TokenSet | null;
  needsRefresh(tokenSet: TokenSet): boolean;
  /** Another tab's session was adopted here. */
  onAdopt(): void;
  /** Another tab logged out; the session here ends without telling anyone. */
  onLogout(): void;
}

/** One tab's view of the session the other tabs of the same client share. */
export interface TabSession {
  /** Tells the other tabs about a new token set (tokens travel only with per-tab storage). */
  publish(tokenSet: TokenSet): void;
  publishLogout(): void;
  /** A token-free marker in localStorage that some tab holds a session, so a new tab knows whether to wait for one. */
  setHint(present: boolean): void;
  /** Whether a new tab should wait for an open tab's session (per-tab storage and a hint). */
  mayJoin(): boolean;
  /** A new tab's first load: the session of an open tab, if the hint says one may hold it. */
  join(): Promise<TokenSet | null>;
  /** After waiting for the refresh lock: a token set another tab refreshed meanwhile, if any. */
  newer(stale: TokenSet): Promise<TokenSet | null>;
  /** Starts (true) or stops listening to `storage` events and the channel. */
  listen(on: boolean): void;
}

/**
 * Sessions across tabs: with per-tab storage (sessionStorage, cookie mode) tabs hand tokens to
 * each other in memory over a BroadcastChannel; with storage every tab reads (localStorage, a
 * custom one) `storage` events tell the other tabs at once. Logout reaches every tab either way.
 */
export function createTabSession(deps: TabSessionDeps): TabSession {
  const { clientId, store, getData, setData, live, needsRefresh } = deps;
  const browser = typeof window !== "undefined";
  const perTab = store.kind === "session" || store.kind === "cookie";
  const sharedStorage = store.kind === "local" || store.kind === "custom";
  const hintKey = `smartbills.session-hint.${clientId}`;
  let sync: TabSync | null | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;

  /** The cross-tab channel, made on first use in a browser. */
  function channel(): TabSync | null {
    if (sync === undefined && browser) {
      sync = createTabSync(
        clientId,
        {
          onSession: adopt,
          onLogout: deps.onLogout,
          currentSession: () => live(getData()),
        },
        // Tokens travel between tabs only where they would be in script memory anyway.
        perTab,
      );
    }
    return sync || null;
  }

  /** Takes a token set another tab got, if it expires later than ours (null: an unreadable one, ignored). */
  function adopt(tokenSet: TokenSet | null): void {
    const current = getData();
    if (!live(tokenSet) || (current && current.expiresAt >= tokenSet!.expiresAt)) return;
    store.save(tokenSet!);
    deps.onAdopt();
    setData(tokenSet);
  }

  function onStorageEvent({ key, newValue }: StorageEvent): void {
    if (!sharedStorage) return;
    // A null key: another tab cleared the whole storage; the session went with it if ours is gone.
    if (key === null ? !store.load() : key === store.key && newValue === null) setData(null);
    else if (key === store.key) adopt(deserializeTokenSet(newValue!));
  }

  /** Asks the open tabs for their session, and keeps what `accept` returns of the answer. */
  async function askPeers(accept: (tokenSet: TokenSet | null | undefined) => TokenSet | null): Promise<TokenSet | null> {
    const heard = accept(await channel()?.request(PEER_TIMEOUT_MS));
    if (heard) store.save(heard);
    return heard;
  }

  function setHint(present: boolean): void {
    if (!perTab || !browser) return;
    try {
      if (present) localStorage.setItem(hintKey, "1");
      else localStorage.removeItem(hintKey);
    } catch {
      // Blocked storage: new tabs will sign in again, nothing worse.
    }
  }

  function mayJoin(): boolean {
    try {
      return perTab && typeof BroadcastChannel !== "undefined" && localStorage.getItem(hintKey) === "1";
    } catch {
      return false;
    }
  }

  return {
    publish: (tokenSet) => channel()?.publish(tokenSet),
    publishLogout: () => channel()?.publishLogout(),
    setHint,
    mayJoin,
    async join() {
      if (!mayJoin()) return null;
      const joined = await askPeers(live);
      if (!joined && !channel()?.hasPeers()) setHint(false); // nobody answered: the hint is stale
      return joined;
    },
    async newer(stale) {
      const fresh = (candidate: TokenSet | null | undefined) =>
        candidate && candidate.accessToken !== stale.accessToken && !needsRefresh(candidate) ? candidate : null;
      const cached = fresh(getData());
      // Shared storage tells at once; with per-tab storage the open tabs are asked.
      if (cached || sharedStorage) return cached || fresh(store.load());
      return channel()?.hasPeers() ? askPeers(fresh) : null;
    },
    listen(on) {
      if (!browser) return;
      if (on) {
        clearTimeout(closeTimer);
        channel();
        window.addEventListener("storage", onStorageEvent);
      } else {
        window.removeEventListener("storage", onStorageEvent);
        // Deferred: StrictMode stops and restarts at once, and a join in flight must keep its channel.
        closeTimer = setTimeout(() => {
          sync?.close();
          sync = undefined;
        }, 0);
      }
    },
  };
}
