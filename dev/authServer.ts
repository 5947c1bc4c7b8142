/**
 * A local Smartbills authorization server for the demo and the end-to-end tests (never shipped).
 *
 * `oidc-provider` 9 on 127.0.0.1 with Smartbills' OAuth paths (`/connect/authorize`, `/connect/token`, …),
 * PKCE (S256) required for every client, three clients (confidential, public, client-credentials),
 * rotating refresh tokens for `offline_access`, seeded users with connected accounts, the provider's dev
 * login/consent pages, and a small protected "Smartbills API" under `/v1/…` on the same origin.
 *
 *   const server = await startAuthServer({ redirectUris: ["http://127.0.0.1:5173/callback"] });
 *   server.issuer;                 // http://127.0.0.1:<port>
 *   await server.close();
 *
 * Nothing here logs a token, a code, a verifier or a secret.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type {
  Account,
  Client,
  ClientMetadata,
  Configuration,
  KoaContextWithOIDC,
  Provider as ProviderInstance,
} from "oidc-provider";

// ---------------------------------------------------------------------------------------------------
// Public types and defaults

/** A connected account (a business) a user may act on behalf of with the `on-behalf-of` header. */
export interface ConnectedAccount {
  id: string;
  name: string;
}

/** A seeded user: sign in with `login` = `id` and any password. */
export interface SeededUser {
  id: string;
  name: string;
  email: string;
  accounts: ConnectedAccount[];
}

export const DEFAULT_USERS: readonly SeededUser[] = Object.freeze([
  {
    id: "alice",
    name: "Alice Martin",
    email: "alice@example.com",
    accounts: [
      { id: "acct_alice_store", name: "Alice's Store" },
      { id: "acct_bakery", name: "Corner Bakery" },
    ],
  },
  {
    id: "bob",
    name: "Bob Tremblay",
    email: "bob@example.com",
    accounts: [{ id: "acct_bob_cafe", name: "Bob's Café" }],
  },
]);

export const DEFAULT_CONFIDENTIAL_CLIENT_ID = "smartbills-demo";
export const DEFAULT_CONFIDENTIAL_CLIENT_SECRET = "smartbills-demo-secret";
export const DEFAULT_PUBLIC_CLIENT_ID = "smartbills-demo-public";
export const DEFAULT_SERVICE_CLIENT_ID = "smartbills-service";
export const DEFAULT_SERVICE_CLIENT_SECRET = "smartbills-service-secret";
/** Vite's default dev-server origin; used only when no redirect URIs are given. */
export const DEFAULT_REDIRECT_URIS: readonly string[] = Object.freeze(["http://127.0.0.1:5173/callback", "http://localhost:5173/callback"]);
export const SUPPORTED_SCOPES: readonly string[] = Object.freeze(["openid", "offline_access", "profile", "email", "api"]);

export const AUTH_ROUTES = Object.freeze({
  authorization: "/connect/authorize",
  token: "/connect/token",
  userinfo: "/connect/userinfo",
  introspection: "/connect/introspect",
  revocation: "/connect/revocation",
  end_session: "/connect/endsession",
  jwks: "/connect/jwks",
});

