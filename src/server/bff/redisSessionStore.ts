import { storeUnavailable, withStoreDeadline, type SessionStore } from "./sessionStore.js";
import { randomToken } from "./seal.js";

/**
 * A connected Redis client, as far as the store needs one: node-redis v4+ (`sendCommand([...])`)
 * or ioredis (`call(command, ...args)`). Declared structurally, so the library never imports (or
 * bundles) a Redis package: the app installs and connects the one it likes.
 *
 * @example
 * ```ts
 * const client: RedisLikeClient = await createClient({ url: process.env.REDIS_URL }).connect()
 * ```
 */
export type RedisLikeClient =
  | { call(command: string, ...args: string[]): Promise<unknown> }
  | { sendCommand(args: string[]): Promise<unknown> };

/**
 * Options of {@link createRedisSessionStore}.
 *
 * @example
 * ```ts
 * const options: RedisSessionStoreOptions = { client: redis, keyPrefix: "myapp:bff:" }
 * ```
 */
export interface RedisSessionStoreOptions {
  /** A connected node-redis v4+ or ioredis client. Give it an `error` listener: node-redis throws unlistened errors. */
  client: RedisLikeClient;
  /** Prefix of every key the store writes. Default `smartbills:bff:`. */
  keyPrefix?: string;
  /**
   * How long one Redis command may take, in ms, before the request is answered 503
   * `temporarily_unavailable`. Default 1 500: a stopped Redis costs a request under 2 s, never a
   * hang (clients queue commands while reconnecting).
   */
  commandTimeoutMs?: number;
}

/** Deletes the lock only if it still holds our token: a late holder must not free its successor's lock. */
const RELEASE_SCRIPT = 'if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end';
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

/**
 * Sessions in Redis, shared by every instance of the app: TTLs are Redis's own (`PX`), and
 * {@link SessionStore.lock} is a `SET key token NX PX ttl` lock released by its token (a Lua
 * compare-and-delete), so one refresh runs per session across the fleet, and an instance that dies
 * holding the lock blocks nobody past its TTL. Waiters poll with a bounded backoff (5 ms up to
 * 100 ms). Values arrive sealed by the BFF (AES-GCM); a raw `GET` shows no token.
 *
 * @example
 * ```ts
 * import { createClient } from "redis" // or: import Redis from "ioredis"
 * const redis = await createClient({ url: process.env.REDIS_URL }).on("error", () => {}).connect()
 * const bff = createSmartbillsBff({ ...options, sessionStore: createRedisSessionStore({ client: redis }) })
 * ```
 * @throws TypeError when `client` is neither kind of client, or an option is invalid.
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/
 */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const client = (options ?? {}).client as Partial<{ call: unknown; sendCommand: unknown }> | undefined;
  const keyPrefix = options?.keyPrefix ?? "smartbills:bff:";
  const timeoutMs = options?.commandTimeoutMs ?? 1500;
  if (typeof keyPrefix !== "string") throw new TypeError('createRedisSessionStore: "keyPrefix" must be a string.');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('createRedisSessionStore: "commandTimeoutMs" must be a positive number.');
  let send: (args: string[]) => Promise<unknown>;
  // ioredis has both; its `sendCommand` takes a Command object, so `call` is tried first.
  if (client && typeof client.call === "function") {
    const call = client.call as (command: string, ...args: string[]) => Promise<unknown>;
    send = (args) => call.call(client, args[0]!, ...args.slice(1));
  } else if (client && typeof client.sendCommand === "function") {
    const sendCommand = client.sendCommand as (args: string[]) => Promise<unknown>;
    send = (args) => sendCommand.call(client, args);
  } else {
    throw new TypeError('createRedisSessionStore: "client" must be a connected node-redis (v4+) or ioredis client.');
  }
  const command = (args: string[]): Promise<unknown> => {
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(send(args));
    } catch (error) {
      return Promise.reject(storeUnavailable(error));
    }
    return withStoreDeadline(pending, timeoutMs);
  };
  const dataKey = (key: string) => `${keyPrefix}s:${key}`;
  const lockKey = (key: string) => `${keyPrefix}l:${key}`;

  return {
    async get(key) {
      const value = await command(["GET", dataKey(key)]);
      if (value === null || value === undefined) return null;
      if (typeof value === "string") return value;
      if (value instanceof Uint8Array) return new TextDecoder().decode(value);
      throw storeUnavailable();
    },
    async set(key, value, ttlSeconds) {
      const ttlMs = Math.floor(ttlSeconds * 1000);
      if (!(ttlMs > 0)) {
        await command(["DEL", dataKey(key)]);
        return;
      }
      await command(["SET", dataKey(key), value, "PX", String(ttlMs)]);
    },
    async delete(key) {
      await command(["DEL", dataKey(key)]);
    },
    async lock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
      const name = lockKey(key);
      const token = randomToken(16);
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      // Past twice the TTL even a dead holder's lock is gone; still waiting means Redis is unwell.
      const giveUpAt = Date.now() + 2 * ttlMs + timeoutMs;
      let pause = FIRST_POLL_MS;
      for (;;) {
        const answer = await command(["SET", name, token, "NX", "PX", ttl]);
        if (answer === "OK") break;
        if (Date.now() + pause > giveUpAt) throw storeUnavailable();
        await new Promise((resolve) => setTimeout(resolve, pause));
        pause = Math.min(MAX_POLL_MS, pause * 2);
      }
      try {
        return await fn();
      } finally {
        // Best effort: if the release fails, the TTL frees the lock.
        await command(["EVAL", RELEASE_SCRIPT, "1", name, token]).catch(() => undefined);
      }
    },
  };
}
