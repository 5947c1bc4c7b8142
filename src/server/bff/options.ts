import type { ClientAuthenticationMethod } from "../clientAuthentication.js";
import { createEndpointsFor } from "../serverEndpoints.js";
import type { ProxyContext } from "./proxy.js";
import type { RefreshContext } from "./refresh.js";
import { deriveBffKeys } from "./seal.js";
import { createMemorySessionStore, type SessionStore } from "./sessionStore.js";

/**
 * Options of {@link createSmartbillsBff}.
 *
 * @example
 * ```ts
 * const options: SmartbillsBffOptions = {
 *   clientId: process.env.SMARTBILLS_CLIENT_ID!, clientSecret: process.env.SMARTBILLS_CLIENT_SECRET!,
 *   appOrigin: "https://app.example.com", secret: process.env.SMARTBILLS_SESSION_SECRET!,
 * }
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#section-6.1
 */
export interface SmartbillsBffOptions {
  /** The client id of your Smartbills API key (`SMARTBILLS_CLIENT_ID`). */
  clientId: string;
  /** The client secret (`SMARTBILLS_CLIENT_SECRET`). It never leaves this server. */
  clientSecret: string;
  /** The authorization server, path included. Default `https://api.smartbills.io`. */
  authority?: string;
  /** Read the endpoints from the authority's discovery document (fetched once). Default `false`. */
  discovery?: boolean;
  /** Explicit endpoint URLs, winning over discovery and the `${authority}/connect/*` defaults. */
  endpoints?: { authorization?: string; token?: string; revocation?: string; userinfo?: string; endSession?: string };
  /** How the secret reaches the token and revocation endpoints. Default `client_secret_post`. */
  clientAuthentication?: ClientAuthenticationMethod;
  /** The scope asked for at sign-in. Default `openid offline_access` (the refresh token lets the server keep the session). */
  scope?: string;
  /** The `fetch` for the authorization server and the API. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long any upstream call may take, in ms (504 after it). Default 10 000. */
  timeoutMs?: number;
  /** The app's origin (`https://app.example.com`): the redirect URI is `appOrigin + basePath + "/callback"`, and the only `Origin` accepted. */
  appOrigin: string;
  /** Where the BFF is mounted. Default `/api/smartbills`. */
  basePath?: string;
  /** Where `basePath + "/api/*"` is forwarded. Default `https://api.smartbills.io`. */
  apiBaseUrl?: string;
  /** At least 32 bytes, from the environment (`SMARTBILLS_SESSION_SECRET`): signs login cookies, derives the at-rest key and the store keys. */
  secret: string;
  /** Default: in this process's memory. {@link createRedisSessionStore} for a fleet. */
  sessionStore?: SessionStore;
  /** The absolute session lifetime, in seconds. Default 8 h. */
  sessionTtlSeconds?: number;
  /** A session unused this long ends, in seconds. Default 30 min. */
  idleTimeoutSeconds?: number;
  /** The header that carries a connected account id to the API. Default `on-behalf-of`. */
  accountHeader?: string;
  /** The largest proxied request body, in bytes (413 above it). Default 10 MB. */
  maxBodyBytes?: number;
  /** How long one session-store call may take, in ms, before the answer is 503. Default 1 500. */
  storeTimeoutMs?: number;
  /** The clock, epoch ms. Tests inject one. Default `Date.now`. */
  now?: () => number;
}

/** Everything the routes share, resolved once. @internal */
export interface BffContext extends RefreshContext, ProxyContext {
  appOrigin: string;
  basePath: string;
  redirectUri: string;
  scope: string;
}

const CALLER = "createSmartbillsBff";

