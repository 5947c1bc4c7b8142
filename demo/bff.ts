/**
 * The backend half of `npm run demo -- --mode bff`: `createSmartbillsBff` mounted at `/api/smartbills`
 * on the app's own origin, as Vite dev-server middleware. The browser holds only the HttpOnly
 * `__Host-smartbills-session` cookie; the tokens stay in this process (or, with `--redis`, sealed in
 * Redis).
 *
 * In production mount the same handler in your server:
 *
 *   // node:http / Express (before any body parser)
 *   app.use("/api/smartbills", toNodeHandler(createSmartbillsBff({ clientId, clientSecret, appOrigin, secret })))
 *   // Next.js App Router: app/api/smartbills/[...path]/route.ts
 *   export const GET = bff, POST = bff
 */
import { randomBytes } from "node:crypto";
import type { Connect, Plugin } from "vite";
// In your app: import { createSmartbillsBff, createRedisSessionStore, toNodeHandler } from "@smartbills/react/server"
import { createRedisSessionStore, createSmartbillsBff, toNodeHandler, type SessionStore, type SmartbillsBff } from "../src/server";

export const BFF_PATH = "/api/smartbills";

/** What the demo's BFF saw, for the e2e tests: nothing here is shown to the page. */
export interface BffRecord {
  /** Every token the authorization server's token endpoint gave the BFF (access, refresh, ID), in arrival order. */
  tokens: string[];
  /** Every token-endpoint call the BFF made, by grant type, with the answer's status. */
  grants: { grantType: string | null; status: number; at: number }[];
}

export interface BffBackend {
  plugin: Plugin;
  bff: SmartbillsBff;
  record: BffRecord;
  /** "memory" or "redis". */
  store: "memory" | "redis";
  close(): Promise<void>;
}

export interface BffBackendOptions {
  clientId: string;
  clientSecret: string;
  authority: string;
  appOrigin: string;
  apiBaseUrl: string;
  discovery?: boolean;
  clientAuthentication?: "client_secret_post" | "client_secret_basic";
  accountHeader?: string;
  /** `redis://…`: sessions in that Redis (node-redis client made here); absent: in memory. */
  redisUrl?: string;
}

/** Makes the BFF (and its Redis client, when asked) and the Vite plugin that serves it. */
export async function createBffBackend(options: BffBackendOptions): Promise<BffBackend> {
  const record: BffRecord = { tokens: [], grants: [] };
  let closeStore = async () => {};
  let sessionStore: SessionStore | undefined;
  if (options.redisUrl) {
    const { createClient } = await import("redis");
    const client = createClient({ url: options.redisUrl, socket: { connectTimeout: 3_000, reconnectStrategy: (retries: number) => Math.min(50 + retries * 50, 500) } });
    // node-redis throws errors nobody listens to; the store answers 503 while Redis is away.
    client.on("error", () => {});
    await client.connect();
    sessionStore = createRedisSessionStore({ client });
    closeStore = async () => {
      if (client.isOpen) client.destroy();
    };
  }
  // Recording only: the BFF's own fetch, wrapped to note what the token endpoint answered.
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (new URL(url).pathname.endsWith("/connect/token")) {
      const grantType = typeof init?.body === "string" || init?.body instanceof URLSearchParams ? new URLSearchParams(init.body.toString()).get("grant_type") : null;
      record.grants.push({ grantType, status: response.status, at: Date.now() });
      try {
        const body = (await response.clone().json()) as Record<string, unknown>;
        for (const name of ["access_token", "refresh_token", "id_token"]) {
          const value = body[name];
          if (typeof value === "string" && value) record.tokens.push(value);
        }
      } catch {
        // Not JSON: nothing to note.
      }
    }
    return response;
  };
  const bff = createSmartbillsBff({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    authority: options.authority,
    ...(options.discovery && { discovery: true }),
    ...(options.clientAuthentication && { clientAuthentication: options.clientAuthentication }),
    appOrigin: options.appOrigin,
    basePath: BFF_PATH,
    apiBaseUrl: options.apiBaseUrl,
    // A fresh secret per run: in your app, ≥ 32 bytes from the environment (SMARTBILLS_SESSION_SECRET),
    // the same on every instance. (The demo's sessions do not outlive it anyway.)
    secret: randomBytes(48).toString("base64url"),
    ...(sessionStore && { sessionStore }),
    ...(options.accountHeader && { accountHeader: options.accountHeader }),
    fetch: recordingFetch,
  });
  const handle = toNodeHandler(bff);
  const mount = (server: { middlewares: Connect.Server }) => {
    // Registered directly (not returned from the hook), so it runs before Vite's own middlewares.
    server.middlewares.use((req, res, next) => {
      const pathname = (req.url ?? "/").split("?")[0] ?? "/";
      if (pathname !== BFF_PATH && !pathname.startsWith(`${BFF_PATH}/`)) return next();
      handle(req, res);
    });
  };
  return {
    plugin: { name: "smartbills-bff", configureServer: mount, configurePreviewServer: mount },
    bff,
    record,
    store: options.redisUrl ? "redis" : "memory",
    close: closeStore,
  };
}
