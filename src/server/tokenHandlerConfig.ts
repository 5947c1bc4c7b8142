import type { UpstreamClient } from "./callUpstream.js";
import { createEndpointsFor } from "./serverEndpoints.js";
import type { TokenHandlerErrorInfo, TokenHandlerOptions } from "./tokenHandlerOptions.js";

/** The refresh-token cookie, resolved. @internal */
export interface CookieConfig {
  name: string;
  path: string;
  maxAge: number;
}

/** The token handler's options, checked once. @internal */
export interface TokenHandlerConfig {
  upstream: UpstreamClient;
  clientId: string;
  clientSecret: string;
  /** `undefined`: the resolved revocation endpoint; `null`: revocation switched off. */
  revocationUrl: string | null | undefined;
  redirectUris: ReadonlySet<string>;
  origins: ReadonlySet<string>;
  timeoutMs: number;
  maxBodyBytes: number;
  onError: ((info: TokenHandlerErrorInfo) => void) | undefined;
  cookie: CookieConfig | null;
}

const NAME = "createTokenHandler";

/**
 * Checks every option at once, throwing a `TypeError` that names it (never quoting the secret), so
 * a misconfiguration fails at startup rather than at the first sign-in.
 *
 * @internal
 */
export function resolveTokenHandlerConfig(options: TokenHandlerOptions): TokenHandlerConfig {
  if (typeof options !== "object" || options === null) throw new TypeError(`${NAME}: options must be an object.`);
  const { clientId, clientSecret, allowedRedirectUris, timeoutMs = 10_000, maxBodyBytes = 16 * 1024 } = options;
  if (typeof clientId !== "string" || clientId === "") throw new TypeError(`${NAME}: "clientId" is required.`);
  if (typeof clientSecret !== "string" || clientSecret === "") throw new TypeError(`${NAME}: "clientSecret" is required.`);
  if (!Array.isArray(allowedRedirectUris) || allowedRedirectUris.length === 0) {
    throw new TypeError(`${NAME}: "allowedRedirectUris" must be a non-empty array of absolute http(s) URLs.`);
  }
  const origins = new Set<string>();
  for (const uri of allowedRedirectUris as unknown[]) {
    const url = typeof uri === "string" ? parseUrl(uri) : null;
    // RFC 6749 §3.1.2: a redirection URI is absolute and has no fragment.
    if (url === null || (url.protocol !== "https:" && url.protocol !== "http:") || url.hash !== "" || uri !== String(uri).trim()) {
      throw new TypeError(`${NAME}: "allowedRedirectUris" must contain absolute http(s) URLs without a fragment; got ${JSON.stringify(String(uri)).slice(0, 100)}.`);
    }
    origins.add(url.origin);
  }
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`${NAME}: "timeoutMs" must be a positive number.`);
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new TypeError(`${NAME}: "maxBodyBytes" must be a positive integer.`);
  if (options.fetch !== undefined && typeof options.fetch !== "function") throw new TypeError(`${NAME}: "fetch" must be a function.`);
  if (options.onError !== undefined && typeof options.onError !== "function") throw new TypeError(`${NAME}: "onError" must be a function.`);
  if (options.endpoints !== undefined && (typeof options.endpoints !== "object" || options.endpoints === null)) {
    throw new TypeError(`${NAME}: "endpoints" must be an object of URLs.`);
  }
  // Called as a plain function: some runtimes throw "Illegal invocation" for fetch called as a method of another object.
  const fetchFn: typeof fetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const endpoints = createEndpointsFor(
    {
      ...(options.authority !== undefined && { authority: options.authority }),
      ...(options.discovery !== undefined && { discovery: options.discovery }),
      ...(options.clientAuthentication !== undefined && { clientAuthentication: options.clientAuthentication }),
      endpoints: { ...(options.endpoints?.token !== undefined && { token: options.endpoints.token }), ...(options.endpoints?.revocation !== undefined && { revocation: options.endpoints.revocation }) },
      fetch: fetchFn,
      timeoutMs,
    },
    NAME,
  );
  let cookie: CookieConfig | null = null;
  let revocationUrl: string | null | undefined;
  if (options.refreshTokenCookie) {
    const c = options.refreshTokenCookie === true ? {} : options.refreshTokenCookie;
    const path = c.path ?? "/";
    const cookieName = c.name ?? (path === "/" ? "__Host-smartbills-refresh" : "__Secure-smartbills-refresh");
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) throw new TypeError(`${NAME}: "refreshTokenCookie.name" is not a valid cookie name.`);
    if (cookieName.startsWith("__Host-") && path !== "/") throw new TypeError(`${NAME}: a "__Host-" cookie needs path "/".`);
    if (!/^\/[^;\s]*$/.test(path)) throw new TypeError(`${NAME}: "refreshTokenCookie.path" must be a path starting with "/".`);
    const maxAge = c.maxAge ?? 14 * 24 * 3600;
    if (!Number.isSafeInteger(maxAge) || maxAge <= 0) throw new TypeError(`${NAME}: "refreshTokenCookie.maxAge" must be a positive number of seconds.`);
    if (c.revocationEndpoint === false) revocationUrl = null;
    else if (c.revocationEndpoint !== undefined && options.endpoints?.revocation === undefined) {
      const url = typeof c.revocationEndpoint === "string" ? parseUrl(c.revocationEndpoint) : null;
      if (url === null || (url.protocol !== "https:" && url.protocol !== "http:")) throw new TypeError(`${NAME}: "refreshTokenCookie.revocationEndpoint" must be an absolute http(s) URL or false.`);
      revocationUrl = c.revocationEndpoint;
    }
    cookie = { name: cookieName, path, maxAge };
  }
  return {
    upstream: { clientId, clientSecret, endpoints, fetch: fetchFn, timeoutMs },
    clientId,
    clientSecret,
    revocationUrl,
    redirectUris: new Set(allowedRedirectUris),
    origins,
    timeoutMs,
    maxBodyBytes,
    onError: options.onError,
    cookie,
  };
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
