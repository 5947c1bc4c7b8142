/** What one tab tells the others: the session ended (`logout`), or one began (`session`). No data. */
export type BffSignal = "logout" | "session";

/** The cross-tab signals of one backend-for-frontend session. */
export interface BffChannel {
  /** Tells the other tabs of this origin; works whether or not this tab listens. */
  post(signal: BffSignal): void;
  /** Hears the other tabs until the returned function is called. */
  listen(onSignal: (signal: BffSignal) => void): () => void;
}

/**
 * A tiny BroadcastChannel for the BFF mode, apart from the token mode's `tabSync` (which shares
 * tokens, and there are none here): the messages carry no data at all, and anything else that
 * arrives on the channel is ignored. Where BroadcastChannel is missing, the tabs learn on their
 * next `/session` (when they become visible).
 *
 * @example
 * ```ts
 * const channel = createBffChannel("/api/smartbills")
 * const stop = channel.listen((signal) => signal === "logout" && endHere())
 * ```
 * @internal
 */
export function createBffChannel(basePath: string): BffChannel {
  const name = `smartbills.bff.${basePath}`;
  // Two instances of this tab hear each other: a tab ignores its own signals.
  const from = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const supported = typeof BroadcastChannel !== "undefined";
  return {
    post(signal) {
      if (!supported) return;
      // Opened for the message only: no channel stays open (and keeps a server process alive) unless listening.
      const channel = new BroadcastChannel(name);
      try {
        channel.postMessage({ t: signal, from });
      } catch {
        // A page unloading: nothing to tell.
      } finally {
        channel.close();
      }
    },
    listen(onSignal) {
      if (!supported) return () => {};
      const channel = new BroadcastChannel(name);
      channel.onmessage = (event: MessageEvent<unknown>) => {
        const { t, from: sender } = (event.data || {}) as { t?: unknown; from?: unknown };
        if (typeof sender === "string" && sender !== from && (t === "logout" || t === "session")) onSignal(t);
      };
      return () => channel.close();
    },
  };
}
