/// <reference types="node" />
/**
 * The dev server's HTTP layer around oidc-provider: `/v1/*` to the API, everything under the base
 * path to the provider (mounted the way Express mounts it, so its URLs keep the prefix), the CORS
 * preflight guard, `prompt=consent` for `offline_access`, the on-demand 429, and the token request log.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import { handleApi, sendJson, type ApiContext } from "./api.js";
import { DEV_SERVER_ROUTES } from "./routes.js";
import type { DevServerTokenRequest } from "./types.js";

/** The next `remaining` token requests get a 429 with `Retry-After: seconds`. */
export interface RateLimit {
  remaining: number;
  seconds: number;
}

export interface RouterContext extends ApiContext {
  /** Origins of the public clients' redirect URIs, as of now: the only ones allowed token-endpoint preflights. */
  publicOrigins(): Set<string>;
  rateLimit: RateLimit;
  tokenLog: DevServerTokenRequest[];
  onError(what: string, error: unknown): void;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Logs every token request once oidc-provider parsed it; hides the dev pages' web font; Basic-only metadata under `/auth`. */
export function installProviderMiddleware(provider: Provider, log: DevServerTokenRequest[], basicOnly: boolean): void {
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    const isToken = ctx.method === "POST" && ctx.path === DEV_SERVER_ROUTES.token;
    const entry: DevServerTokenRequest | undefined = isToken
      ? { grantType: null, clientId: null, authMethod: null, status: 0, error: null, origin: ctx.get("origin") || null, at: Date.now() }
      : undefined;
    if (entry) log.push(entry);
    try {
      await next();
    } finally {
      if (entry) {
        const body = ctx.oidc?.body ?? {};
        const grantType = body["grant_type"];
        const bodyClientId = body["client_id"];
        const client = ctx.oidc?.client;
        entry.grantType = typeof grantType === "string" ? grantType : null;
        entry.clientId = client?.clientId ?? (typeof bodyClientId === "string" ? bodyClientId : null);
        entry.authMethod = client && ctx.status < 400 ? client.clientAuthMethod : null;
        entry.status = ctx.status;
        const responseBody = ctx.body as { error?: unknown } | null | undefined;
        entry.error = ctx.status >= 400 && typeof responseBody?.error === "string" ? responseBody.error : null;
      }
    }
    if (ctx.oidc?.route === "discovery" && basicOnly && ctx.body && typeof ctx.body === "object") {
      // What the .NET SDK's server says: secrets by HTTP Basic only (public clients still work, with PKCE).
      const doc = ctx.body as Record<string, unknown>;
      for (const key of ["token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported"]) {
        if (Array.isArray(doc[key])) doc[key] = ["client_secret_basic"];
      }
    }
    // The dev interaction pages import a Google font; keep the local server fully offline.
    if (typeof ctx.body === "string" && ctx.type === "text/html") {
      ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com\/[^)]*\);?/g, "");
    }
  });
}

/** `offline_access` is dropped unless `prompt` has `consent` (OpenID Connect Core §11); added here, never next to `none`. */
function withConsentPrompt(url: URL): string | null {
  const params = url.searchParams;
  const prompts = params.getAll("prompt");
  if (!(params.get("scope") ?? "").split(" ").includes("offline_access") || prompts.length > 1) return null;
  const prompt = new Set((prompts[0] ?? "").split(" ").filter(Boolean));
  if (prompt.has("none") || prompt.has("consent")) return null;
  prompt.add("consent");
  params.set("prompt", [...prompt].join(" "));
  return `${url.pathname}?${params.toString()}`;
}

/** The `request` listener of the dev server's `node:http` server. */
export function createRequestListener(ctx: RouterContext, basePath: string, origin: string): (req: IncomingMessage, res: ServerResponse) => void {
  const callback = ctx.provider.callback();
  const corsRoutes = new Set<string>([DEV_SERVER_ROUTES.token, DEV_SERVER_ROUTES.revocation, DEV_SERVER_ROUTES.introspection]);
  const fail = (res: ServerResponse, what: string) => (error: unknown) => {
    ctx.onError(what, error);
    if (!res.headersSent) sendJson(res, 500, { error: "server_error" });
    else res.end();
  };

  return (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    if (url.pathname === "/v1" || url.pathname.startsWith("/v1/")) {
      handleApi(ctx, req, res, url.pathname).catch(fail(res, "API error"));
      return;
    }
    if (basePath !== "" && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      req.resume();
      sendJson(res, 404, { error: "not_found", error_description: `the authorization server lives under ${basePath}` });
      return;
    }
    const path = url.pathname.slice(basePath.length) || "/";

    if (req.method === "OPTIONS" && corsRoutes.has(path) && req.headers["access-control-request-method"]) {
      const from = req.headers.origin;
      if (typeof from !== "string" || !ctx.publicOrigins().has(from)) {
        req.resume();
        res.writeHead(403, { vary: "Origin", "content-length": "0" }).end();
        return;
      }
    }
    if (req.method === "POST" && path === DEV_SERVER_ROUTES.token && ctx.rateLimit.remaining > 0) {
      ctx.rateLimit.remaining -= 1;
      req.resume();
      ctx.tokenLog.push({ grantType: null, clientId: null, authMethod: null, status: 429, error: "rate_limited", origin: req.headers.origin ?? null, at: Date.now() });
      sendJson(res, 429, { error: "rate_limited", error_description: "too many requests (dev server rateLimitNext)" }, { "retry-after": String(ctx.rateLimit.seconds) });
      return;
    }
    let rest = `${path}${url.search}`;
    if (req.method === "GET" && path === DEV_SERVER_ROUTES.authorization) {
      rest = withConsentPrompt(new URL(rest, origin)) ?? rest;
    }
    // Mounted as Express mounts: oidc-provider finds the prefix from originalUrl minus url.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = `${basePath}${rest}`;
    req.url = rest;
    callback(req, res).catch(fail(res, "provider error"));
  };
}
