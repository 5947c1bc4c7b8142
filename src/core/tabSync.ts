import { deserializeTokenSet, serializeTokenSet, type TokenSet } from "./tokenSet.js";

/**
 * What one tab tells the others: `hello` (who is there? a new tab, or a tab about to refresh),
 * `session` (a new session, or the answer to `hello`: with the serialised token set, or without
 * one when there is none to share), `logout`, `bye` (this tab is closing). Tokens travel in
 * memory, to the same origin only.
 */
interface Message {
  t: "hello" | "bye" | "session" | "logout";
  from: string;
  token?: string;
}

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
  /** Asks the open tabs for their session; resolves with the first one heard within `timeoutMs`, or null. */
  request(timeoutMs: number): Promise<TokenSet | null>;
  /** Whether another tab of this client has been heard from. */
  hasPeers(): boolean;
  close(): void;
}

/**
 * Makes the cross-tab channel of a client, or null where BroadcastChannel is missing. With
 * `shareTokens` false (memory storage) no token leaves its tab: the messages go out without one.
 */
export function createTabSync(clientId: string, handlers: TabSyncHandlers, shareTokens: boolean): TabSync | null {
  if (typeof BroadcastChannel === "undefined") return null;
  const channel = new BroadcastChannel(`smartbills.${clientId}`);
  const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const peers = new Set<string>();
  /** The pending `request`s: the first session heard settles them all. */
  const waiters = new Set<(tokenSet: TokenSet | null) => void>();
  const post = (t: Message["t"], tokenSet?: TokenSet | null) => {
    const message: Message = { t, from: id };
    // The one place a token goes out: only where tokens are shared.
    if (tokenSet && shareTokens) message.token = serializeTokenSet(tokenSet);
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel (page unloading): nothing to tell.
    }
  };

  channel.onmessage = (event: MessageEvent<unknown>) => {
    // Anything may arrive (another script of the origin): a primitive or null reads as no sender.
    const { t, from, token } = (event.data || {}) as Partial<Message>;
    if (typeof from !== "string" || from === id) return;
    if (t === "bye") {
      peers.delete(from);
      return;
    }
    peers.add(from);
    if (t === "hello") {
      post("session", handlers.currentSession());
    } else if (t === "logout") {
      handlers.onLogout();
    } else if (t === "session" && shareTokens && typeof token === "string") {
      const tokenSet = deserializeTokenSet(token);
      if (!tokenSet) return;
      waiters.forEach((waiter) => waiter(tokenSet));
      waiters.clear();
      handlers.onSession(tokenSet);
    }
  };

  const onPageHide = () => post("bye");
  if (typeof window !== "undefined") window.addEventListener("pagehide", onPageHide);
  post("hello");

  return {
    publish: (tokenSet) => post("session", tokenSet),
    publishLogout: () => post("logout"),
    request(timeoutMs) {
      return new Promise((resolve) => {
        if (!shareTokens) return resolve(null);
        // The first answer is enough: every tab holds the latest session, which it broadcast. After
        // it, the timeout finds the promise settled.
        waiters.add(resolve);
        setTimeout(() => {
          waiters.delete(resolve);
          resolve(null);
        }, timeoutMs);
        post("hello");
      });
    },
    hasPeers: () => peers.size > 0,
    close() {
      post("bye");
      if (typeof window !== "undefined") window.removeEventListener("pagehide", onPageHide);
      // Requests under way get no more answers: their timeouts settle them.
      channel.close();
    },
  };
}
