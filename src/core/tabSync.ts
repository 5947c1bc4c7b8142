import { deserializeTokenSet, serializeTokenSet, type TokenSet } from "./tokenSet.js";

/**
 * What one tab tells the others: `hello` (who is there? a new tab, or a tab about to refresh),
 * `here` (I am, with no session to share), `session` (with the serialised token set), `logout`,
 * `bye` (this tab is closing). Tokens travel in memory, to the same origin only.
 */
interface Message {
  t: "hello" | "here" | "bye" | "session" | "logout";
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
 * `shareTokens` false (memory storage) only logout travels: no token leaves its tab.
 */
export function createTabSync(clientId: string, handlers: TabSyncHandlers, shareTokens: boolean): TabSync | null {
  if (typeof BroadcastChannel === "undefined") return null;
  const channel = new BroadcastChannel(`smartbills.${clientId}`);
  const id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const peers = new Set<string>();
  const waiters = new Set<(tokenSet: TokenSet) => void>();
  const post = (t: Message["t"], tokenSet?: TokenSet | null) => {
    const message: Message = { t, from: id };
    if (tokenSet && shareTokens) message.token = serializeTokenSet(tokenSet);
    try {
      channel.postMessage(message);
    } catch {
      // A closed channel (page unloading): nothing to tell.
    }
  };

  channel.onmessage = (event: MessageEvent<Message | null>) => {
    const message = event.data;
    const from = message && typeof message === "object" ? message.from : undefined;
    if (typeof from !== "string" || from === id) return;
    if (message!.t === "bye") {
      peers.delete(from);
      return;
    }
    peers.add(from);
    if (message!.t === "hello") {
      const current = shareTokens && handlers.currentSession();
      post(current ? "session" : "here", current || null);
    } else if (message!.t === "logout") {
      handlers.onLogout();
    } else if (message!.t === "session" && shareTokens && typeof message!.token === "string") {
      const tokenSet = deserializeTokenSet(message!.token);
      if (!tokenSet) return;
      for (const waiter of waiters) waiter(tokenSet);
      handlers.onSession(tokenSet);
    }
  };

  const onPageHide = () => post("bye");
  if (typeof window !== "undefined") window.addEventListener("pagehide", onPageHide);
  post("hello");

  return {
    publish(tokenSet) {
      if (shareTokens) post("session", tokenSet);
    },
    publishLogout: () => post("logout"),
    request(timeoutMs) {
      if (!shareTokens) return Promise.resolve(null);
      return new Promise((resolve) => {
        // The first answer is enough: every tab holds the latest session, which it broadcast.
        const done = (tokenSet: TokenSet | null) => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(tokenSet);
        };
        const timer = setTimeout(done, timeoutMs, null);
        waiters.add(done);
        post("hello");
      });
    },
    hasPeers: () => peers.size > 0,
    close() {
      post("bye");
      if (typeof window !== "undefined") window.removeEventListener("pagehide", onPageHide);
      waiters.clear();
      channel.close();
    },
  };
}