/** Checks the options at once (a `TypeError` naming the option) and builds the shared context. @internal */
export function resolveBffOptions(options: SmartbillsBffOptions): BffContext {
  if (typeof options !== "object" || options === null) throw new TypeError(`${CALLER}: options are required.`);
  const text = (name: keyof SmartbillsBffOptions) => {
    const value = options[name];
    if (typeof value !== "string" || value === "") throw new TypeError(`${CALLER}: "${name}" must be a non-empty string.`);
    return value;
  };
  const positive = (name: keyof SmartbillsBffOptions, fallback: number) => {
    const value = options[name] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new TypeError(`${CALLER}: "${name}" must be a positive number.`);
    return value;
  };
  const clientId = text("clientId");
  const clientSecret = text("clientSecret");
  const appOrigin = originOf(text("appOrigin"));
  const basePath = options.basePath ?? "/api/smartbills";
  if (typeof basePath !== "string" || !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) throw new TypeError(`${CALLER}: "basePath" must be a path like /api/smartbills.`);
  const apiBase = parseHttpUrl(options.apiBaseUrl ?? "https://api.smartbills.io", "apiBaseUrl");
  const accountHeader = options.accountHeader ?? "on-behalf-of";
  if (typeof accountHeader !== "string" || !/^[A-Za-z0-9-]+$/.test(accountHeader)) throw new TypeError(`${CALLER}: "accountHeader" must be a header name.`);
  if (options.sessionStore !== undefined && !isStore(options.sessionStore)) throw new TypeError(`${CALLER}: "sessionStore" must implement get, set, delete and lock.`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${CALLER}: "fetch" must be a function.`);
  const scope = options.scope ?? "openid offline_access";
  if (typeof scope !== "string" || scope.trim() === "") throw new TypeError(`${CALLER}: "scope" must be a non-empty string.`);
  const timeoutMs = positive("timeoutMs", 10_000);
  const userFetch = options.fetch;
  // Called as a plain function: some runtimes throw "Illegal invocation" for fetch called as a method of another object.
  const fetchFn: typeof fetch = userFetch ? (input, init) => userFetch(input, init) : (input, init) => globalThis.fetch(input, init);
  const now = options.now ?? Date.now;

  return {
    clientId,
    clientSecret,
    endpoints: createEndpointsFor(
      {
        authority: options.authority,
        discovery: options.discovery,
        endpoints: options.endpoints,
        clientAuthentication: options.clientAuthentication,
        fetch: fetchFn,
        timeoutMs,
        now,
      },
      CALLER,
    ),
    fetch: fetchFn,
    timeoutMs,
    keys: deriveBffKeys(options.secret, CALLER),
    store: options.sessionStore ?? createMemorySessionStore({ now }),
    storeTimeoutMs: positive("storeTimeoutMs", 1500),
    sessionTtlMs: positive("sessionTtlSeconds", 8 * 3600) * 1000,
    idleTimeoutMs: positive("idleTimeoutSeconds", 30 * 60) * 1000,
    now,
    // Longer than a refresh may take, so a live holder normally finishes inside it.
    lockTtlMs: timeoutMs + 2000,
    inflight: new Map(),
    cooldown: new Map(),
    apiBase,
    accountHeader: accountHeader.toLowerCase(),
    maxBodyBytes: positive("maxBodyBytes", 10 * 1024 * 1024),
    appOrigin,
    basePath,
    redirectUri: `${appOrigin}${basePath}/callback`,
    scope,
  };
}

function parseHttpUrl(value: unknown, name: string): URL {
  let url: URL | null = null;
  try {
    url = typeof value === "string" ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password || url.search || url.hash) {
    throw new TypeError(`${CALLER}: "${name}" must be an absolute http(s) URL without credentials, query or fragment.`);
  }
  return url;
}

function originOf(value: string): string {
  const url = parseHttpUrl(value, "appOrigin");
  if (url.pathname !== "/" || url.origin !== value.replace(/\/$/, "")) throw new TypeError(`${CALLER}: "appOrigin" must be an origin like https://app.example.com.`);
  return url.origin;
}

function isStore(value: unknown): value is SessionStore {
  const store = value as Partial<Record<keyof SessionStore, unknown>> | null;
  return !!store && ["get", "set", "delete", "lock"].every((name) => typeof store[name as keyof SessionStore] === "function");
}
