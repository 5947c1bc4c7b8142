/// <reference types="node" />
/**
 * The protected "Smartbills API" of a dev server, on its origin: `GET /v1/me` and `GET /v1/accounts`.
 * Each checks the bearer token (an opaque oidc-provider token, found in the same process: expired,
 * revoked or unknown → 401) and the account header (an account the token's user does not have → 403).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import type { ResolvedOptions } from "./options.js";
import type { DevServerAccount, DevServerApiRequest, DevServerUser } from "./types.js";

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
}

type Principal =
  | { kind: "user"; clientId: string; user: DevServerUser; scope: string | null; exp: number | undefined }
  | { kind: "service"; clientId: string; scope: string | null; exp: number | undefined };

export interface ApiContext {
  options: ResolvedOptions;
  provider: Provider;
  /** Origins allowed to call with CORS, as of now. */
  corsOrigins(): Set<string>;
  log: DevServerApiRequest[];
}

async function authenticate(ctx: ApiContext, req: IncomingMessage): Promise<Principal | { error: string }> {
  const header = req.headers.authorization;
  const token = header ? /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header)?.[1] : undefined;
  if (!token) return { error: "missing bearer token" };
  const { provider } = ctx;
  const accessToken = await provider.AccessToken.find(token);
  if (accessToken) {
    if (accessToken.isExpired) return { error: "token expired" };
    if (accessToken.grantId) {
      const grant = await provider.Grant.find(accessToken.grantId, { ignoreExpiration: true });
      if (!grant || grant.isExpired || grant.clientId !== accessToken.clientId || grant.accountId !== accessToken.accountId) {
        return { error: "grant revoked" };
      }
    }
    const user = ctx.options.users.find((candidate) => candidate.sub === accessToken.accountId);
    if (!user || !accessToken.clientId) return { error: "unknown account" };
    return { kind: "user", clientId: accessToken.clientId, user, scope: accessToken.scope ?? null, exp: accessToken.exp };
  }
  const serviceToken = await provider.ClientCredentials.find(token);
  if (serviceToken && !serviceToken.isExpired && serviceToken.clientId) {
    return { kind: "service", clientId: serviceToken.clientId, scope: serviceToken.scope ?? null, exp: serviceToken.exp };
  }
  return { error: "token not found or expired" };
}

/** Answers one `/v1/*` request (CORS preflights included). */
export async function handleApi(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const { accountHeader } = ctx.options;
  const origin = req.headers.origin;
  const corsHeaders: Record<string, string> = { vary: "Origin" };
  const originAllowed = typeof origin === "string" && ctx.corsOrigins().has(origin);
  if (originAllowed) {
    corsHeaders["access-control-allow-origin"] = origin;
    corsHeaders["access-control-expose-headers"] = "www-authenticate";
  }
  if (req.method === "OPTIONS") {
    req.resume();
    if (!originAllowed || !req.headers["access-control-request-method"]) {
      res.writeHead(403, { vary: "Origin", "content-length": "0" }).end();
      return;
    }
    res
      .writeHead(204, {
        ...corsHeaders,
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": `authorization, ${accountHeader}, content-type`,
        "access-control-max-age": "600",
        "content-length": "0",
      })
      .end();
    return;
  }

  const raw = req.headers[accountHeader];
  const account = typeof raw === "string" && raw.trim() !== "" ? raw.trim() : null;
  const entry: DevServerApiRequest = { method: req.method ?? "GET", path, onBehalfOf: account, status: 0, clientId: null, sub: null, at: Date.now() };
  ctx.log.push(entry);
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
    entry.status = status;
    sendJson(res, status, body, { ...corsHeaders, ...headers });
  };
  req.resume(); // none of these endpoints reads a body

  if (path !== "/v1/me" && path !== "/v1/accounts") return reply(404, { error: "not_found" });
  if (req.method !== "GET" && req.method !== "HEAD") return reply(405, { error: "method_not_allowed" }, { allow: "GET" });

  const principal = await authenticate(ctx, req);
  if ("error" in principal) {
    return reply(
      401,
      { error: "invalid_token", error_description: principal.error },
      { "www-authenticate": `Bearer realm="smartbills", error="invalid_token", error_description="${principal.error}"` },
    );
  }
  entry.clientId = principal.clientId;
  entry.sub = principal.kind === "user" ? principal.user.sub : null;

  const accounts: DevServerAccount[] =
    principal.kind === "user" ? (principal.user.accounts ?? []) : ctx.options.users.flatMap((user) => user.accounts ?? []);
  let onBehalfOf: DevServerAccount | null = null;
  if (account !== null) {
    onBehalfOf = accounts.find((candidate) => candidate.id === account) ?? null;
    if (!onBehalfOf) {
      return reply(403, { error: "forbidden_account", error_description: `${accountHeader} names no account connected to this token` });
    }
  }
  if (path === "/v1/accounts") return reply(200, { accounts });
  const user = principal.kind === "user" ? principal.user : null;
  return reply(200, {
    active: true,
    kind: principal.kind,
    sub: user?.sub ?? null,
    name: user?.name ?? null,
    email: user?.email ?? null,
    clientId: principal.clientId,
    scope: principal.scope,
    expiresAt: principal.exp !== undefined ? principal.exp * 1000 : null,
    onBehalfOf,
    accounts,
  });
}
