import { deserializeTokenSet, serializeTokenSet, type TokenSet } from "./tokenSet.js";

/** What one tab tells the others. Tokens travel serialised, in memory, to the same origin only. */
type Message =
  | { t: "hello"; from: string }
  | { t: "here"; from: string }
  | { t: "bye"; from: string }
  | { t: "session"; from: string; token: string }
  | { t: "logout"; from: string };

/** Handlers a {@link TabSync} calls when another tab changes the session. */
export interface TabSyncHandlers {
  /** Another tab signed in or refreshed. */
  onSession(tokenSet: TokenSet): void;
  /** Another tab logged out. */
  onLogout(): void;
  /** Another tab asks for the session (a new tab joining): answer with ours, if any. */
  currentSession(): TokenSet | null;
}

/** Cross-tab messaging for one client: login, refresh and logout are seen by the other tabs. */
export interface TabSync {
  /** Tells the other tabs about a new token set (`shareTokens`) or only that one exists. */
  publish(tokenSet: TokenSet): void;
  publishLogout(): void;
  /** Asks the open tabs for their session; resolves with the freshest one heard within `timeoutMs`, or null. */
  request(timeoutMs: number): Promise<TokenSet | null>;
  /** Whether another tab of this client has been heard from. */
  hasPeers(): boolean;
  close(): void;
}

/**
 * Makes the cross-tab channel of a client, or null where BroadcastChannel is missing. With
 * `shareTokens` false (memory storage) only logout travels: no token leaves its tab.
 */
export function createTabSync(clientId: string, handlers: TabSyncHandlers, shareTokens: boolean): TabSync | null {
  if (typeof BroadcastChannel === "undefined") return null;
  const channel = new BroadcastChannel(`smartbills.${clientId}`);
  const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const peers = new Set<string>();
  const waiters = new Set<(tokenSet: TokenSet) => void>();
  const post = (message: Message) => {
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel (page unloading): nothing to tell.
    }
  };

  channel.onmessage = (event: MessageEvent<Message>) => {
    const message = event.data;
    if (!message || typeof message !== "object" || typeof message.from !== "string" || message.from === id) return;
    switch (message.t) {
      case "hello": {
        peers.add(message.from);
        const current = shareTokens ? handlers.currentSession() : null;
        post(current ? { t: "session", from: id, token: serializeTokenSet(current) } : { t: "here", from: id });
        break;
      }
      case "here":
        peers.add(message.from);
        break;
      case "bye":
        peers.delete(message.from);
        break;
      case "session": {
        peers.add(message.from);
        if (!shareTokens || typeof message.token !== "string") return;
        const tokenSet = deserializeTokenSet(message.token);
        if (!tokenSet) return;
        for (const waiter of waiters) waiter(tokenSet);
        handlers.onSession(tokenSet);
        break;
      }
      case "logout":
        peers.add(message.from);
        handlers.onLogout();
        break;
    }
  };

  const onPageHide = () => post({ t: "bye", from: id });
  if (typeof window !== "undefined") window.addEventListener("pagehide", onPageHide);
  post({ t: "hello", from: id });

  return {
    publish(tokenSet) {
      if (shareTokens) post({ t: "session", from: id, token: serializeTokenSet(tokenSet) });
    },
    publishLogout() {
      post({ t: "logout", from: id });
    },
    request(timeoutMs) {
      if (!shareTokens) return Promise.resolve(null);
      return new Promise((resolve) => {
        let best: TokenSet | null = null;
        const done = () => {
          clearTimeout(timer);
          waiters.delete(onToken);
          resolve(best);
        };
        const onToken = (tokenSet: TokenSet) => {
          if (!best || tokenSet.expiresAt > best.expiresAt) best = tokenSet;
          done(); // the first answer is enough: every tab holds the latest, which it broadcast
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(onToken);
        post({ t: "hello", from: id });
      });
    },
    hasPeers: () => peers.size > 0,
    close() {
      post({ t: "bye", from: id });
      if (typeof window !== "undefined") window.removeEventListener("pagehide", onPageHide);
      waiters.clear();
      channel.close();
    },
  };
}
