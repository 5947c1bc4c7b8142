/**
 * The demo's and our end-to-end tests' local Smartbills: `@smartbills/react/dev-server` (src/dev-server)
 * with the demo's three clients (confidential, public, client-credentials) and seeded users. Only
 * what is the demo's lives here; the server itself is the published one (dogfood).
 *
 *   const server = await startAuthServer({ redirectUris: ["http://127.0.0.1:5173/callback"] });
 *   server.issuer;                 // http://127.0.0.1:<port>  (…/auth with basePath: "/auth")
 *   await server.close();
 *
 * Nothing here logs a token, a code, a verifier or a secret.
 */
import type { Provider as ProviderInstance } from "oidc-provider";
import { DEFAULT_DEV_USERS } from "../src/dev-server/options";
import { SUPPORTED_SCOPES as SCOPES } from "../src/dev-server/configuration";
import { DEV_SERVER_ROUTES } from "../src/dev-server/routes";
import { startDevServerInternals } from "../src/dev-server/server";
import type { DevServerApiRequest, DevServerClient, DevServerPage, DevServerSignInOptions, DevServerSignInResult, DevServerTokenRequest } from "../src/dev-server/types";

/** A connected account (a business) a user may act on behalf of with the account header. */
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

/** The dev server's own users (alice, bob), in the demo's older shape (`id` for `sub`). */
export const DEFAULT_USERS: readonly SeededUser[] = Object.freeze(
  DEFAULT_DEV_USERS.map((user) => ({ id: user.sub, name: user.name, email: user.email, accounts: [...(user.accounts ?? [])] })),
);

export const DEFAULT_CONFIDENTIAL_CLIENT_ID = "smartbills-demo";
export const DEFAULT_CONFIDENTIAL_CLIENT_SECRET = "smartbills-demo-secret";
export const DEFAULT_PUBLIC_CLIENT_ID = "smartbills-demo-public";
export const DEFAULT_SERVICE_CLIENT_ID = "smartbills-service";
export const DEFAULT_SERVICE_CLIENT_SECRET = "smartbills-service-secret";
/** Vite's default dev-server origin; used only when no redirect URIs are given. */
export const DEFAULT_REDIRECT_URIS: readonly string[] = Object.freeze(["http://127.0.0.1:5173/callback", "http://localhost:5173/callback"]);
export const SUPPORTED_SCOPES: readonly string[] = SCOPES;
/** The paths, relative to the base path. */
export const AUTH_ROUTES = DEV_SERVER_ROUTES;

export interface AuthServerOptions {
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** `"/auth"`: everything under /auth (issuer `${url}/auth`), the confidential client on HTTP Basic only; default "". */
  basePath?: string;
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
  /** Rotate refresh tokens on every use; default true. */
  refreshTokenRotation?: boolean;
  /** The header `/v1/*` reads the connected account from; default `on-behalf-of`. */
  accountHeader?: string;
  /** Seeded users; default {@link DEFAULT_USERS}. */
  users?: readonly SeededUser[];
  confidentialClient?: { clientId?: string; clientSecret?: string; authMethod?: "client_secret_post" | "client_secret_basic" };
  publicClient?: { clientId?: string };
  serviceClient?: { clientId?: string; clientSecret?: string; scope?: string; authMethod?: "client_secret_post" | "client_secret_basic" };
  /** Ignored (kept for compatibility): the server makes fresh cookie keys. */
  cookieKeys?: string[];
  /** Ignored (kept for compatibility): oidc-provider's notices are always hidden. */
  quiet?: boolean;
}

/** One POST to `/connect/token`. */
export type TokenRequestLog = DevServerTokenRequest;
/** One request to the `/v1/*` API (preflights excluded). */
export type ApiRequestLog = DevServerApiRequest;

