// The SessionStore contract, run against the memory store and a real Redis through both clients.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createMemorySessionStore, type SessionStore } from "../../../src/server/bff/sessionStore";
import { createRedisSessionStore } from "../../../src/server/bff/redisSessionStore";
import { ioRedisClient, nodeRedisClient, startRedis, type TestRedis } from "../../support/redis";

let redis: TestRedis;
const closers: Array<() => unknown> = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const close of closers) await close();
  await redis?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let unique = 0;
const key = () => `k${++unique}-${Math.random().toString(36).slice(2)}`;

type Kind = "memory" | "node-redis" | "ioredis";
async function makeStore(kind: Kind): Promise<SessionStore> {
  if (kind === "memory") return createMemorySessionStore();
  const { client, close } = kind === "node-redis" ? await nodeRedisClient(redis.url) : await ioRedisClient(redis.url);
  closers.push(close);
  return createRedisSessionStore({ client, keyPrefix: `test:${kind}:` });
}

describe.each<Kind>(["memory", "node-redis", "ioredis"])("SessionStore contract: %s", (kind) => {
  let store: SessionStore;
  beforeAll(async () => {
    store = await makeStore(kind);
  });

  it("gives back what was set, null for an unknown key, and nothing after delete", async () => {
    const k = key();
    expect(await store.get(k)).toBeNull();
    await store.set(k, "v1.sealed-value", 60);
    expect(await store.get(k)).toBe("v1.sealed-value");
    await store.delete(k);
    expect(await store.get(k)).toBeNull();
  });

  it("forgets a value after its TTL", async () => {
    const k = key();
    await store.set(k, "short", 0.15);
    expect(await store.get(k)).toBe("short");
    await sleep(250);
    expect(await store.get(k)).toBeNull();
  });

  it("treats a TTL of zero or less as a delete", async () => {
    const k = key();
    await store.set(k, "x", 60);
    await store.set(k, "y", 0);
    expect(await store.get(k)).toBeNull();
  });

  it("runs one holder at a time per key, and different keys in parallel", async () => {
    const k = key();
    let inside = 0;
    let most = 0;
    const work = () =>
      store.lock(k, 2000, async () => {
        most = Math.max(most, ++inside);
        await sleep(15);
        inside--;
        return "done";
      });
    const results = await Promise.all(Array.from({ length: 6 }, work));
    expect(results).toEqual(Array(6).fill("done"));
    expect(most).toBe(1);

    const started: number[] = [];
    const t0 = Date.now();
    await Promise.all([key(), key()].map((other) => store.lock(other, 2000, async () => {
      started.push(Date.now() - t0);
      await sleep(100);
    })));
    expect(Math.max(...started)).toBeLessThan(80);
  });

  it("releases the lock when the holder throws, and passes the error on", async () => {
    const k = key();
    await expect(store.lock(k, 2000, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const t0 = Date.now();
    await expect(store.lock(k, 2000, async () => "next")).resolves.toBe("next");
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("does not let a holder that never finishes block the key past the lock's TTL", async () => {
    const k = key();
    void store.lock(k, 300, () => new Promise<never>(() => {}));
    await sleep(20);
    const t0 = Date.now();
    await expect(store.lock(k, 300, async () => "second")).resolves.toBe("second");
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(200);
    expect(waited).toBeLessThan(1500);
  });
});

describe("createRedisSessionStore", () => {
  it("lets only the holder's token release a lock (a late holder does not free its successor's)", async () => {
    const { client, close } = await nodeRedisClient(redis.url);
    closers.push(close);
    const store = createRedisSessionStore({ client, keyPrefix: "tok:" });
    const k = key();
    let releaseB!: () => void;
    const bHolds = new Promise<void>((resolve) => (releaseB = resolve));
    // A outlives its 150 ms TTL; B takes the lock meanwhile; A's release must leave B's lock alone.
    const a = store.lock(k, 150, () => sleep(400));
    await sleep(10);
    const b = store.lock(k, 5000, () => bHolds);
    await a;
    expect(await client.get(`tok:l:${k}`)).not.toBeNull();
    let cRan = false;
    const c = store.lock(k, 5000, async () => void (cRan = true));
    await sleep(100);
    expect(cRan).toBe(false);
    releaseB();
    await Promise.all([b, c]);
    expect(cRan).toBe(true);
    expect(await client.get(`tok:l:${k}`)).toBeNull();
  });

  it("answers temporarily_unavailable within the command timeout when the client never answers", async () => {
    const hanging = { sendCommand: () => new Promise<never>(() => {}) };
    const store = createRedisSessionStore({ client: hanging, commandTimeoutMs: 100 });
    const t0 = Date.now();
    await expect(store.get("x")).rejects.toMatchObject({ code: "temporarily_unavailable", status: 503 });
    await expect(store.set("x", "v", 10)).rejects.toMatchObject({ code: "temporarily_unavailable" });
    await expect(store.lock("x", 1000, async () => 1)).rejects.toMatchObject({ code: "temporarily_unavailable" });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("turns a failing or throwing client into temporarily_unavailable, with no Redis text in the message", async () => {
    const failing = { call: async () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:6379 secret-ish")) };
    await expect(createRedisSessionStore({ client: failing }).get("x")).rejects.toMatchObject({ code: "temporarily_unavailable", message: expect.not.stringContaining("ECONNREFUSED") });
    const throwing = { sendCommand: () => { throw new Error("closed"); } };
    await expect(createRedisSessionStore({ client: throwing }).delete("x")).rejects.toMatchObject({ code: "temporarily_unavailable" });
  });

  it("refuses anything that is not a Redis client, and bad options, with a TypeError", () => {
    expect(() => createRedisSessionStore({ client: {} as never })).toThrow(TypeError);
    expect(() => createRedisSessionStore(undefined as never)).toThrow(TypeError);
    expect(() => createRedisSessionStore({ client: { call: async () => null }, commandTimeoutMs: -1 })).toThrow(TypeError);
  });

  it.each(["node-redis", "ioredis"] as const)("%s: a stopped Redis answers 503 within 2 s, and the value is back after restart", async (kind) => {
    const { client, close } = kind === "node-redis" ? await nodeRedisClient(redis.url) : await ioRedisClient(redis.url);
    closers.push(close);
    const store = createRedisSessionStore({ client, keyPrefix: `stop:${kind}:` });
    const k = key();
    await store.set(k, "kept", 600);
    await redis.stop();
    try {
      const t0 = Date.now();
      await expect(store.get(k)).rejects.toMatchObject({ code: "temporarily_unavailable" });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      await redis.start();
    }
    const end = Date.now() + 10_000;
    let value: string | null = null;
    while (Date.now() < end) {
      value = await store.get(k).catch(() => null);
      if (value !== null) break;
      await sleep(50);
    }
    expect(value).toBe("kept");
  }, 20_000);
});

describe("createMemorySessionStore (fake clock and timers)", () => {
  it("expires values by its own clock, to the millisecond, also across a sweep", async () => {
    let now = 1_000_000;
    const store = createMemorySessionStore({ now: () => now });
    await store.set("a", "1", 10);
    now += 9_999;
    expect(await store.get("a")).toBe("1");
    now += 2;
    expect(await store.get("a")).toBeNull();
    for (let i = 0; i < 1000; i++) await store.set(`k${i}`, "v", 1);
    now += 5_000;
    await store.set("last", "v", 60); // a sweep ran among these writes: live values stay
    expect(await store.get("k0")).toBeNull();
    expect(await store.get("last")).toBe("v");
  });

  it("hands the lock to the next waiter once a holder that never finishes passes its TTL", async () => {
    vi.useFakeTimers();
    try {
      const store = createMemorySessionStore();
      void store.lock("k", 1000, () => new Promise<never>(() => {}));
      let ran = false;
      const second = store.lock("k", 1000, async () => void (ran = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(ran).toBe(false);
      await vi.advanceTimersByTimeAsync(2);
      await second;
      expect(ran).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
