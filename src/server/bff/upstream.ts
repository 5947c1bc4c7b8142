import { authenticateClient } from "../clientAuthentication.js";
import { postTokenRequest, type TokenEndpointOutcome } from "../postTokenRequest.js";
import { readBoundedBytes } from "../readBoundedBytes.js";
import { readOAuthError } from "../readOAuthError.js";
import type { ServerEndpoints } from "../serverEndpoints.js";
import { raceDeadline } from "./http.js";

/** What the BFF needs to talk to the authorization server. @internal */
export interface UpstreamContext {
  clientId: string;
  clientSecret: string;
  endpoints: () => Promise<ServerEndpoints>;
  fetch: typeof fetch;
  timeoutMs: number;
}

/** A usable token response. @internal */
export interface IssuedTokens {
  accessToken: string;
  refreshToken: string | null;
  idToken: string | null;
  expiresInMs: number;
  scope: string | null;
}

/** How a token request ended, for the caller to decide. @internal */
export type TokenOutcome =
  | { kind: "ok"; tokens: IssuedTokens }
  /** The server refused the grant (`invalid_grant`, …): the code or refresh token is no good. */
  | { kind: "refused"; error: string }
  /** Unreachable, too slow, broken or misconfigured (`invalid_client`): nobody's fault but ours or theirs. */
  | { kind: "failed"; timeout: boolean };

const MAX_USERINFO_BYTES = 64 * 1024;
/** Without `expires_in`, assume a short life: refreshing early is cheaper than sending a dead token. */
const DEFAULT_EXPIRES_IN_S = 300;

/** POSTs a grant to the token endpoint with this client's credentials, bounded by `timeoutMs`. @internal */
export async function requestTokens(ctx: UpstreamContext, endpoints: ServerEndpoints, grant: Record<string, string>): Promise<TokenOutcome> {
  const outcome = await postAuthenticated(ctx, endpoints, endpoints.token, new URLSearchParams(grant), ctx.timeoutMs);
  if (outcome.kind === "timeout") return { kind: "failed", timeout: true };
  if (outcome.kind !== "answer") return { kind: "failed", timeout: false };
  if (outcome.status === 200) {
    const tokens = readTokens(outcome.json);
    return tokens ? { kind: "ok", tokens } : { kind: "failed", timeout: false };
  }
  const error = readOAuthError(outcome.json, ctx.clientSecret);
  // invalid_client is our misconfiguration, not the user's: the session must not end over it.
  if ((outcome.status === 400 || outcome.status === 401) && error && error.error !== "invalid_client") return { kind: "refused", error: error.error };
  return { kind: "failed", timeout: false };
}

/** Revokes `token` (RFC 7009), best effort and bounded: a hanging endpoint cannot keep anyone signed in. @internal */
export async function revokeToken(ctx: UpstreamContext, endpoints: ServerEndpoints, token: string, hint: "refresh_token" | "access_token"): Promise<void> {
  if (!endpoints.revocation) return;
  await postAuthenticated(ctx, endpoints, endpoints.revocation, new URLSearchParams({ token, token_type_hint: hint }), Math.min(ctx.timeoutMs, 5000));
}

/** The user info endpoint's claims for `accessToken`; `"failed"`/`"timeout"`/`"unauthorized"` otherwise. @internal */
export async function fetchUserInfo(ctx: UpstreamContext, url: string, accessToken: string): Promise<Record<string, unknown> | "failed" | "timeout" | "unauthorized"> {
  const controller = new AbortController();
  const attempt = (async () => {
    const response = await ctx.fetch(url, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      redirect: "manual",
      signal: controller.signal,
    });
    if (response.status === 401) {
      response.body?.cancel().catch(() => {});
      return "unauthorized" as const;
    }
    if (response.status !== 200) {
      response.body?.cancel().catch(() => {});
      return "failed" as const;
    }
    const read = await readBoundedBytes(response.body, MAX_USERINFO_BYTES, controller.signal);
    if (read.kind !== "ok") return "failed" as const;
    const json: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes));
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : ("failed" as const);
  })().catch(() => "failed" as const);
  const result = await raceDeadline(attempt, ctx.timeoutMs, controller);
  return result;
}

async function postAuthenticated(ctx: UpstreamContext, endpoints: ServerEndpoints, url: string, body: URLSearchParams, timeoutMs: number): Promise<TokenEndpointOutcome> {
  const auth = new Headers();
  authenticateClient(endpoints.clientAuthentication, ctx.clientId, ctx.clientSecret, body, auth);
  const authorization = auth.get("Authorization");
  // postTokenRequest sets its own headers; the Basic header (if any) is added on the way out.
  const fetchWithAuth: typeof fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (authorization) headers.set("Authorization", authorization);
    return ctx.fetch(input, { ...init, headers });
  };
  const controller = new AbortController();
  const outcome = await raceDeadline(postTokenRequest(fetchWithAuth, url, body, timeoutMs), timeoutMs + 50, controller);
  return outcome === "timeout" ? { kind: "timeout" } : outcome;
}

function readTokens(json: unknown): IssuedTokens | null {
  if (typeof json !== "object" || json === null) return null;
  const { access_token, token_type, expires_in, refresh_token, id_token, scope } = json as Record<string, unknown>;
  if (typeof access_token !== "string" || access_token === "") return null;
  if (typeof token_type !== "string" || token_type.toLowerCase() !== "bearer") return null;
  const seconds = typeof expires_in === "number" && Number.isFinite(expires_in) && expires_in > 0 ? expires_in : DEFAULT_EXPIRES_IN_S;
  return {
    accessToken: access_token,
    refreshToken: typeof refresh_token === "string" && refresh_token !== "" ? refresh_token : null,
    idToken: typeof id_token === "string" && id_token !== "" ? id_token : null,
    expiresInMs: seconds * 1000,
    scope: typeof scope === "string" ? scope : null,
  };
}
