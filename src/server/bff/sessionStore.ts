import { SmartbillsAuthError } from "../../core/errors.js";

/**
 * Where the backend for frontend keeps its sessions. Values are opaque strings: the BFF seals each
 * session (AES-GCM) before it reaches a store, and keys are derived from the session id (HMAC), so
 * a store, or a dump of it, holds neither a token nor a usable session id. Implement it to keep
 * sessions elsewhere (a database, Memcached); every method may reject with a
 * `SmartbillsAuthError` `temporarily_unavailable`, which the BFF answers with a 503.
 *
 * @example
 * ```ts
 * const sessionStore: SessionStore = createRedisSessionStore({ client: redis })
 * ```
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html
 */
export interface SessionStore {
  /** The value stored under `key`, or `null` when there is none or it expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value` for `ttlSeconds` (the session's remaining absolute or idle lifetime, whichever ends first). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Runs `fn` while holding the per-key lock, so that one refresh happens per session however many
   * requests (and, with a shared store, instances) ask at once. A holder that dies keeps the lock for
   * at most `ttlMs`; a waiter gives up with `temporarily_unavailable` after about twice that.
   */
  lock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
}

/**
 * The default store: sessions in this process's memory. Right for one server process; a fleet (or
 * a server that restarts without signing everyone out) needs {@link createRedisSessionStore}.
 *
 * @example
 * ```ts
 * createSmartbillsBff({ ...options, sessionStore: createMemorySessionStore() })
 * ```
 */
export function createMemorySessionStore(options: { now?: () => number } = {}): SessionStore {
  const now = options.now ?? Date.now;
  const values = new Map<string, { value: string; expiresAt: number }>();
  const locks = new Map<string, Promise<void>>();
  let writes = 0;
  const sweep = () => {
    // Amortised: expired sessions of users who never come back must not grow the map forever.
    const at = now();
    for (const [key, entry] of values) if (entry.expiresAt <= at) values.delete(key);
  };
  return {
    async get(key) {
      const entry = values.get(key);
      if (!entry) return null;
      if (entry.expiresAt > now()) return entry.value;
      values.delete(key);
      return null;
    },
    async set(key, value, ttlSeconds) {
      if (++writes % 1000 === 0) sweep();
      if (ttlSeconds > 0) values.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      else values.delete(key);
    },
    async delete(key) {
      values.delete(key);
    },
    async lock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
      const previous = locks.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      // The queue waits for the previous holder or its TTL, whichever comes first (as Redis would).
      const ready = waitAtMost(previous, ttlMs);
      const turn = ready.then(() => mine);
      locks.set(key, turn);
      try {
        await ready;
        return await fn();
      } finally {
        release();
        if (locks.get(key) === turn) locks.delete(key);
      }
    },
  };
}

/** `promise`, or `ms` milliseconds, whichever settles first (a rejection counts as settled). */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A store that cannot answer in time is an outage, answered 503 rather than a hanging request. @internal */
export function storeUnavailable(cause?: unknown): SmartbillsAuthError {
  return new SmartbillsAuthError("temporarily_unavailable", { description: "The session store is unavailable.", status: 503, cause });
}

/**
 * `promise`, or `temporarily_unavailable` after `ms`: a store that never answers (Redis stopped,
 * a network partition) must cost a request a bounded time, not a hang. A late rejection of
 * `promise` is swallowed, never unhandled.
 *
 * @internal
 */
export function withStoreDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guarded = promise.catch((error: unknown) => {
    throw error instanceof SmartbillsAuthError ? error : storeUnavailable(error);
  });
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(storeUnavailable()), ms);
  });
  guarded.catch(() => {});
  return Promise.race([guarded, deadline]).finally(() => clearTimeout(timer));
}