export interface AuthServerOptions {
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** Redirect URIs of the confidential client (the app's `…/callback`); default {@link DEFAULT_REDIRECT_URIS}. */
  redirectUris?: string[];
  /** Redirect URIs of the public client; default: the same as `redirectUris`. Its token-endpoint CORS follows their origins. */
  publicRedirectUris?: string[];
  /** Post-logout redirect URIs (both browser clients); default: each redirect URI's origin + `/`. */
  postLogoutRedirectUris?: string[];
  /** Extra origins allowed to call `/v1/*` with CORS; the origins of all redirect URIs are always allowed. */
  allowedOrigins?: string[];
  /** Access-token lifetime in seconds (also `expires_in`); default 300. */
  accessTokenTtl?: number;
  /** Client-credentials token lifetime in seconds; default `accessTokenTtl`. */
  clientCredentialsTtl?: number;
  /** Refresh-token lifetime in seconds; default 86400. The public client's rotated tokens keep the first one's expiry. */
  refreshTokenTtl?: number;
  /** ID-token lifetime in seconds; default 3600. */
  idTokenTtl?: number;
  /** Seeded users; default {@link DEFAULT_USERS}. */
  users?: readonly SeededUser[];
  confidentialClient?: { clientId?: string; clientSecret?: string };
  publicClient?: { clientId?: string };
  serviceClient?: { clientId?: string; clientSecret?: string; scope?: string };
  /** Cookie signing keys; default a fresh random key. */
  cookieKeys?: string[];
  /** Hide oidc-provider's development notices (unsupported runtime, dev keys, dev interactions…); default true. */
  quiet?: boolean;
}

/** One POST to `/connect/token`, recorded after oidc-provider parsed it (the body is never read twice). */
export interface TokenRequestLog {
  /** `grant_type` of the form body; null when missing or unparseable. */
  grantType: string | null;
  /** The authenticated client, else the body's `client_id`; null when neither. */
  clientId: string | null;
  /** HTTP status of the answer. */
  status: number;
  /** OAuth error code of a refused request, else null. */
  error: string | null;
  /** The request's `Origin` header, or null. */
  origin: string | null;
  /** Arrival time, epoch ms. */
  at: number;
}

/** One request to the `/v1/*` API (preflights excluded). */
export interface ApiRequestLog {
  method: string;
  path: string;
  /** The `on-behalf-of` header as sent, or null. */
  onBehalfOf: string | null;
  status: number;
  /** The token's client, when the token was valid. */
  clientId: string | null;
  /** The token's user (null for client-credentials tokens or invalid tokens). */
  sub: string | null;
  at: number;
}

export interface AuthServer {
  /** `http://127.0.0.1:<port>`, what the library calls `authority` and `issuer`. */
  issuer: string;
  /** Same as `issuer`. */
  url: string;
  port: number;
  clients: {
    confidential: { clientId: string; clientSecret: string };
    public: { clientId: string };
    service: { clientId: string; clientSecret: string };
  };
  users: readonly SeededUser[];
  /** Every POST to `/connect/token`, in arrival order. */
  tokenRequests: TokenRequestLog[];
  /** Every non-preflight request to `/v1/*`, in arrival order. */
  apiRequests: ApiRequestLog[];
  /** Empties `tokenRequests` and `apiRequests` (in place: held references see it). */
  resetLogs(): void;
  /**
   * Registers more redirect URIs after start (e.g. once the app's port is known); their origins get the
   * public client's token CORS (for `"public"`) and the API's CORS.
   */
  addRedirectUris(client: "confidential" | "public", uris: string[]): void;
  provider: ProviderInstance;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// oidc-provider loading (ESM only, and it prints development notices we do not want in test output)

type ProviderModule = typeof import("oidc-provider");
let providerModule: Promise<ProviderModule> | undefined;

let quietDepth = 0;
let restoreConsole: (() => void) | undefined;

/** Runs `run` with oidc-provider's "oidc-provider NOTICE/WARNING: …" console lines hidden (re-entrant). */
async function quietly<T>(quiet: boolean, run: () => Promise<T> | T): Promise<T> {
  if (!quiet) return run();
  if (quietDepth++ === 0) {
    const { warn, info } = console;
    const filter =
      (original: (...args: unknown[]) => void) =>
      (...args: unknown[]): void => {
        const first = args[0];
        if (typeof first === "string" && first.replace(/\x1b\[[0-9;]*m/g, "").startsWith("oidc-provider ")) return;
        original.apply(console, args);
      };
    console.warn = filter(warn);
    console.info = filter(info);
    restoreConsole = () => {
      console.warn = warn;
      console.info = info;
    };
  }
  try {
    return await run();
  } finally {
    if (--quietDepth === 0) restoreConsole?.();
  }
}

function loadProvider(quiet: boolean): Promise<ProviderModule> {
  // The "Unsupported runtime" notice is printed once, at import; it is harmless on Node 20.19+.
  providerModule ??= quietly(quiet, () => import("oidc-provider"));
  return providerModule;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

const originOf = (uri: string): string | null => URL.parse(uri)?.origin ?? null;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
}

const htmlEscape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const page = (title: string, body: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${htmlEscape(title)}</title>` +
  `<meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}pre{white-space:pre-wrap}</style>` +
  `</head><body>${body}</body></html>`;

const API_CORS_METHODS = "GET, POST";
const API_CORS_HEADERS = "authorization, on-behalf-of, content-type";

// ---------------------------------------------------------------------------------------------------
// The server

export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const quiet = options.quiet ?? true;
  const { Provider, interactionPolicy } = await loadProvider(quiet);

  const users = options.users ?? DEFAULT_USERS;
  const usersById = new Map(users.map((user) => [user.id, user]));
  const allAccounts = users.flatMap((user) => user.accounts);

  const confidential = {
    clientId: options.confidentialClient?.clientId ?? DEFAULT_CONFIDENTIAL_CLIENT_ID,
    clientSecret: options.confidentialClient?.clientSecret ?? DEFAULT_CONFIDENTIAL_CLIENT_SECRET,
  };
  const publicClient = { clientId: options.publicClient?.clientId ?? DEFAULT_PUBLIC_CLIENT_ID };
  const service = {
    clientId: options.serviceClient?.clientId ?? DEFAULT_SERVICE_CLIENT_ID,
    clientSecret: options.serviceClient?.clientSecret ?? DEFAULT_SERVICE_CLIENT_SECRET,
  };
  const serviceScope = options.serviceClient?.scope ?? "api";

  const confidentialRedirects = [...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)];
  const publicRedirects = [...(options.publicRedirectUris ?? confidentialRedirects)];
  for (const uri of [...confidentialRedirects, ...publicRedirects]) {
    if (!originOf(uri)) throw new TypeError(`startAuthServer: invalid redirect URI ${JSON.stringify(uri)}`);
  }
  const postLogoutRedirects =
    options.postLogoutRedirectUris ??
    [...new Set([...confidentialRedirects, ...publicRedirects].map((uri) => `${originOf(uri)}/`))];

  // Redirect URIs added after start (see addRedirectUris), by client id.
  const extraRedirects = new Map<string, Set<string>>([
    [confidential.clientId, new Set()],
    [publicClient.clientId, new Set()],
  ]);
  const redirectsOf = (clientId: string): string[] => {
    const base = clientId === confidential.clientId ? confidentialRedirects : clientId === publicClient.clientId ? publicRedirects : [];
    return [...base, ...(extraRedirects.get(clientId) ?? [])];
  };
  const originsOf = (uris: Iterable<string>): Set<string> =>
    new Set([...uris].map(originOf).filter((origin): origin is string => origin !== null));
  const publicOrigins = (): Set<string> => originsOf(redirectsOf(publicClient.clientId));
  const apiOrigins = (): Set<string> =>
    new Set([
      ...(options.allowedOrigins ?? []),
      ...originsOf([...redirectsOf(confidential.clientId), ...redirectsOf(publicClient.clientId)]),
    ]);

  const accessTokenTtl = options.accessTokenTtl ?? 300;
  const clientCredentialsTtl = options.clientCredentialsTtl ?? accessTokenTtl;
  const refreshTokenTtl = options.refreshTokenTtl ?? 24 * 60 * 60;
  const idTokenTtl = options.idTokenTtl ?? 60 * 60;

  const tokenRequests: TokenRequestLog[] = [];
  const apiRequests: ApiRequestLog[] = [];

  // Listen first: the issuer needs the port.
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const clients: ClientMetadata[] = [
    {
      client_id: confidential.clientId,
      client_secret: confidential.clientSecret,
      client_name: "Smartbills demo (confidential)",
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: confidentialRedirects,
      post_logout_redirect_uris: postLogoutRedirects,
    },
    {
      client_id: publicClient.clientId,
      client_name: "Smartbills demo (public)",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      redirect_uris: publicRedirects,
      post_logout_redirect_uris: postLogoutRedirects,
    },
    {
      client_id: service.clientId,
      client_secret: service.clientSecret,
      client_name: "Smartbills service",
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["client_credentials"],
      response_types: [],
      redirect_uris: [],
      scope: serviceScope,
    },
  ];

  const findAccount = async (_ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined> => {
    const user = usersById.get(id);
    if (!user) return undefined; // unknown login: the dev login page is shown again
    return {
      accountId: user.id,
      claims: () => ({ sub: user.id, name: user.name, preferred_username: user.id, email: user.email, email_verified: true }),
    };
  };

  // Dev interactions accept any login; one that is no seeded user (findAccount → undefined) would
  // otherwise crash the consent step with a server_error. Ask for the login again instead.
  const policy = interactionPolicy.base();
  const { Check } = interactionPolicy;
  policy.get("login")?.checks.push(
    new Check("unknown_account", "the signed-in login is not a known user", "login_required", (ctx) =>
      ctx.oidc.session.accountId !== undefined && ctx.oidc.account === undefined ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT,
    ),
  );

  const configuration: Configuration = {
    clients,
    routes: { ...AUTH_ROUTES },
    scopes: [...SUPPORTED_SCOPES],
    claims: {
      openid: ["sub"],
      profile: ["name", "preferred_username"],
      email: ["email", "email_verified"],
    },
    pkce: { required: () => true },
    responseTypes: ["code"],
    findAccount,
    interactions: { policy },
    cookies: { keys: options.cookieKeys ?? [randomBytes(32).toString("base64url")] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // Not used by the library; off so that every authorization request goes through /connect/authorize.
      pushedAuthorizationRequests: { enabled: false },
    },
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: clientCredentialsTtl,
      IdToken: idTokenTtl,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: 24 * 60 * 60,
      Grant: Math.max(refreshTokenTtl, 24 * 60 * 60),
      RefreshToken: (ctx, _token, client) => {
        // Public clients: a rotated refresh token keeps its predecessor's expiry (no endless sliding).
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        if (rotated && client.clientAuthMethod === "none") return Math.max(1, rotated.remainingTTL);
        return refreshTokenTtl;
      },
    },
    rotateRefreshToken: () => true,
    issueRefreshToken: (_ctx, client, source) => client.grantTypeAllowed("refresh_token") && source.scopes.has("offline_access"),
    clientBasedCORS: (ctx, origin, client) => {
      if (origin === "null") return false;
      const allowed =
        client.clientAuthMethod === "none" || ctx.oidc?.route === "userinfo" ? originsOf(redirectsOf(client.clientId)) : new Set<string>();
      return allowed.has(origin);
    },
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = page(
        "Error",
        `<h1>Something went wrong</h1>` +
          Object.entries(out)
            .map(([key, value]) => `<pre><strong>${htmlEscape(key)}</strong>: ${htmlEscape(String(value))}</pre>`)
            .join(""),
      );
    },
  };

  let provider: ProviderInstance;
  try {
    provider = await quietly(quiet, () => new Provider(issuer, configuration));
  } catch (error) {
    server.close(); // invalid configuration (e.g. a bad redirect URI): do not leave the port open
    throw error;
  }

  // Redirect URIs registered after start: accepted in addition to the static ones.
  const ClientProto = provider.Client.prototype;
  const staticRedirectAllowed = ClientProto.redirectUriAllowed;
  const staticPostLogoutAllowed = ClientProto.postLogoutRedirectUriAllowed;
  ClientProto.redirectUriAllowed = function redirectUriAllowed(this: Client, value: string): boolean {
    return staticRedirectAllowed.call(this, value) || (extraRedirects.get(this.clientId)?.has(value) ?? false);
  };
  ClientProto.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(this: Client, value: string): boolean {
    if (staticPostLogoutAllowed.call(this, value)) return true;
    const extraOrigins = originsOf(extraRedirects.get(this.clientId) ?? []);
    return [...extraOrigins].some((origin) => value === `${origin}/`);
  };

  // Server errors: the message only (never a request body or a token).
  provider.on("server_error", (_ctx: unknown, error: unknown) => {
    console.error(`[auth server] server_error: ${error instanceof Error ? error.message : String(error)}`);
  });

  // Token request log + offline dev pages.
  provider.use(async (ctx, next) => {
    const isTokenRequest = ctx.method === "POST" && ctx.path === AUTH_ROUTES.token;
    const entry: TokenRequestLog | undefined = isTokenRequest
      ? { grantType: null, clientId: null, status: 0, error: null, origin: ctx.get("origin") || null, at: Date.now() }
      : undefined;
    if (entry) tokenRequests.push(entry);
    try {
      await next();
    } finally {
      if (entry) {
        const body = ctx.oidc?.body ?? {};
        const grantType = body["grant_type"];
        const bodyClientId = body["client_id"];
        entry.grantType = typeof grantType === "string" ? grantType : null;
        entry.clientId = ctx.oidc?.client?.clientId ?? (typeof bodyClientId === "string" ? bodyClientId : null);
        entry.status = ctx.status;
        const responseBody = ctx.body as { error?: unknown } | null | undefined;
        entry.error = ctx.status >= 400 && typeof responseBody?.error === "string" ? responseBody.error : null;
      }
    }
    // The dev interaction pages import a Google font; keep the local server fully offline.
    if (typeof ctx.body === "string" && ctx.type === "text/html") {
      ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com\/[^)]*\);?/g, "");
    }
  });

  const providerCallback = provider.callback();

  // ----- the Smartbills API (/v1/*) -------------------------------------------------------------------
  type Principal =
    | { kind: "user"; clientId: string; user: SeededUser; scope: string | null; exp: number | undefined }
    | { kind: "service"; clientId: string; scope: string | null; exp: number | undefined };

  async function authenticate(req: IncomingMessage): Promise<Principal | { error: string }> {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header) : null;
    const token = match?.[1];
    if (!token) return { error: "missing bearer token" };

    const accessToken = await provider.AccessToken.find(token);
    if (accessToken) {
      if (accessToken.isExpired) return { error: "token expired" };
      if (accessToken.grantId) {
        const grant = await provider.Grant.find(accessToken.grantId, { ignoreExpiration: true });
        if (!grant || grant.isExpired || grant.clientId !== accessToken.clientId || grant.accountId !== accessToken.accountId) {
          return { error: "grant revoked" };
        }
      }
      const user = usersById.get(accessToken.accountId);
      if (!user || !accessToken.clientId) return { error: "unknown account" };
      return { kind: "user", clientId: accessToken.clientId, user, scope: accessToken.scope ?? null, exp: accessToken.exp };
    }

    const serviceToken = await provider.ClientCredentials.find(token);
    if (serviceToken && !serviceToken.isExpired && serviceToken.clientId) {
      return { kind: "service", clientId: serviceToken.clientId, scope: serviceToken.scope ?? null, exp: serviceToken.exp };
    }
    return { error: "token not found or expired" };
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const origin = req.headers.origin;
    const corsHeaders: Record<string, string> = { vary: "Origin" };
    const originAllowed = typeof origin === "string" && apiOrigins().has(origin);
    if (originAllowed) {
      corsHeaders["access-control-allow-origin"] = origin;
      corsHeaders["access-control-expose-headers"] = "www-authenticate";
    }

    if (req.method === "OPTIONS") {
      if (!originAllowed || !req.headers["access-control-request-method"]) {
        res.writeHead(403, { vary: "Origin", "content-length": "0" }).end();
        return;
      }
      res
        .writeHead(204, {
          ...corsHeaders,
          "access-control-allow-methods": API_CORS_METHODS,
          "access-control-allow-headers": API_CORS_HEADERS,
          "access-control-max-age": "600",
          "content-length": "0",
        })
        .end();
      return;
    }

    const rawOnBehalfOf = req.headers["on-behalf-of"];
    const onBehalfOfHeader = typeof rawOnBehalfOf === "string" && rawOnBehalfOf.trim() !== "" ? rawOnBehalfOf.trim() : null;
    const log: ApiRequestLog = {
      method: req.method ?? "GET",
      path,
      onBehalfOf: onBehalfOfHeader,
      status: 0,
      clientId: null,
      sub: null,
      at: Date.now(),
    };
    apiRequests.push(log);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      log.status = status;
      sendJson(res, status, body, { ...corsHeaders, ...headers });
    };
    // Drain any request body (none of these endpoints reads one).
    req.resume();

    const known = path === "/v1/me" || path === "/v1/accounts";
    if (!known) return reply(404, { error: "not_found" });
    if (req.method !== "GET" && req.method !== "HEAD") return reply(405, { error: "method_not_allowed" }, { allow: "GET" });

    const principal = await authenticate(req);
    if ("error" in principal) {
      return reply(
        401,
        { error: "invalid_token", error_description: principal.error },
        { "www-authenticate": `Bearer realm="smartbills", error="invalid_token", error_description="${principal.error}"` },
      );
    }
    log.clientId = principal.clientId;
    log.sub = principal.kind === "user" ? principal.user.id : null;

    const accounts = principal.kind === "user" ? principal.user.accounts : allAccounts;
    let onBehalfOf: ConnectedAccount | null = null;
    if (onBehalfOfHeader !== null) {
      onBehalfOf = accounts.find((account) => account.id === onBehalfOfHeader) ?? null;
      if (!onBehalfOf) {
        return reply(403, {
          error: "forbidden_account",
          error_description: "on-behalf-of names no account connected to this token",
        });
      }
    }

    if (path === "/v1/accounts") return reply(200, { accounts });
    return reply(200, {
      active: true,
      kind: principal.kind,
      sub: principal.kind === "user" ? principal.user.id : null,
      name: principal.kind === "user" ? principal.user.name : null,
      email: principal.kind === "user" ? principal.user.email : null,
      clientId: principal.clientId,
      scope: principal.scope,
      expiresAt: principal.exp !== undefined ? principal.exp * 1000 : null,
      onBehalfOf,
      accounts,
    });
  }

  // ----- request routing ---------------------------------------------------------------------------
  const tokenCorsRoutes = new Set<string>([AUTH_ROUTES.token, AUTH_ROUTES.revocation, AUTH_ROUTES.introspection]);

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", issuer);
    const path = url.pathname;

    if (path === "/v1" || path.startsWith("/v1/")) {
      handleApi(req, res, path).catch((error: unknown) => {
        console.error(`[auth server] API error: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { error: "server_error" });
        else res.end();
      });
      return;
    }

    // oidc-provider answers every CORS preflight with the caller's origin; only the public client's
    // origins may call the token, revocation and introspection endpoints from a browser.
    if (req.method === "OPTIONS" && tokenCorsRoutes.has(path) && req.headers["access-control-request-method"]) {
      const origin = req.headers.origin;
      if (typeof origin !== "string" || !publicOrigins().has(origin)) {
        res.writeHead(403, { vary: "Origin", "content-length": "0" }).end();
        return;
      }
    }

    // `offline_access` is dropped unless `prompt` includes `consent` (OpenID Connect Core 11); the
    // library does not send it, so this dev server adds it (never next to `prompt=none`).
    if (req.method === "GET" && path === AUTH_ROUTES.authorization) {
      const params = url.searchParams;
      const scopes = (params.get("scope") ?? "").split(" ");
      const prompts = params.getAll("prompt");
      if (scopes.includes("offline_access") && prompts.length <= 1) {
        const prompt = new Set((prompts[0] ?? "").split(" ").filter(Boolean));
        if (!prompt.has("none") && !prompt.has("consent")) {
          prompt.add("consent");
          params.set("prompt", [...prompt].join(" "));
          req.url = `${url.pathname}?${params.toString()}`;
        }
      }
    }

    void providerCallback(req, res);
  });

  const closeServer = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  return {
    issuer,
    url: issuer,
    port,
    clients: { confidential: { ...confidential }, public: { ...publicClient }, service: { ...service } },
    users,
    tokenRequests,
    apiRequests,
    resetLogs() {
      tokenRequests.length = 0;
      apiRequests.length = 0;
    },
    addRedirectUris(client, uris) {
      const clientId = client === "confidential" ? confidential.clientId : publicClient.clientId;
      const set = extraRedirects.get(clientId);
      for (const uri of uris) {
        if (!originOf(uri)) throw new TypeError(`addRedirectUris: invalid redirect URI ${JSON.stringify(uri)}`);
        set?.add(uri);
      }
    },
    provider,
    close: closeServer,
  };
}

// ---------------------------------------------------------------------------------------------------
// Configuration hooks (module level: they need no server state)

async function introspectionAllowed(ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  // Public clients may introspect only their own tokens.
  return !(client.clientAuthMethod === "none" && token.clientId !== ctx.oidc?.client?.clientId);
}

async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: { clientId?: string }): Promise<boolean> {
  return token.clientId === client.clientId;
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = "html";
  ctx.body = page(
    "Sign out",
    `<h1>Sign out of Smartbills (local)?</h1>${form}` +
      `<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> ` +
      `<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = "html";
  ctx.body = page("Signed out", "<h1>Signed out</h1><p>You are signed out of the local Smartbills server.</p>");
}
