import { SmartbillsAuthError } from "../core/errors.js";
import { fetchMetadata, type AuthorizationServerMetadata } from "../core/metadata.js";
import { isClientAuthenticationMethod, type ClientAuthenticationMethod } from "./clientAuthentication.js";

/**
 * The authorization server's endpoints as the server helpers use them: from configuration, or
 * from the authority's discovery document.
 *
 * @example
 * ```ts
 * const { token, clientAuthentication } = await endpoints()
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
export interface ServerEndpoints {
  /** The issuer: the metadata's `issuer` with discovery, else the authority. */
  issuer: string;
  /** Where the browser is sent to sign in. */
  authorization: string;
  /** Where codes, refresh tokens and client credentials are exchanged for tokens. */
  token: string;
  /** Where a refresh token is revoked at sign-out (RFC 7009); absent when discovery names none. */
  revocation?: string;
  /** The OpenID Connect user info endpoint; absent when discovery names none. */
  userinfo?: string;
  /** The RP-Initiated Logout endpoint; absent when discovery names none. */
  endSession?: string;
  /** How the client secret reaches the token and revocation endpoints. */
  clientAuthentication: ClientAuthenticationMethod;
}

/**
 * Options of {@link createServerEndpoints}; the server helpers take the same ones.
 *
 * @example
 * ```ts
 * const options: ServerEndpointOptions = { authority: "https://api.smartbills.io/auth", discovery: true }
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 */
export interface ServerEndpointOptions {
  /**
   * The authorization server, path included (`https://api.smartbills.io/auth` works: endpoints are
   * appended to the path, never resolved against the origin). Default `https://api.smartbills.io`.
   */
  authority?: string;
  /**
   * Read the endpoints from `${authority}/.well-known/openid-configuration` instead of assuming
   * `${authority}/connect/*`: Smartbills' material names several hosts and paths, and only the server
   * knows which it serves. Fetched once on first use and cached; its `issuer` must equal the
   * authority. A failed fetch is retried on a later call, at most once per 10 s. Default `false`.
   */
  discovery?: boolean;
  /** Explicit endpoint URLs; each wins over discovery and over the `${authority}/connect/*` default. */
  endpoints?: { authorization?: string; token?: string; revocation?: string; userinfo?: string; endSession?: string };
  /**
   * How the secret is sent (RFC 6749 §2.3.1). Default `client_secret_post`, as Smartbills' docs
   * show; with `discovery` and no option, `client_secret_basic` when the metadata's
   * `token_endpoint_auth_methods_supported` lists only that one.
   */
  clientAuthentication?: ClientAuthenticationMethod;
  /** The `fetch` used for the discovery document. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** How long the discovery request may take, in ms. Default 10 000, whatever `fetch` does with its abort signal. */
  timeoutMs?: number;
  /** The clock, for the retry window; tests inject one. Default `Date.now`. */
  now?: () => number;
}

/** A failed discovery is not retried sooner than this, so a broken upstream is not hammered per request. */
export const DISCOVERY_RETRY_MS = 10_000;
const DEFAULT_AUTHORITY = "https://api.smartbills.io";
type EndpointName = keyof NonNullable<ServerEndpointOptions["endpoints"]>;
const PATHS: Record<EndpointName, string> = {
  authorization: "/connect/authorize",
  token: "/connect/token",
  revocation: "/connect/revocation",
  userinfo: "/connect/userinfo",
  endSession: "/connect/endsession",
};
const METADATA_FIELDS: Record<EndpointName, keyof AuthorizationServerMetadata> = {
  authorization: "authorization_endpoint",
  token: "token_endpoint",
  revocation: "revocation_endpoint",
  userinfo: "userinfo_endpoint",
  endSession: "end_session_endpoint",
};

