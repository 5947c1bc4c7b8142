import { createMemorySessionStore, createRedisSessionStore, createSmartbillsBff, type SessionStore, type SmartbillsBff } from "@smartbills/react/server";

/**
 * One backend for frontend per server process, shared by the route handler, the server components
 * and proxy.ts. Next.js may evaluate this module once per bundle (routes, pages and the proxy are
 * separate entries), so the instance lives on `globalThis`: with the in-memory store, a second
 * instance would not see the sessions of the first.
 *
 * Made on the first request, from the server's environment, so `next build` needs no secrets.
 */
const KEY = Symbol.for("smartbills.example.bff");
type Holder = typeof globalThis & { [KEY]?: Promise<SmartbillsBff> };

export function getBff(): Promise<SmartbillsBff> {
  const holder = globalThis as Holder;
  holder[KEY] ??= createBff().catch((error: unknown) => {
    // Not kept: the next request tries again (Redis may be back).
    holder[KEY] = undefined;
    throw error;
  });
  return holder[KEY];
}

async function createBff(): Promise<SmartbillsBff> {
  return createSmartbillsBff({
    clientId: required("SMARTBILLS_CLIENT_ID"),
    clientSecret: required("SMARTBILLS_CLIENT_SECRET"),
    // At least 32 bytes; the same on every instance (it derives the key the sessions are sealed with).
    secret: required("SMARTBILLS_SESSION_SECRET"),
    // The redirect URI is APP_ORIGIN + "/api/smartbills/callback": register exactly that one.
    appOrigin: required("APP_ORIGIN"),
    ...(process.env.SMARTBILLS_AUTHORITY && { authority: process.env.SMARTBILLS_AUTHORITY }),
    ...(process.env.SMARTBILLS_API_BASE_URL && { apiBaseUrl: process.env.SMARTBILLS_API_BASE_URL }),
    sessionStore: await sessionStore(),
  });
}

/**
 * In this process's memory by default (one instance). With `REDIS_URL`, in Redis, so that any
 * number of instances share the sessions and refresh each token once. `redis` (node-redis) is
 * loaded only then: `npm i redis` in your app. ioredis works the same way:
 * `createRedisSessionStore({ client: new Redis(process.env.REDIS_URL) })`.
 */
async function sessionStore(): Promise<SessionStore> {
  const url = process.env.REDIS_URL;
  if (!url) return createMemorySessionStore();
  const { createClient } = await import("redis");
  // node-redis throws errors nobody listens to; it reconnects by itself, and the BFF answers 503
  // `temporarily_unavailable` while Redis is away.
  const client = createClient({ url }).on("error", () => {});
  await client.connect();
  return createRedisSessionStore({ client });
}

function required(name: string): string {
  const value = process.env[name];
  // Names the variable, never a value.
  if (!value) throw new Error(`Set ${name} in the server's environment (see .env.example).`);
  return value;
}