export interface AuthServer {
  /** What the library calls `authority` and `issuer`: `http://127.0.0.1:<port>` plus the base path. */
  issuer: string;
  /** The origin `http://127.0.0.1:<port>`, where `/v1/*` lives (equal to `issuer` without a base path). */
  url: string;
  /** Same as `issuer`. */
  authority: string;
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
  /** Registers more redirect URIs after start (e.g. once the app's port is known). */
  addRedirectUris(client: "confidential" | "public", uris: string[]): void;
  /** The next `count` token requests get 429 with `Retry-After: retryAfterSeconds` (default 1). */
  rateLimitNext(count: number, retryAfterSeconds?: number): void;
  /** Completes the login and consent pages in a Playwright page. */
  signIn(page: DevServerPage, options: DevServerSignInOptions): Promise<DevServerSignInResult>;
  provider: ProviderInstance;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

export async function startAuthServer(options: AuthServerOptions = {}): Promise<AuthServer> {
  const users = options.users ?? DEFAULT_USERS;
  const confidential = {
    clientId: options.confidentialClient?.clientId ?? DEFAULT_CONFIDENTIAL_CLIENT_ID,
    clientSecret: options.confidentialClient?.clientSecret ?? DEFAULT_CONFIDENTIAL_CLIENT_SECRET,
  };
  const publicClient = { clientId: options.publicClient?.clientId ?? DEFAULT_PUBLIC_CLIENT_ID };
  const service = {
    clientId: options.serviceClient?.clientId ?? DEFAULT_SERVICE_CLIENT_ID,
    clientSecret: options.serviceClient?.clientSecret ?? DEFAULT_SERVICE_CLIENT_SECRET,
  };
  const redirectUris = [...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)];
  const publicRedirectUris = [...(options.publicRedirectUris ?? redirectUris)];
  const postLogoutRedirectUris =
    options.postLogoutRedirectUris ?? [...new Set([...redirectUris, ...publicRedirectUris].map((uri) => `${new URL(uri).origin}/`))];
  const clients: DevServerClient[] = [
    {
      ...confidential,
      redirectUris,
      postLogoutRedirectUris,
      ...(options.confidentialClient?.authMethod && { tokenEndpointAuthMethod: options.confidentialClient.authMethod }),
    },
    { ...publicClient, redirectUris: publicRedirectUris, postLogoutRedirectUris },
    {
      ...service,
      grants: ["client_credentials"],
      scope: options.serviceClient?.scope ?? "api",
      ...(options.serviceClient?.authMethod && { tokenEndpointAuthMethod: options.serviceClient.authMethod }),
    },
  ];
  const accessTokenTtl = options.accessTokenTtl ?? 300;
  const { server, provider } = await startDevServerInternals({
    ...(options.port !== undefined && { port: options.port }),
    ...(options.basePath !== undefined && { basePath: options.basePath }),
    clients,
    users: users.map(({ id, ...user }) => ({ sub: id, ...user })),
    accessTokenTtlSeconds: accessTokenTtl,
    clientCredentialsTtlSeconds: options.clientCredentialsTtl ?? accessTokenTtl,
    ...(options.refreshTokenTtl !== undefined && { refreshTokenTtlSeconds: options.refreshTokenTtl }),
    ...(options.idTokenTtl !== undefined && { idTokenTtlSeconds: options.idTokenTtl }),
    ...(options.refreshTokenRotation !== undefined && { refreshTokenRotation: options.refreshTokenRotation }),
    ...(options.accountHeader !== undefined && { accountHeader: options.accountHeader }),
    apiCorsOrigins: options.allowedOrigins ?? [],
    // The start notice is for apps' users; the demo prints its own banner. Errors still show.
    log: (line) => {
      if (!line.startsWith("Smartbills dev server at ")) console.error(line);
    },
  });
  return {
    issuer: server.authority,
    url: server.url,
    authority: server.authority,
    port: server.port,
    clients: { confidential: { ...confidential }, public: { ...publicClient }, service: { ...service } },
    users,
    tokenRequests: server.requests,
    apiRequests: server.apiRequests,
    resetLogs: () => server.resetRequests(),
    addRedirectUris: (client, uris) => server.addRedirectUris(client === "confidential" ? confidential.clientId : publicClient.clientId, uris),
    rateLimitNext: (count, retryAfterSeconds) => server.rateLimitNext(count, retryAfterSeconds),
    signIn: (page, signInOptions) => server.signIn(page, signInOptions),
    provider,
    close: () => server.close(),
  };
}
