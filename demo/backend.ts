/**
 * The backend half of the integration: the exchange endpoint at `/api/smartbills/token`.
 *
 * The browser POSTs the OAuth token request (code + PKCE verifier, or a refresh token) here, without
 * any secret; `createTokenHandler` checks it, adds the client secret and forwards it to Smartbills.
 * At sign-out it sends a DELETE with the refresh token, which the handler revokes at Smartbills'
 * revocation endpoint (RFC 7009). The secret lives in this Node process only: never in the bundle.
 *
 * Here it is mounted as Vite dev-server middleware so the app and the endpoint share one origin. In
 * production mount the same handler in your server:
 *
 *   // Express / node:http
 *   app.all("/api/smartbills/token", toNodeHandler(createTokenHandler({ clientId, clientSecret, allowedRedirectUris })))
 *   // Next.js route handler, Hono, Deno, Bun, workers: it is a plain (Request) => Promise<Response>
 *   export const POST = createTokenHandler({ clientId, clientSecret, allowedRedirectUris })
 */
import type { Connect, Plugin } from "vite";
// In your app: import { createTokenHandler, toNodeHandler } from "@smartbills/react/server"
import { createTokenHandler, toNodeHandler, type TokenHandler } from "../src/server";

/** One request the browser made to the exchange endpoint, as the demo records it (for the e2e tests). */
export interface BackendRequest {
  /** `POST` (sign-in, refresh) or `DELETE` (sign-out). */
  method: string;
  /** `authorization_code`, `refresh_token`, or whatever the caller sent (null when unreadable). */
  grantType: string | null;
  /** The `Origin` request header. */
  origin: string | null;
  /** The answer's HTTP status; 0 while in flight. */
  status: number;
  /** When it arrived (epoch ms). */
  at: number;
}

export interface TokenEndpointOptions {
  /** Default `/api/smartbills/token`: what the app passes as `exchangeEndpoint`. */
  path?: string;
  clientId: string;
  /** From the server's environment (e.g. `process.env.SMARTBILLS_CLIENT_SECRET`), never from the client. */
  clientSecret: string;
  /** The authorization server; default `https://api.smartbills.io`. */
  authority?: string;
  /** Read the token and revocation endpoints from the authority's metadata (OpenID Connect Discovery). */
  discovery?: boolean;
  /** How the secret reaches Smartbills: in the form body (default) or as HTTP Basic, as Smartbills' .NET SDK does. */
  clientAuthentication?: "client_secret_post" | "client_secret_basic";
  /** Exactly the redirect URIs of your app, e.g. `["https://app.example/callback"]`. */
  allowedRedirectUris: string[];
  /** Called for every request (the demo records them for its tests). */
  onRequest?: (request: BackendRequest) => void;
  /** Keep the refresh token in an HttpOnly cookie instead of giving it to the page (`storage="cookie"`). */
  refreshTokenCookie?: boolean;
  /** Log each refusal (status and OAuth error only); default true. */
  logErrors?: boolean;
}

/** A Vite plugin that serves the exchange endpoint on the dev server (and `vite preview`). */
export function smartbillsTokenEndpoint(options: TokenEndpointOptions): Plugin {
  const path = options.path ?? "/api/smartbills/token";
  const tokenHandler = createTokenHandler({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    ...(options.authority !== undefined && { authority: options.authority }),
    ...(options.discovery && { discovery: true }),
    ...(options.clientAuthentication && { clientAuthentication: options.clientAuthentication }),
    allowedRedirectUris: options.allowedRedirectUris,
    ...(options.refreshTokenCookie && { refreshTokenCookie: true }),
    // Refusals are logged by status and OAuth error only: the handler never passes a secret or a token here.
    ...(options.logErrors !== false && {
      onError: ({ status, error, error_description }) => console.warn(`[token endpoint] ${status} ${error}: ${error_description}`),
    }),
  });
  const nodeHandler = toNodeHandler(options.onRequest ? recording(tokenHandler, options.onRequest) : tokenHandler);

  const mount = (server: { middlewares: Connect.Server }) => {
    // Registered directly (not returned from the hook), so it runs before Vite's own middlewares.
    server.middlewares.use((req, res, next) => {
      const pathname = (req.url ?? "/").split("?")[0];
      if (pathname !== path) return next();
      nodeHandler(req, res);
    });
  };
  return { name: "smartbills-token-endpoint", configureServer: mount, configurePreviewServer: mount };
}

/** Wraps a handler to report each request's method, grant type and answer (demo instrumentation only). */
function recording(handler: TokenHandler, onRequest: (request: BackendRequest) => void): TokenHandler {
  return async (request) => {
    const entry: BackendRequest = { method: request.method, grantType: null, origin: request.headers.get("origin"), status: 0, at: Date.now() };
    onRequest(entry);
    if (request.method === "POST") {
      try {
        // A copy of the body: the handler reads (and bounds) the original.
        entry.grantType = new URLSearchParams(await request.clone().text()).get("grant_type");
      } catch {
        // Unreadable: recorded with grantType null.
      }
    }
    const response = await handler(request);
    entry.status = response.status;
    return response;
  };
}
