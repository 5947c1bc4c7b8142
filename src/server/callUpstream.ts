import { toSmartbillsAuthError, type SmartbillsAuthError } from "../core/errors.js";
import { authenticateClient } from "./clientAuthentication.js";
import { postTokenRequest, type TokenEndpointOutcome } from "./postTokenRequest.js";
import type { ServerEndpoints } from "./serverEndpoints.js";

/** What the token handler and the client-credentials client share to reach the authorization server. @internal */
export interface UpstreamClient {
  clientId: string;
  clientSecret: string;
  endpoints: () => Promise<ServerEndpoints>;
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * A {@link TokenEndpointOutcome}, or why no request was sent: the discovery document could not be
 * had (`discovery`, with its typed error), or the server names no such endpoint (`no_endpoint`).
 *
 * @internal
 */
export type UpstreamOutcome = TokenEndpointOutcome | { kind: "discovery"; error: SmartbillsAuthError } | { kind: "no_endpoint" };

/**
 * Sends `body` to the token or revocation endpoint with this client's authentication, the
 * endpoints resolved first (from discovery, maybe). One deadline of `timeoutMs` covers both steps,
 * raced rather than trusted to the abort signal, so the caller never waits longer.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 * @internal
 */
export async function callUpstream(
  client: UpstreamClient,
  endpoint: "token" | "revocation",
  body: URLSearchParams,
  urlOverride?: string,
): Promise<UpstreamOutcome> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), client.timeoutMs);
  });
  let endpoints: ServerEndpoints | "timeout";
  try {
    endpoints = await Promise.race([client.endpoints(), deadline]);
  } catch (error) {
    return { kind: "discovery", error: toSmartbillsAuthError(error, "network_error") };
  } finally {
    clearTimeout(timer);
  }
  if (endpoints === "timeout") return { kind: "timeout" };
  const url = urlOverride ?? endpoints[endpoint];
  if (url === undefined) return { kind: "no_endpoint" };
  const headers = new Headers();
  authenticateClient(endpoints.clientAuthentication, client.clientId, client.clientSecret, body, headers);
  const remaining = Math.max(1, client.timeoutMs - (Date.now() - started));
  return postTokenRequest(client.fetch, url, body, remaining, headers);
}
