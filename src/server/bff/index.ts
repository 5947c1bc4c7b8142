// The backend for frontend: every token on the server, the browser holding only a session cookie.
export { createSmartbillsBff } from "./createSmartbillsBff.js";
export type { SmartbillsBff } from "./createSmartbillsBff.js";
export type { SmartbillsBffOptions } from "./options.js";
export type { SmartbillsSession } from "./session.js";
export { createMemorySessionStore } from "./sessionStore.js";
export type { SessionStore } from "./sessionStore.js";
export { createRedisSessionStore } from "./redisSessionStore.js";
export type { RedisLikeClient, RedisSessionStoreOptions } from "./redisSessionStore.js";