/**
 * Resolves the endpoints once and hands the same answer to every later call. Options are checked
 * at once (a `TypeError` naming the option); without discovery no request is ever made. With
 * discovery the document is fetched on the first call (concurrent first calls share one request);
 * a failure rejects with the `SmartbillsAuthError` of {@link fetchMetadata} (`invalid_metadata` or
 * `network_error`), and calls within the next 10 s get that same error without a request.
 *
 * @example
 * ```ts
 * const endpoints = createServerEndpoints({ authority: "https://api.smartbills.io/auth", discovery: true })
 * const { token } = await endpoints() // one GET of the discovery document, then cached
 * ```
 * @throws TypeError naming the option, when `authority`, `endpoints` or `clientAuthentication` is invalid.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export function createServerEndpoints(options: ServerEndpointOptions): () => Promise<ServerEndpoints> {
  return createEndpointsFor(options, "createServerEndpoints");
}

/** {@link createServerEndpoints} with the caller's name in its `TypeError`s. @internal */
export function createEndpointsFor(options: ServerEndpointOptions, caller: string): () => Promise<ServerEndpoints> {
  const authority = resolveAuthority(options.authority ?? DEFAULT_AUTHORITY, caller);
  const overrides = resolveOverrides(options.endpoints, caller);
  if (options.clientAuthentication !== undefined && !isClientAuthenticationMethod(options.clientAuthentication)) {
    throw new TypeError(`${caller}: "clientAuthentication" must be "client_secret_post" or "client_secret_basic".`);
  }
  if (options.discovery !== undefined && typeof options.discovery !== "boolean") throw new TypeError(`${caller}: "discovery" must be a boolean.`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${caller}: "fetch" must be a function.`);
  if (options.timeoutMs !== undefined && (typeof options.timeoutMs !== "number" || !Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)) {
    throw new TypeError(`${caller}: "timeoutMs" must be a positive number.`);
  }
  if (options.now !== undefined && typeof options.now !== "function") throw new TypeError(`${caller}: "now" must be a function.`);

  if (!options.discovery) {
    const fixed: ServerEndpoints = { issuer: authority, clientAuthentication: options.clientAuthentication ?? "client_secret_post" } as ServerEndpoints;
    for (const name of Object.keys(PATHS) as EndpointName[]) fixed[name] = overrides[name] ?? `${authority}${PATHS[name]}`;
    const settled = Promise.resolve(fixed);
    return () => settled;
  }

  // Called as a plain function: some runtimes throw "Illegal invocation" for fetch called as a method of another object.
  const fetchFn: typeof fetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const now = options.now ?? Date.now;
  let resolved: Promise<ServerEndpoints> | null = null;
  let inflight: Promise<ServerEndpoints> | null = null;
  let failure: { error: unknown; at: number } | null = null;

  return () => {
    if (resolved) return resolved;
    if (inflight) return inflight;
    if (failure && now() - failure.at < DISCOVERY_RETRY_MS) return Promise.reject(failure.error);
    const attempt = fetchMetadata(authority, { fetch: fetchFn, ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }) })
      .then((metadata) => fromMetadata(metadata, overrides, options.clientAuthentication));
    inflight = attempt.then(
      (endpoints) => {
        resolved = attempt;
        failure = null;
        inflight = null;
        return endpoints;
      },
      (error: unknown) => {
        failure = { error, at: now() };
        inflight = null;
        throw error;
      },
    );
    return inflight;
  };
}

/**
 * The authority without a trailing slash, path kept: endpoints are appended to it as text, since
 * `new URL("connect/token", authority)` would drop `/auth` unless the authority ends with `/`.
 *
 * @internal
 */
export function resolveAuthority(authority: unknown, caller: string): string {
  const problem = `${caller}: "authority" must be an absolute http(s) URL without credentials, query or fragment.`;
  const url = typeof authority === "string" && authority.trim() === authority ? parseUrl(authority) : null;
  if (url === null || (url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new TypeError(problem);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

function resolveOverrides(endpoints: ServerEndpointOptions["endpoints"], caller: string): Partial<Record<EndpointName, string>> {
  if (endpoints === undefined) return {};
  if (typeof endpoints !== "object" || endpoints === null) throw new TypeError(`${caller}: "endpoints" must be an object of URLs.`);
  const out: Partial<Record<EndpointName, string>> = {};
  for (const name of Object.keys(PATHS) as EndpointName[]) {
    const value: unknown = endpoints[name];
    if (value === undefined) continue;
    const url = typeof value === "string" ? parseUrl(value) : null;
    if (url === null || (url.protocol !== "https:" && url.protocol !== "http:") || url.hash !== "" || url.username !== "" || url.password !== "") {
      throw new TypeError(`${caller}: "endpoints.${name}" must be an absolute http(s) URL without credentials or fragment.`);
    }
    out[name] = value as string;
  }
  return out;
}

function fromMetadata(
  metadata: AuthorizationServerMetadata,
  overrides: Partial<Record<EndpointName, string>>,
  configured: ClientAuthenticationMethod | undefined,
): ServerEndpoints {
  const methods = metadata.token_endpoint_auth_methods_supported;
  const basicOnly = Array.isArray(methods) && methods.length === 1 && methods[0] === "client_secret_basic";
  const out = { issuer: metadata.issuer, clientAuthentication: configured ?? (basicOnly ? "client_secret_basic" : "client_secret_post") } as ServerEndpoints;
  for (const name of Object.keys(PATHS) as EndpointName[]) {
    const value = overrides[name] ?? metadata[METADATA_FIELDS[name]];
    if (typeof value === "string") out[name] = value;
  }
  // OpenID Connect Discovery §3 requires both; guessing a path here would defeat reading the server.
  for (const name of ["authorization", "token"] as const) {
    if (out[name] === undefined) {
      throw new SmartbillsAuthError("invalid_metadata", { description: `The metadata names no ${METADATA_FIELDS[name]}.` });
    }
  }
  return out;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
